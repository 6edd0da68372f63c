// Command timedmetadata is the Lambda function behind
// ivsops.TimedMetadataEndpoint: it puts hosts' timed metadata into live
// streams (package github.com/ivscdk/ivscdk/handler/timedmetadata documents
// the requests and answers). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/timedmetadata"
)

func main() {
	h, err := timedmetadata.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
