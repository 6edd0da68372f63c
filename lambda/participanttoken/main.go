// Command participanttoken is the Lambda function behind
// ivs.ParticipantTokenEndpoint: it hands out IVS real-time participant tokens (package
// github.com/ivscdk/ivscdk/handler/participanttoken documents the requests and
// answers). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/participanttoken"
)

func main() {
	h, err := participanttoken.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
