package chatmoderation

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// request is the user guide's request example, filled in.
const request = `{"Content": "hello", "MessageId": "ABC123def456", "RoomArn": "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6",
	"Attributes": {"color": "red"}, "Sender": {"Attributes": {"badge": "mod"}, "UserId": "user-1", "Ip": "192.0.2.1"}}`

func decode(t *testing.T) Request {
	t.Helper()
	var m Request
	if err := json.Unmarshal([]byte(request), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRequestAndResponseUseTheDocumentedFieldNames(t *testing.T) {
	m := decode(t)
	if m.Content != "hello" || m.MessageID != "ABC123def456" || m.Sender.UserID != "user-1" || m.Sender.IP != "192.0.2.1" ||
		m.Sender.Attributes["badge"] != "mod" || m.Attributes["color"] != "red" || !strings.HasSuffix(m.RoomArn, "g1H2I3j4k5L6") {
		t.Fatalf("decoded %+v", m)
	}
	b, _ := json.Marshal(Deny(m, "spam"))
	if string(b) != `{"ReviewResult":"DENY","Content":"hello","Attributes":{"Reason":"spam"}}` {
		t.Errorf("DENY encodes as %s", b)
	}
	b, _ = json.Marshal(Rewrite(m, "hi"))
	if string(b) != `{"ReviewResult":"ALLOW","Content":"hi","Attributes":{"color":"red"}}` {
		t.Errorf("ALLOW encodes as %s", b)
	}
}

func TestHandlerPassesValidAnswersThrough(t *testing.T) {
	h := Handler(func(_ context.Context, m Request) (Response, error) {
		return Rewrite(m, strings.ToUpper(m.Content)), nil
	}, Options{})
	r, err := h(context.Background(), decode(t))
	if err != nil || r.ReviewResult != ResultAllow || r.Content != "HELLO" {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestHandlerFallsBackExplicitly(t *testing.T) {
	cases := map[string]ReviewFunc{
		"error": func(context.Context, Request) (Response, error) { return Response{}, errors.New("classifier down") },
		"panic": func(context.Context, Request) (Response, error) { panic("bug") },
		"bad result": func(_ context.Context, m Request) (Response, error) {
			return Response{ReviewResult: "MAYBE", Content: m.Content}, nil
		},
		"too slow": func(ctx context.Context, m Request) (Response, error) {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			return Allow(m), nil
		},
	}
	for name, review := range cases {
		for _, fallback := range []Result{ResultAllow, ResultDeny} {
			var logged []string
			h := Handler(review, Options{Fallback: fallback, Deadline: 50 * time.Millisecond,
				Logf: func(f string, a ...any) { logged = append(logged, f) }})
			start := time.Now()
			r, err := h(context.Background(), decode(t))
			if took := time.Since(start); took > TimeLimit {
				t.Errorf("%s: answered after %s, beyond IVS Chat's %s", name, took, TimeLimit)
			}
			if err != nil || r.ReviewResult != fallback || r.Content != "hello" || Validate(r) != "" {
				t.Errorf("%s/%s: %+v %v, want a valid %s with the original content", name, fallback, r, err, fallback)
			}
			if fallback == ResultDeny && r.Attributes[ReasonAttribute] == "" {
				t.Errorf("%s: a fallback DENY gives the sender no reason", name)
			}
			if len(logged) != 1 {
				t.Errorf("%s: %d log lines, want 1 saying why", name, len(logged))
			}
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	h := Handler(func(ctx context.Context, m Request) (Response, error) {
		d, ok := ctx.Deadline()
		if !ok || time.Until(d) > DefaultDeadline {
			t.Errorf("review's deadline %v, want at most %s", time.Until(d), DefaultDeadline)
		}
		return Allow(m), nil
	}, Options{Deadline: time.Hour, Fallback: "nonsense", Logf: func(string, ...any) {}})
	if r, _ := h(context.Background(), decode(t)); r.ReviewResult != ResultAllow {
		t.Fatal(r)
	}
}

// TestAVerdictIsNeverWeakened: the reviewer's DENY stays DENY whatever the
// fallback, with the message's Content filled in so that IVS Chat accepts
// it, and an ALLOW that rewrites the message to nothing is a DENY.
func TestAVerdictIsNeverWeakened(t *testing.T) {
	cases := map[string]ReviewFunc{
		"deny without content": func(context.Context, Request) (Response, error) { return Response{ReviewResult: ResultDeny}, nil },
		"deny with reason, no content": func(context.Context, Request) (Response, error) {
			return Response{ReviewResult: ResultDeny, Attributes: map[string]string{ReasonAttribute: "slur"}}, nil
		},
		"deny helper":   func(_ context.Context, m Request) (Response, error) { return Deny(m, "slur"), nil },
		"blank rewrite": func(_ context.Context, m Request) (Response, error) { return Rewrite(m, "   "), nil },
		"empty allow":   func(context.Context, Request) (Response, error) { return Response{ReviewResult: ResultAllow}, nil },
	}
	for name, review := range cases {
		for _, fallback := range []Result{ResultAllow, ResultDeny} {
			h := Handler(review, Options{Fallback: fallback, Logf: func(string, ...any) {}})
			r, err := h(context.Background(), decode(t))
			if err != nil || r.ReviewResult != ResultDeny || r.Content != "hello" || Validate(r) != "" {
				t.Errorf("%s (fallback %s): answered %+v %v, want a valid DENY with the original content", name, fallback, r, err)
			}
		}
	}
	h := Handler(func(context.Context, Request) (Response, error) {
		return Response{ReviewResult: ResultDeny, Attributes: map[string]string{ReasonAttribute: "slur"}}, nil
	}, Options{})
	if r, _ := h(context.Background(), decode(t)); r.Attributes[ReasonAttribute] != "slur" {
		t.Errorf("the reviewer's reason was lost: %+v", r)
	}
}

// With Options.Metrics, each verdict is one line of CloudWatch's embedded
// metric format: Allowed, Denied and Fallbacks by the room's ARN, stamped
// with the clock.
func TestVerdictsAreCountedPerRoom(t *testing.T) {
	var lines strings.Builder
	at := time.Date(2031, 5, 17, 20, 0, 0, 0, time.UTC)
	handle := Handler(func(_ context.Context, m Request) (Response, error) {
		switch m.Content {
		case "spam":
			return Deny(m, "no spam"), nil
		case "broken":
			return Response{}, errors.New("the word list is gone")
		}
		return Allow(m), nil
	}, Options{Fallback: ResultDeny, Metrics: &lines, Now: func() time.Time { return at }, Logf: func(string, ...any) {}})
	for _, content := range []string{"hello", "spam", "broken"} {
		m := decode(t)
		m.Content = content
		if _, err := handle(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	want := []struct{ allowed, denied, fallbacks float64 }{{1, 0, 0}, {0, 1, 0}, {0, 1, 1}}
	got := strings.Split(strings.TrimSuffix(lines.String(), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d metric lines, want %d:\n%s", len(got), len(want), lines.String())
	}
	for i, line := range got {
		var emf struct {
			AWS struct {
				Timestamp         int64
				CloudWatchMetrics []struct {
					Namespace  string
					Dimensions [][]string
					Metrics    []struct{ Name, Unit string }
				}
			} `json:"_aws"`
			RoomArn                    string
			Allowed, Denied, Fallbacks float64
		}
		if err := json.Unmarshal([]byte(line), &emf); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		directive := emf.AWS.CloudWatchMetrics
		if emf.AWS.Timestamp != at.UnixMilli() || len(directive) != 1 || directive[0].Namespace != MetricNamespace ||
			len(directive[0].Dimensions) != 1 || strings.Join(directive[0].Dimensions[0], ",") != "RoomArn" || len(directive[0].Metrics) != 3 {
			t.Errorf("line %d: the _aws object is %+v", i, emf.AWS)
		}
		if emf.RoomArn != "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6" ||
			emf.Allowed != want[i].allowed || emf.Denied != want[i].denied || emf.Fallbacks != want[i].fallbacks {
			t.Errorf("line %d: %s, want allowed %v denied %v fallbacks %v", i, line, want[i].allowed, want[i].denied, want[i].fallbacks)
		}
	}
}
