// Package tokenapi holds what ivscdk's token endpoints (packages
// playbacktoken, participanttoken and chattoken) share: the request
// decoding, the JSON error answers, and the configuration's duration type.
// It never imports the CDK.
//
// Every answer is JSON with Cache-Control: no-store. Errors are
// {"error": {"code": "...", "message": "..."}}, always 4xx for a caller's
// mistake; 5xx only when the endpoint itself cannot work (a key or an AWS
// API it needs is unavailable).
package tokenapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// Error is a failed answer's body: {"error": {...}}.
type Error struct {
	// Code is a stable, machine-readable name of the error.
	Code string `json:"code"`
	// Message says what went wrong and what to change.
	Message string `json:"message"`
}

// Reply is an answer with a JSON body (an Error is wrapped as
// {"error": ...}); a JSONAppender writes its own.
func Reply(status int, body any) events.APIGatewayV2HTTPResponse {
	if e, ok := body.(Error); ok {
		body = map[string]Error{"error": e}
	}
	var b []byte
	var err error
	if a, ok := body.(JSONAppender); ok {
		b = a.AppendJSON(make([]byte, 0, 512))
	} else {
		b, err = json.Marshal(body)
	}
	if err != nil {
		b = []byte(`{"error":{"code":"Internal","message":"encoding the answer failed"}}`)
		status = http.StatusInternalServerError
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(b),
	}
}

// Failure is a request the endpoint refuses or cannot answer: the HTTP
// status and the answer's error. The handlers return it as an error, and
// Answer turns it into the response, in one place.
type Failure struct {
	Status int
	Err    Error
	// RetryAfter, when set, is sent as the Retry-After header (whole
	// seconds): when the caller may try again.
	RetryAfter time.Duration
}

// Error implements error: "403 NoCapability: ...".
func (f *Failure) Error() string {
	return fmt.Sprintf("%d %s: %s", f.Status, f.Err.Code, f.Err.Message)
}

// Fail is a failure with its status, code and message.
func Fail(status int, code, format string, args ...any) *Failure {
	return &Failure{Status: status, Err: Error{code, fmt.Sprintf(format, args...)}}
}

// Answer is where a handler's result becomes its response: body with 200,
// a *Failure with its status and error, and any other error as 500
// Internal, logged and never shown to the caller. The Lambda invocation
// itself never fails: API Gateway would answer a bare 500.
func Answer(body any, err error) (events.APIGatewayV2HTTPResponse, error) {
	if err == nil {
		return Reply(http.StatusOK, body), nil
	}
	var f *Failure
	if errors.As(err, &f) {
		resp := Reply(f.Status, f.Err)
		if f.RetryAfter > 0 {
			resp.Headers["Retry-After"] = strconv.Itoa(int((f.RetryAfter + time.Second - 1) / time.Second))
		}
		return resp, nil
	}
	log.Printf("internal error: %v", err)
	return Reply(http.StatusInternalServerError, Error{"Internal", "the endpoint failed; try again later"}), nil
}

// Decode reads a request into the fields of into (a pointer to a struct
// with JSON tags): a POST's JSON body, or a GET's query string parameters
// by the same names, where the parameters named in lists are
// comma-separated lists. Unknown fields of a POST body are refused; unknown
// query parameters are ignored (browsers and caches add their own, such as
// cache busters). It returns the 400 or 405 failure for a request it cannot
// read.
func Decode(req events.APIGatewayV2HTTPRequest, into any, lists ...string) error {
	var data []byte
	switch req.RequestContext.HTTP.Method {
	case http.MethodGet, "":
		// The query as a JSON object, written directly (no map, no second
		// encoding): each parameter a string, a list parameter an array
		// of its comma-separated values. No parameter leaves into as it is.
		data = make([]byte, 0, 128)
		data = append(data, '{')
		for name, value := range req.QueryStringParameters {
			if value == "" {
				continue // "?capabilities=" asks for nothing in particular
			}
			if len(data) > 1 {
				data = append(data, ',')
			}
			data = append(AppendString(data, name), ':')
			if !slices.Contains(lists, name) {
				data = AppendString(data, value)
				continue
			}
			data = append(data, '[')
			for i, v := range strings.Split(value, ",") {
				if i > 0 {
					data = append(data, ',')
				}
				data = AppendString(data, v)
			}
			data = append(data, ']')
		}
		if len(data) == 1 {
			return nil
		}
		if err := json.Unmarshal(append(data, '}'), into); err != nil {
			return Fail(http.StatusBadRequest, "MalformedRequest", "the request is not understood: %.200v", err)
		}
		return nil
	case http.MethodPost:
		data = []byte(req.Body)
		if req.IsBase64Encoded {
			return Fail(http.StatusBadRequest, "MalformedRequest", "send the body as JSON text (Content-Type: application/json)")
		}
		if strings.TrimSpace(req.Body) == "" {
			data = []byte("{}")
		}
	default:
		return Fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "use GET or POST, not %.20s", req.RequestContext.HTTP.Method)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if req.RequestContext.HTTP.Method == http.MethodPost {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(into); err != nil {
		return Fail(http.StatusBadRequest, "MalformedRequest", "the request is not understood: %.200v", err)
	}
	return nil
}

// JWTClaim returns a claim of the caller's JSON Web Token, as API Gateway's
// JWT authorizer verified it; ok is false when there is none.
func JWTClaim(req events.APIGatewayV2HTTPRequest, claim string) (string, bool) {
	if req.RequestContext.Authorizer == nil || req.RequestContext.Authorizer.JWT == nil {
		return "", false
	}
	v := req.RequestContext.Authorizer.JWT.Claims[claim]
	return v, v != ""
}

// Duration is a time.Duration written as a Go duration string ("5m0s").
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// Minutes is a whole number of minutes in a request, written as a JSON
// number or, in a query string, as digits.
type Minutes int

// UnmarshalJSON reads a number or a string of digits.
func (m *Minutes) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		*m = Minutes(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("minutes must be a whole number")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("minutes %.20q is not a whole number", s)
	}
	*m = Minutes(n)
	return nil
}

// The ways API Gateway may authorize a token endpoint's routes, as the
// construct writes them into the configuration ("authentication").
const (
	AuthIAM  = wire.AuthIAM
	AuthJWT  = wire.AuthJWT
	AuthNone = wire.AuthNone
)

// CheckAuthentication tells whether kind is one of the ways above, or ""
// (a configuration written before the setting existed: nothing checked).
func CheckAuthentication(kind string) error { return wire.CheckAuthentication(kind) }

// CheckCaller refuses (403 NotAuthorizedByAPIGateway) a request that API
// Gateway did not authorize as the endpoint's routes are set up to: an IAM
// endpoint answers only requests with an IAM authorizer context, a JWT
// endpoint only requests with verified claims. A route whose authorization
// was changed by hand (an escape hatch, the console) or a direct
// invocation of the function then fails closed instead of handing out
// tokens. kind "" or AuthNone checks nothing.
func CheckCaller(req events.APIGatewayV2HTTPRequest, kind string) error {
	a := req.RequestContext.Authorizer
	switch {
	case kind == AuthIAM && (a == nil || a.IAM == nil):
	case kind == AuthJWT && (a == nil || a.JWT == nil || len(a.JWT.Claims) == 0):
	default:
		return nil
	}
	log.Printf("refused a request without API Gateway's %s authorization (route %q): check the route's authorization", kind, req.RouteKey)
	return Fail(http.StatusForbidden, "NotAuthorizedByAPIGateway",
		"this endpoint answers requests that API Gateway authorized (%s) only", kind)
}
