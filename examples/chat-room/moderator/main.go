// Command moderator is the chat-room example's message review handler: IVS
// Chat calls it with every message before delivering it, and it denies
// messages that contain a banned word (BANNED_WORDS, comma-separated,
// case-insensitive) or nothing but spaces, and trims the rest.
//
// Every answer carries Content, a DENY too: IVS Chat treats an answer
// without it as invalid and applies the room's fallback result instead
// (IVS Chat user guide, "IVS Chat Message Review Handler"). A DENY may say
// why in the Reason attribute, which the sender receives.
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
		IP         string            `json:"Ip"`
		Attributes map[string]string `json:"Attributes"`
	} `json:"Sender"`
}

// reviewResponse is what IVS Chat expects back. Content is always sent.
type reviewResponse struct {
	ReviewResult string            `json:"ReviewResult"` // ALLOW or DENY
	Content      string            `json:"Content"`
	Attributes   map[string]string `json:"Attributes,omitempty"`
}

// deny refuses a message, keeping its content (required in every answer)
// and telling the sender why.
func deny(content, reason string) reviewResponse {
	return reviewResponse{ReviewResult: "DENY", Content: content, Attributes: map[string]string{"Reason": reason}}
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
	if content == "" {
		return deny(req.Content, "the message is empty"), nil
	}
	lower := strings.ToLower(content)
	for _, w := range m.banned {
		if strings.Contains(lower, w) {
			return deny(req.Content, "the message contains a word this room does not allow"), nil
		}
	}
	return reviewResponse{ReviewResult: "ALLOW", Content: content, Attributes: req.Attributes}, nil
}

func main() {
	lambda.Start(newModerator(os.Getenv("BANNED_WORDS")).review)
}
