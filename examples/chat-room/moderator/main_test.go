package main

import (
	"context"
	"encoding/json"
	"flag"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestReview(t *testing.T) {
	m := newModerator(" spoiler, Rude ,,")
	for _, c := range []struct {
		content, result, kept string
	}{
		{"  hello there ", "ALLOW", "hello there"},
		{"no SPOILERS please", "DENY", ""},
		{"that was rude", "DENY", ""},
	} {
		var req reviewRequest
		if err := json.Unmarshal([]byte(`{"Content":`+quote(c.content)+`,"MessageId":"m1","RoomArn":"arn:aws:ivschat:us-west-2:123456789012:room/abc","Attributes":{"k":"v"},"Sender":{"UserId":"u1"}}`), &req); err != nil {
			t.Fatal(err)
		}
		res, err := m.review(context.Background(), req)
		if err != nil || res.ReviewResult != c.result || res.Content != c.kept {
			t.Errorf("review(%q) = %+v, %v", c.content, res, err)
		}
		b, _ := json.Marshal(res)
		if c.result == "DENY" && string(b) != `{"ReviewResult":"DENY"}` {
			t.Errorf("denied response = %s", b)
		}
	}
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }
