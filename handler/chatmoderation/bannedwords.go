package chatmoderation

import (
	"context"
	"strings"
)

// BannedWords returns a review that denies a message containing any of
// the comma-separated words in list (case-insensitive, anywhere in the
// message: "spoiler" also denies "SPOILERS"), or nothing but spaces, and
// allows the rest with their surrounding spaces trimmed. Blank entries of
// list are ignored, so an empty list denies only empty messages. A denied
// message tells its sender why, in words that do not repeat the word.
//
//	lambda.Start(chatmoderation.Handler(chatmoderation.BannedWords(os.Getenv("BANNED_WORDS")),
//		chatmoderation.Options{Fallback: chatmoderation.ResultDeny, Metrics: os.Stdout}))
func BannedWords(list string) ReviewFunc {
	var banned []string
	for _, w := range strings.Split(list, ",") {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			banned = append(banned, w)
		}
	}
	return func(_ context.Context, m Request) (Response, error) {
		content := strings.TrimSpace(m.Content)
		if content == "" {
			return Deny(m, "the message is empty"), nil
		}
		lower := strings.ToLower(content)
		for _, w := range banned {
			if strings.Contains(lower, w) {
				return Deny(m, "the message contains a word this room does not allow"), nil
			}
		}
		return Rewrite(m, content), nil
	}
}
