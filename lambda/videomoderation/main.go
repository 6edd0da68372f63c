// Command videomoderation is the Lambda function behind
// ivsops.VideoModeration: it checks a channel's new thumbnails with Amazon
// Rekognition and stops the stream on a hit (package
// github.com/ivscdk/ivscdk/handler/videomoderation documents what it
// does). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/videomoderation"
)

func main() {
	h, err := videomoderation.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
