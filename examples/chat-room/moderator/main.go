// Command moderator is the chat-room example's message review handler: IVS
// Chat calls it with every message before delivering it, and it denies
// messages that contain a banned word (BANNED_WORDS, comma-separated,
// case-insensitive) and trims the rest.
package main

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

// reviewRequest is what IVS Chat sends a message review handler.
type reviewRequest struct {
	Content    string            `json:"Content"`
	MessageID  string            `json:"MessageId"`
	RoomArn    string            `json:"RoomArn"`
	Attributes map[string]string `json:"Attributes"`
	Sender     struct {
		UserID     string            `json:"UserId"`
		Attributes map[string]string `json:"Attributes"`
	} `json:"Sender"`
}

// reviewResponse is what IVS Chat expects back.
type reviewResponse struct {
	ReviewResult string            `json:"ReviewResult"` // ALLOW or DENY
	Content      string            `json:"Content,omitempty"`
	Attributes   map[string]string `json:"Attributes,omitempty"`
}

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

func (m moderator) review(_ context.Context, req reviewRequest) (reviewResponse, error) {
	content := strings.TrimSpace(req.Content)
	lower := strings.ToLower(content)
	for _, w := range m.banned {
		if strings.Contains(lower, w) {
			return reviewResponse{ReviewResult: "DENY"}, nil
		}
	}
	return reviewResponse{ReviewResult: "ALLOW", Content: content, Attributes: req.Attributes}, nil
}

func main() {
	lambda.Start(newModerator(os.Getenv("BANNED_WORDS")).review)
}
