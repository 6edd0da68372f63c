package main

import (
	"context"
	"encoding/json"
	"flag"
	"testing"

	"github.com/ivscdk/ivscdk/handler/chatmoderation"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestReview(t *testing.T) {
	m := newModerator(" spoiler, Rude ,,")
	for _, c := range []struct {
		content, result, kept string
	}{
		{"  hello there ", "ALLOW", "hello there"},
		{"no SPOILERS please", "DENY", "no SPOILERS please"},
		{"that was rude", "DENY", "that was rude"},
		{"   ", "DENY", "   "},
	} {
		var req chatmoderation.Request
		if err := json.Unmarshal([]byte(`{"Content":`+quote(c.content)+`,"MessageId":"m1","RoomArn":"arn:aws:ivschat:us-west-2:123456789012:room/abc","Attributes":{"k":"v"},"Sender":{"UserId":"u1"}}`), &req); err != nil {
			t.Fatal(err)
		}
		res, err := chatmoderation.Handler(m.review, chatmoderation.Options{})(context.Background(), req)
		if err != nil || string(res.ReviewResult) != c.result || res.Content != c.kept {
			t.Errorf("review(%q) = %+v, %v", c.content, res, err)
		}
		// Content is in every answer, even an empty one; a DENY says why.
		b, _ := json.Marshal(res)
		var wire map[string]any
		_ = json.Unmarshal(b, &wire)
		if _, ok := wire["Content"]; !ok {
			t.Errorf("response %s has no Content", b)
		}
		if c.result == "DENY" && res.Attributes["Reason"] == "" {
			t.Errorf("denied response %s gives no Reason", b)
		}
	}
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }
