// Command tokenfn is the Lambda function of the realtime-stage example: it
// signs stage participant tokens itself (no IVS API call per token), with
// the private half of the stage's IVS public key, read from AWS Secrets
// Manager once per cold start.
//
// Environment: STAGE_ARN, PUBLIC_KEY_ARN, SECRET_ARN, TOKEN_TTL (a Go
// duration), and the stage's EVENTS_URL and WHIP_URL (which every token
// must carry; the stack reads them with GetStage at deploy time). Query parameters: userId (required) and publish=true for a
// token that may publish (default: subscribe only).
//
// A real service would authenticate the user first and decide from its own
// records who may publish.
package main

import (
	"context"
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
		log.Fatal(err)
	}
	secrets := secretsmanager.NewFromConfig(cfg)
	getSecret := func(ctx context.Context, id string) (string, error) {
		out, err := secrets.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.SecretString), nil
	}
	vendor, err := newVendor(ctx, os.Getenv, getSecret)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(vendor.handle)
}
