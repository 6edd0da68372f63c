// Command tokenfn is the Lambda function of the private-channel example: a
// token vendor that answers every request with the channel's playback URL
// and a freshly signed playback token.
//
// It reads the playback key pair's private key from AWS Secrets Manager once
// per cold start. Environment: CHANNEL_ARN, PLAYBACK_URL, SECRET_ARN,
// TOKEN_TTL (a Go duration, e.g. "5m") and, optionally, ALLOWED_ORIGIN.
//
// A real service would authenticate the viewer first (for example with a
// Cognito authorizer on an HTTP API) and pass its user ID as viewerId.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatalf("loading AWS configuration: %v", err)
	}
	client := secretsmanager.NewFromConfig(cfg)
	getSecret := func(ctx context.Context, id string) (string, error) {
		out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil {
			return "", err
		}
		if out.SecretString == nil {
			return "", fmt.Errorf("secret %s has no string value", id)
		}
		return *out.SecretString, nil
	}
	vendor, err := newVendor(ctx, os.Getenv, getSecret)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(vendor.handle)
}
