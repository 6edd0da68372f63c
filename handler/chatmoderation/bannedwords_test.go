package chatmoderation

import (
	"context"
	"encoding/json"
	"testing"
)

func TestBannedWords(t *testing.T) {
	review := BannedWords(" spoiler, Rude ,,")
	for _, c := range []struct {
		content, result, kept string
	}{
		{"  hello there ", "ALLOW", "hello there"},
		{"no SPOILERS please", "DENY", "no SPOILERS please"},
		{"that was rude", "DENY", "that was rude"},
		{"   ", "DENY", "   "},
	} {
		var req Request
		b, _ := json.Marshal(c.content)
		if err := json.Unmarshal([]byte(`{"Content":`+string(b)+`,"MessageId":"m1","RoomArn":"arn:aws:ivschat:us-west-2:123456789012:room/abc","Attributes":{"k":"v"},"Sender":{"UserId":"u1"}}`), &req); err != nil {
			t.Fatal(err)
		}
		res, err := Handler(review, Options{})(context.Background(), req)
		if err != nil || string(res.ReviewResult) != c.result || res.Content != c.kept {
			t.Errorf("review(%q) = %+v, %v", c.content, res, err)
		}
		if c.result == "DENY" && res.Attributes[ReasonAttribute] == "" {
			t.Errorf("denied %q gives no reason: %+v", c.content, res)
		}
		if c.result == "ALLOW" && res.Attributes["k"] != "v" {
			t.Errorf("allowed %q lost the message's attributes: %+v", c.content, res)
		}
	}
	// An empty list denies only empty messages.
	if res, _ := BannedWords("")(context.Background(), Request{Content: "anything"}); res.ReviewResult != ResultAllow {
		t.Errorf("an empty list: %+v", res)
	}
}
