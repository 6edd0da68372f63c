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
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/internal/secretstring"
)

func main() {
	ctx := context.Background()
	getSecret, err := secretstring.Getter(ctx)
	if err != nil {
		log.Fatal(err)
	}
	vendor, err := newVendor(ctx, os.Getenv, getSecret)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(vendor.handle)
}
