// Command moderator is the live-event example's chat review handler: IVS
// Chat calls it with every message before delivering it. It denies
// messages with a banned word (BANNED_WORDS, comma-separated,
// case-insensitive) or nothing but spaces and trims the rest
// (chatmoderation.BannedWords: write your own chatmoderation.ReviewFunc
// for other rules), answers DENY if the review cannot decide in time
// (fail closed), and counts each verdict for the dashboard (Metrics).
package main

import (
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/chatmoderation"
)

func main() {
	lambda.Start(chatmoderation.Handler(chatmoderation.BannedWords(os.Getenv("BANNED_WORDS")),
		chatmoderation.Options{Fallback: chatmoderation.ResultDeny, Metrics: os.Stdout}))
}
