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
	"fmt"
	"log"
	"strings"
	"time"
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
}

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
	return func(ctx context.Context, m Request) (Response, error) {
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
				return o.fallback(m, "review failed: %v", out.err), nil
			}
			return o.settle(m, out.r), nil
		case <-ctx.Done():
			return o.fallback(m, "no answer within %s", o.Deadline), nil
		}
	}
}

// settle turns a review's answer into one IVS Chat accepts without ever
// weakening the verdict: a DENY stays a DENY (its Content filled in from
// the message when missing, as Deny does), an ALLOW whose Content is blank
// becomes a DENY (the reviewer removed everything, and IVS Chat cannot
// deliver an empty message), and only a verdict that is neither ALLOW nor
// DENY gets the fallback.
func (o Options) settle(m Request, r Response) Response {
	switch r.ReviewResult {
	case ResultDeny:
		if r.Content == "" {
			r.Content = m.Content
		}
		return r
	case ResultAllow:
		if strings.TrimSpace(r.Content) == "" {
			o.Logf("message %s in %s: ALLOW with blank Content; answering DENY", m.MessageID, m.RoomArn)
			return Deny(m, "")
		}
		return r
	}
	return o.fallback(m, "invalid answer: ReviewResult %q is neither ALLOW nor DENY", r.ReviewResult)
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
