// Command recordinglist is the Lambda function behind
// ivs.RecordingLibrary's endpoint: it lists recordings, hands out their
// playlists with signed cookies, and deletes them (package
// github.com/ivscdk/ivscdk/handler/recordinglist documents the requests and
// answers). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/recordinglist"
)

func main() {
	h, err := recordinglist.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
