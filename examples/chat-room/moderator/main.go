// Command moderator is the chat-room example's message review handler: IVS
// Chat calls it with every message before delivering it, and it denies
// messages that contain a banned word (BANNED_WORDS, comma-separated,
// case-insensitive) or nothing but spaces, and trims the rest
// (chatmoderation.BannedWords; write your own chatmoderation.ReviewFunc
// for other rules).
//
// Package chatmoderation turns the review function into the Lambda
// handler: every answer carries Content (a DENY too), a DENY tells the
// sender why, and an error or a slow review answers the fallback before IVS
// Chat's 200 ms limit.
package main

import (
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/chatmoderation"
)

func main() {
	lambda.Start(chatmoderation.Handler(chatmoderation.BannedWords(os.Getenv("BANNED_WORDS")),
		// Metrics: each verdict counted per room (Allowed, Denied,
		// Fallbacks in ivscdk/ChatModeration), which IVS Chat does not.
		chatmoderation.Options{Fallback: chatmoderation.ResultDeny, Metrics: os.Stdout}))
}
