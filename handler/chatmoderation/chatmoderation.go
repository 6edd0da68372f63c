// Package chatmoderation turns a plain Go function into an IVS Chat message
// review handler: the Lambda function a room (ivschat.RoomProps'
// MessageReviewHandler) calls with every message before delivering it. It
// never imports the CDK.
//
// The shapes are those of the IVS Chat user guide ("IVS Chat Message Review
// Handler"): the request carries Content, MessageId, RoomArn, Attributes
// and the Sender (Attributes, UserId, Ip); the answer is ReviewResult
// (ALLOW or DENY), Content and Attributes. An answer IVS Chat finds invalid,
// an error, or an answer later than the room's 200 ms (IVS Chat service
// quotas, "Message review handler timeout period", not adjustable) makes IVS
// Chat apply the room's FallbackResult (IVS Chat API reference,
// MessageReviewHandler).
//
// Handler makes those cases explicit rather than leaving them to IVS Chat,
// and fails closed: it answers before its own deadline; a DENY is always a
// DENY (it fills in Content, without which IVS Chat finds the answer
// invalid); an ALLOW with blank Content becomes a DENY; only an answer with
// no verdict (an error, a panic, no answer in time, a ReviewResult that is
// neither ALLOW nor DENY) gets the configured fallback; and it logs why.
//
//	func main() {
//		lambda.Start(chatmoderation.Handler(func(ctx context.Context, m chatmoderation.Request) (chatmoderation.Response, error) {
//			if strings.Contains(strings.ToLower(m.Content), "spam") {
//				return chatmoderation.Deny(m, "no spam here"), nil
//			}
//			return chatmoderation.Allow(m), nil
//		}, chatmoderation.Options{}))
//	}
package chatmoderation

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// Sender is who sent a message.
type Sender struct {
	// UserID is the user ID of the sender's chat token.
	UserID string `json:"UserId"`
	// IP is the sender's IP address.
	IP string `json:"Ip"`
	// Attributes are the sender's chat token attributes.
	Attributes map[string]string `json:"Attributes"`
}

// Request is what IVS Chat sends the handler for each message.
type Request struct {
	// Content is the message as sent.
	Content string `json:"Content"`
	// MessageID is the message's ID, made by IVS Chat.
	MessageID string `json:"MessageId"`
	// RoomArn is the room the message was sent to.
	RoomArn string `json:"RoomArn"`
	// Attributes are the message's attributes.
	Attributes map[string]string `json:"Attributes"`
	// Sender is who sent it.
	Sender Sender `json:"Sender"`
}

// Result is a review's verdict.
type Result string

// The verdicts.
const (
	ResultAllow Result = "ALLOW"
	ResultDeny  Result = "DENY"
)

// ReasonAttribute is the attribute of a DENY that tells the sender why.
const ReasonAttribute = "Reason"

// Response is the handler's answer.
type Response struct {
	// ReviewResult is ALLOW or DENY.
	ReviewResult Result `json:"ReviewResult"`
	// Content is what is delivered on ALLOW (the original or a rewrite);
	// required in every answer, DENY included.
	Content string `json:"Content"`
	// Attributes replace the message's attributes on ALLOW; on DENY,
	// ReasonAttribute tells the sender why.
	Attributes map[string]string `json:"Attributes,omitempty"`
}

// Allow delivers the message as it was sent.
func Allow(m Request) Response {
	return Response{ReviewResult: ResultAllow, Content: m.Content, Attributes: m.Attributes}
}

// Rewrite delivers the message with content instead of what was sent.
func Rewrite(m Request, content string) Response {
	return Response{ReviewResult: ResultAllow, Content: content, Attributes: m.Attributes}
}

// Deny refuses the message, telling the sender reason (none when "").
func Deny(m Request, reason string) Response {
	r := Response{ReviewResult: ResultDeny, Content: m.Content}
	if reason != "" {
		r.Attributes = map[string]string{ReasonAttribute: reason}
	}
	return r
}

// ReviewFunc reviews one message.
type ReviewFunc func(ctx context.Context, m Request) (Response, error)

// TimeLimit is IVS Chat's time limit for an answer.
const TimeLimit = 200 * time.Millisecond

// DefaultDeadline is how long Handler gives a review before answering
// with the fallback: TimeLimit less a margin for the Lambda round trip.
const DefaultDeadline = 150 * time.Millisecond

// Options configure Handler.
type Options struct {
	// Deadline is how long the review may take; after it, Handler answers
	// with Fallback. At most TimeLimit. Default: DefaultDeadline.
	Deadline time.Duration
	// Fallback is the verdict when the review gives none: it fails,
	// panics, runs out of time or answers with a ReviewResult that is
	// neither ALLOW nor DENY. ResultAllow delivers the original
	// message, ResultDeny refuses it. Set it as the room's FallbackResult
	// for the same behaviour when the function cannot answer at all.
	// Default: ResultAllow (IVS Chat's own default).
	Fallback Result
	// FallbackReason is the Reason of a fallback DENY. Default: "the
	// message could not be reviewed".
	FallbackReason string
	// Logf logs why a fallback was used; log.Printf when nil.
	Logf func(format string, args ...any)
	// Metrics, when set, receives one line per verdict in CloudWatch's
	// embedded metric format: the counts Allowed, Denied and Fallbacks in
	// namespace MetricNamespace by the room's ARN (dimension RoomArn).
	// Give it os.Stdout in a Lambda function: CloudWatch Logs turns the
	// lines into metrics, the per-room counts IVS Chat does not publish,
	// which ivsops.Dashboard shows. Default: none.
	Metrics io.Writer
	// Now is the metrics' clock. Default: time.Now.
	Now func() time.Time
}

// MetricNamespace is the CloudWatch namespace of the verdict metrics
// (Options.Metrics).
const MetricNamespace = wire.ChatModerationMetricNamespace

// Handler returns the Lambda handler of review: pass it to lambda.Start.
func Handler(review ReviewFunc, o Options) func(context.Context, Request) (Response, error) {
	if o.Deadline <= 0 || o.Deadline > TimeLimit {
		o.Deadline = DefaultDeadline
	}
	if o.Fallback != ResultDeny {
		o.Fallback = ResultAllow
	}
	if o.FallbackReason == "" {
		o.FallbackReason = "the message could not be reviewed"
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return func(ctx context.Context, m Request) (Response, error) {
		r, fellBack := o.review(ctx, review, m)
		o.count(m, r, fellBack)
		return r, nil
	}
}

// review runs the review within the deadline: its settled answer, or the
// fallback (and true).
func (o Options) review(ctx context.Context, review ReviewFunc, m Request) (Response, bool) {
	ctx, cancel := context.WithTimeout(ctx, o.Deadline)
	defer cancel()
	type outcome struct {
		r   Response
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{err: fmt.Errorf("review panicked: %v", p)}
			}
		}()
		r, err := review(ctx, m)
		done <- outcome{r, err}
	}()
	select {
	case out := <-done:
		if out.err != nil {
			return o.fallback(m, "review failed: %v", out.err), true
		}
		return o.settle(m, out.r)
	case <-ctx.Done():
		return o.fallback(m, "no answer within %s", o.Deadline), true
	}
}

// count writes the verdict's metrics line (Options.Metrics): the embedded
// metric format's _aws object (Timestamp in milliseconds, the namespace,
// the dimension sets, the metrics and their units), then the dimension's
// and the metrics' values (CloudWatch user guide, "Specification: Embedded
// metric format").
func (o Options) count(m Request, r Response, fellBack bool) {
	if o.Metrics == nil {
		return
	}
	allowed, denied, fallbacks := 0, 0, 0
	if r.ReviewResult == ResultAllow {
		allowed = 1
	} else {
		denied = 1
	}
	if fellBack {
		fallbacks = 1
	}
	line, _ := json.Marshal(map[string]any{
		"_aws": map[string]any{
			"Timestamp": o.Now().UnixMilli(),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace": MetricNamespace, "Dimensions": [][]string{{"RoomArn"}},
				"Metrics": []any{
					map[string]string{"Name": "Allowed", "Unit": "Count"},
					map[string]string{"Name": "Denied", "Unit": "Count"},
					map[string]string{"Name": "Fallbacks", "Unit": "Count"},
				},
			}},
		},
		"RoomArn": m.RoomArn, "Allowed": allowed, "Denied": denied, "Fallbacks": fallbacks,
	})
	o.Metrics.Write(append(line, '\n'))
}

// settle turns a review's answer into one IVS Chat accepts without ever
// weakening the verdict: a DENY stays a DENY (its Content filled in from
// the message when missing, as Deny does), an ALLOW whose Content is blank
// becomes a DENY (the reviewer removed everything, and IVS Chat cannot
// deliver an empty message), and only a verdict that is neither ALLOW nor
// DENY gets the fallback.
func (o Options) settle(m Request, r Response) (Response, bool) {
	switch r.ReviewResult {
	case ResultDeny:
		if r.Content == "" {
			r.Content = m.Content
		}
		return r, false
	case ResultAllow:
		if strings.TrimSpace(r.Content) == "" {
			o.Logf("message %s in %s: ALLOW with blank Content; answering DENY", m.MessageID, m.RoomArn)
			return Deny(m, ""), false
		}
		return r, false
	}
	return o.fallback(m, "invalid answer: ReviewResult %q is neither ALLOW nor DENY", r.ReviewResult), true
}

// fallback answers with the fallback verdict and logs why.
func (o Options) fallback(m Request, format string, args ...any) Response {
	o.Logf("message %s in %s: %s; answering %s", m.MessageID, m.RoomArn, fmt.Sprintf(format, args...), o.Fallback)
	if o.Fallback == ResultDeny {
		return Deny(m, o.FallbackReason)
	}
	return Allow(m)
}

// Validate returns why IVS Chat would refuse an answer, or "": the verdict
// must be ALLOW or DENY, and Content must be present and not blank (IVS
// Chat counts an answer without content as invalid, and delivering a blank
// message is never what a rewrite means).
func Validate(r Response) string {
	switch {
	case r.ReviewResult != ResultAllow && r.ReviewResult != ResultDeny:
		return fmt.Sprintf("ReviewResult %q is neither ALLOW nor DENY", r.ReviewResult)
	case strings.TrimSpace(r.Content) == "" && r.ReviewResult == ResultAllow:
		return "ALLOW with empty Content"
	case r.Content == "":
		return "DENY without Content (every answer needs it; Deny fills it in)"
	}
	return ""
}
