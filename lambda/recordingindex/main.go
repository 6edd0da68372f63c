// Command recordingindex is the Lambda function that keeps a recordings
// bucket's index (package github.com/ivscdk/ivscdk/handler/recordingindex
// documents what it takes and does). ivscdk's constructs build and deploy
// it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
)

func main() {
	ix, err := recordingindex.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(ix.Handle)
}
