// Command moderator is the chat-room example's message review handler: IVS
// Chat calls it with every message before delivering it, and it denies
// messages that contain a banned word (BANNED_WORDS, comma-separated,
// case-insensitive) or nothing but spaces, and trims the rest.
//
// Package chatmoderation turns the review function into the Lambda
// handler: every answer carries Content (a DENY too), a DENY tells the
// sender why, and an error or a slow review answers the fallback before IVS
// Chat's 200 ms limit.
package main

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivscdk/ivscdk/handler/chatmoderation"
)

// moderator reviews messages against a list of banned words.
type moderator struct{ banned []string }

func newModerator(list string) moderator {
	var m moderator
	for _, w := range strings.Split(list, ",") {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			m.banned = append(m.banned, w)
		}
	}
	return m
}

func (m moderator) review(_ context.Context, msg chatmoderation.Request) (chatmoderation.Response, error) {
	content := strings.TrimSpace(msg.Content)
	if content == "" {
		return chatmoderation.Deny(msg, "the message is empty"), nil
	}
	lower := strings.ToLower(content)
	for _, w := range m.banned {
		if strings.Contains(lower, w) {
			return chatmoderation.Deny(msg, "the message contains a word this room does not allow"), nil
		}
	}
	return chatmoderation.Rewrite(msg, content), nil
}

func main() {
	lambda.Start(chatmoderation.Handler(newModerator(os.Getenv("BANNED_WORDS")).review,
		// Metrics: each verdict counted per room (Allowed, Denied,
		// Fallbacks in ivscdk/ChatModeration), which IVS Chat does not.
		chatmoderation.Options{Fallback: chatmoderation.ResultDeny, Metrics: os.Stdout}))
}
