package tokenapi

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

type request struct {
	Stage        string   `json:"stage"`
	Capabilities []string `json:"capabilities"`
	Duration     Minutes  `json:"durationMinutes"`
}

func get(query map[string]string) events.APIGatewayV2HTTPRequest {
	r := events.APIGatewayV2HTTPRequest{QueryStringParameters: query}
	r.RequestContext.HTTP.Method = http.MethodGet
	return r
}

func post(body string) events.APIGatewayV2HTTPRequest {
	r := events.APIGatewayV2HTTPRequest{Body: body}
	r.RequestContext.HTTP.Method = http.MethodPost
	return r
}

func TestDecodeReadsQueryAndBodyAlike(t *testing.T) {
	want := request{Stage: "s", Capabilities: []string{"PUBLISH", "SUBSCRIBE"}, Duration: 30}
	for name, req := range map[string]events.APIGatewayV2HTTPRequest{
		"GET":  get(map[string]string{"stage": "s", "capabilities": "PUBLISH,SUBSCRIBE", "durationMinutes": "30"}),
		"POST": post(`{"stage": "s", "capabilities": ["PUBLISH", "SUBSCRIBE"], "durationMinutes": 30}`),
	} {
		var got request
		if fail := Decode(req, &got, "capabilities"); fail != nil {
			t.Fatalf("%s: %v", name, fail)
		}
		if got.Stage != want.Stage || strings.Join(got.Capabilities, ",") != "PUBLISH,SUBSCRIBE" || got.Duration != want.Duration {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

func TestDecodeRefusesWhatItCannotRead(t *testing.T) {
	put := post("{}")
	put.RequestContext.HTTP.Method = http.MethodPut
	for name, c := range map[string]struct {
		req    events.APIGatewayV2HTTPRequest
		status int
	}{
		"unknown field":         {post(`{"stag": "s"}`), 400},
		"not JSON":              {post(`stage=s`), 400},
		"minutes not digits":    {get(map[string]string{"durationMinutes": "ten"}), 400},
		"method":                {put, 405},
		"minutes of wrong type": {post(`{"durationMinutes": true}`), 400},
	} {
		var got request
		fail := answerOf(Decode(c.req, &got))
		if fail == nil || fail.StatusCode != c.status {
			t.Errorf("%s: answer %+v, want status %d", name, fail, c.status)
			continue
		}
		var body map[string]Error
		if err := json.Unmarshal([]byte(fail.Body), &body); err != nil || body["error"].Code == "" || fail.Headers["Cache-Control"] != "no-store" {
			t.Errorf("%s: body %s is not a JSON error (%v) or is cacheable", name, fail.Body, err)
		}
	}
}

func TestDecodeTakesAnEmptyParameterAsAbsent(t *testing.T) {
	var got request
	if fail := Decode(get(map[string]string{"stage": "s", "capabilities": "", "durationMinutes": ""}), &got, "capabilities"); fail != nil ||
		got.Capabilities != nil || got.Duration != 0 {
		t.Fatalf("answer %+v, request %+v", fail, got)
	}
}

func TestDecodeIgnoresUnknownQueryParameters(t *testing.T) {
	var got request
	if fail := Decode(get(map[string]string{"stage": "s", "_": "1700000000"}), &got); fail != nil || got.Stage != "s" {
		t.Fatalf("answer %+v, request %+v", fail, got)
	}
}

// The query is written as JSON directly: a value with quotes, a
// backslash, control and non-ASCII characters arrives as it was sent.
func TestDecodeKeepsAQueryValueAsSent(t *testing.T) {
	odd := "a\"b\\c\n\u2028é,<>&"
	var got request
	if fail := Decode(get(map[string]string{"stage": odd, "capabilities": odd}), &got, "capabilities"); fail != nil ||
		got.Stage != odd || strings.Join(got.Capabilities, ",") != odd || len(got.Capabilities) != 2 {
		t.Fatalf("answer %+v, request %+v; want the stage %q", fail, got, odd)
	}
}

func TestDurationRoundTrips(t *testing.T) {
	b, _ := json.Marshal(Duration(90 * time.Second))
	var d Duration
	if err := json.Unmarshal(b, &d); err != nil || time.Duration(d) != 90*time.Second {
		t.Fatalf("%s -> %v, %v", b, time.Duration(d), err)
	}
	if err := json.Unmarshal([]byte(`"soon"`), &d); err == nil {
		t.Fatal("an invalid duration was accepted")
	}
}

func TestJWTClaim(t *testing.T) {
	req := get(nil)
	if _, ok := JWTClaim(req, "sub"); ok {
		t.Fatal("a claim was found in a request without a JWT authorizer")
	}
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "u1", "empty": ""}},
	}
	if v, ok := JWTClaim(req, "sub"); !ok || v != "u1" {
		t.Fatalf("sub = %q, %v", v, ok)
	}
	if _, ok := JWTClaim(req, "empty"); ok {
		t.Fatal("an empty claim counts as present")
	}
}

// answerOf is the response Answer makes of a failure, or nil for none.
func answerOf(err error) *events.APIGatewayV2HTTPResponse {
	if err == nil {
		return nil
	}
	r, _ := Answer(nil, err)
	return &r
}

// A failure is answered with its own status and error; any other error
// is a 500 that shows the caller nothing of it; a body is a 200.
func TestAnswerTurnsResultsIntoResponses(t *testing.T) {
	if r, err := Answer(nil, Fail(http.StatusForbidden, "NoCapability", "granted %s", "nothing")); err != nil || r.StatusCode != 403 ||
		r.Body != `{"error":{"code":"NoCapability","message":"granted nothing"}}` {
		t.Errorf("a failure: %+v, %v", r, err)
	}
	if r, err := Answer(nil, fmt.Errorf("wrapped: %w", Fail(http.StatusNotFound, "StageNotServed", "no"))); err != nil || r.StatusCode != 404 {
		t.Errorf("a wrapped failure: %+v, %v", r, err)
	}
	if r, err := Answer(nil, errors.New("secret detail")); err != nil || r.StatusCode != 500 || strings.Contains(r.Body, "secret detail") {
		t.Errorf("another error: %+v, %v", r, err)
	}
	if r, err := Answer(map[string]string{"token": "t"}, nil); err != nil || r.StatusCode != 200 || r.Body != `{"token":"t"}` ||
		r.Headers["Cache-Control"] != "no-store" {
		t.Errorf("a body: %+v, %v", r, err)
	}
}
