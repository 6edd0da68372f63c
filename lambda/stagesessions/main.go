// Command stagesessions is the Lambda function behind ivs.StageSessions:
// it opens, joins and ends real-time sessions, removes participants, and
// sweeps idle stages on a schedule (package
// github.com/ivscdk/ivscdk/handler/stagesessions documents the requests
// and answers). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/stagesessions"
)

func main() {
	h, err := stagesessions.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Invoke)
}
