// Command playbacktoken is the Lambda function behind
// ivs.PlaybackTokenEndpoint: it hands out signed playback URLs (package
// github.com/ivscdk/ivscdk/handler/playbacktoken documents the requests and
// answers). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/playbacktoken"
)

func main() {
	h, err := playbacktoken.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
