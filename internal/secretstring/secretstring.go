// Package secretstring reads string secrets from AWS Secrets Manager for the
// examples' Lambda functions. It must not import the CDK: it runs in Lambda.
package secretstring

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Getter returns a function that reads the string value of a secret by ID
// or ARN, with the AWS configuration of the environment (the Lambda role).
func Getter(ctx context.Context) (func(context.Context, string) (string, error), error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	client := secretsmanager.NewFromConfig(cfg)
	return func(ctx context.Context, id string) (string, error) {
		out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil {
			return "", err
		}
		if out.SecretString == nil {
			return "", fmt.Errorf("secret %s has no string value", id)
		}
		return *out.SecretString, nil
	}, nil
}
