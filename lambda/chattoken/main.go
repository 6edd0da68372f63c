// Command chattoken is the Lambda function behind
// ivschat.ChatTokenEndpoint: it hands out IVS Chat tokens (package
// github.com/ivscdk/ivscdk/handler/chattoken documents the requests and
// answers). ivscdk's constructs build and deploy it.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/chattoken"
)

func main() {
	h, err := chattoken.FromEnvironment(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
