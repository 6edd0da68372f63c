// Command managedkey is the Lambda function behind ivs.ManagedPlaybackKeyPair:
// it creates, rotates and deletes the managed key pair (package
// github.com/ivscdk/ivscdk/handler/managedkey). ivscdk's constructs build
// and deploy it; it is not meant to be run by hand.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/managedkey"
)

func main() {
	m, err := managedkey.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(m.Handle)
}
