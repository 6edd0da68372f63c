package timedmetadata

import (
	"context"
	"flag"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// testNow is the pinned clock: no test depends on the wall clock.
var testNow = time.Date(2031, 5, 17, 20, 0, 0, 0, time.UTC)

// clock is a pinned clock a test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	aws      *awsfake.Server
	clock    *clock
	channels []string
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{aws: awsfake.New(t), clock: &clock{now: testNow}}
	f.aws.SetClock(f.clock.Now)
	f.channels = []string{f.aws.AddChannel("mainStage1", true), f.aws.AddChannel("backstage01", false)}
	return f
}

// handler is an endpoint for the fixture's channels: hosts (the "hosts"
// group) may put metadata.
func (f *fixture) handler(t testing.TB, c Config) *Handler {
	t.Helper()
	if c.Channels == nil {
		c.Channels = f.channels
	}
	if c.CapabilityGrants == nil && c.Capabilities == nil {
		c.CapabilityGrants = []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{CapabilityPutMetadata}}}
	}
	h, err := New(c, ivs.NewFromConfig(f.aws.Config()), f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func host(body string) events.APIGatewayV2HTTPRequest {
	return apigwtest.WithClaims(apigwtest.Post(body), map[string]string{"sub": "host-1", "cognito:groups": "[hosts]"})
}

func call(t *testing.T, h *Handler, req events.APIGatewayV2HTTPRequest) (int, Response, tokenapi.Error) {
	t.Helper()
	return apigwtest.Call[Response](t, h.Handle, req)
}

func TestAHostPutsMetadataIntoTheLiveStream(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, Config{})
	cue := `{"type":"quiz","question":"Which year?","answers":["1969","1972"]}`
	status, res, e := call(t, h, host(`{"channel": "mainStage1", "metadata": `+quote(cue)+`}`))
	if status != http.StatusOK || res.ChannelArn != f.channels[0] || res.Bytes != len(cue) {
		t.Fatalf("%d %+v %+v", status, res, e)
	}
	if got := f.aws.Metadata(f.channels[0]); len(got) != 1 || got[0].Metadata != cue || !got[0].At.Equal(testNow) {
		t.Errorf("the stream carries %+v, want the cue once", got)
	}
	if got := f.aws.SignedFor("PutMetadata"); got != "ivs" {
		t.Errorf("PutMetadata signed for %q, want \"ivs\"", got)
	}
}

func TestOnlyCallersWithTheCapabilityPutMetadata(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, Config{})
	viewer := apigwtest.WithClaims(apigwtest.Post(`{"channel": "mainStage1", "metadata": "x"}`), map[string]string{"sub": "viewer-1", "cognito:groups": "[viewers]"})
	if status, _, e := call(t, h, viewer); status != http.StatusForbidden || e.Code != "CapabilityNotAllowed" {
		t.Errorf("a viewer: %d %+v, want 403 CapabilityNotAllowed", status, e)
	}
	if n := f.aws.Calls("PutMetadata"); n != 0 {
		t.Errorf("%d PutMetadata calls for a refused caller", n)
	}
	// An IAM endpoint whose every caller (backends) has the capability.
	backend := f.handler(t, Config{Authentication: tokenapi.AuthIAM, Capabilities: []string{CapabilityPutMetadata}, CapabilityGrants: []tokenapi.Grant{}})
	req := apigwtest.WithIAM(apigwtest.Post(`{"channel": "`+f.channels[0]+`", "metadata": "x"}`), "arn:aws:sts::123456789012:assumed-role/backend/caller")
	if status, _, e := call(t, backend, req); status != http.StatusOK {
		t.Errorf("an IAM caller of an endpoint granting everyone: %d %+v", status, e)
	}
}

func TestMetadataRequestsAreCheckedBeforeIVS(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, Config{})
	exactly := strings.Repeat("é", MaxMetadataBytes/2) // 1,024 bytes in 512 characters
	for name, c := range map[string]struct {
		req    events.APIGatewayV2HTTPRequest
		status int
		code   string
	}{
		"at the limit":    {host(`{"channel": "mainStage1", "metadata": "` + exactly + `"}`), http.StatusOK, ""},
		"one byte over":   {host(`{"channel": "mainStage1", "metadata": "` + exactly + `a"}`), http.StatusRequestEntityTooLarge, "MetadataTooLarge"},
		"empty":           {host(`{"channel": "mainStage1", "metadata": ""}`), http.StatusBadRequest, "EmptyMetadata"},
		"no metadata":     {host(`{"channel": "mainStage1"}`), http.StatusBadRequest, "EmptyMetadata"},
		"which channel":   {host(`{"metadata": "x"}`), http.StatusBadRequest, "MalformedRequest"},
		"unknown field":   {host(`{"channel": "mainStage1", "metadata": "x", "at": 3}`), http.StatusBadRequest, "MalformedRequest"},
		"not JSON":        {host(`channel=mainStage1`), http.StatusBadRequest, "MalformedRequest"},
		"not a channel":   {host(`{"channel": "main stage", "metadata": "x"}`), http.StatusBadRequest, "InvalidChannel"},
		"another channel": {host(`{"channel": "elsewhere1", "metadata": "x"}`), http.StatusNotFound, "ChannelNotServed"},
		"a GET":           {apigwtest.WithClaims(apigwtest.Get(map[string]string{"channel": "mainStage1", "metadata": "x"}), map[string]string{"cognito:groups": "[hosts]"}), http.StatusMethodNotAllowed, "MethodNotAllowed"},
		"offline channel": {host(`{"channel": "backstage01", "metadata": "x"}`), http.StatusConflict, "ChannelNotLive"},
	} {
		t.Run(name, func(t *testing.T) {
			status, _, e := call(t, h, c.req)
			if status != c.status || e.Code != c.code {
				t.Errorf("%d %+v, want %d %s", status, e, c.status, c.code)
			}
		})
	}
	// Only the two that passed the checks reached IVS.
	if n := f.aws.Calls("PutMetadata"); n != 2 {
		t.Errorf("%d PutMetadata calls, want 2 (at the limit, offline channel)", n)
	}
}

// The sixth call within a second on a channel is answered 429 at once,
// without calling IVS; a second later the channel takes metadata again.
// When IVS throttles anyway (another instance of the function put metadata
// on the channel), the caller gets the same answer.
func TestFivePerSecondPerChannel(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, Config{})
	put := host(`{"channel": "mainStage1", "metadata": "tick"}`)
	for i := range MaxPerSecondPerChannel {
		if status, _, e := call(t, h, put); status != http.StatusOK {
			t.Fatalf("call %d: %d %+v", i+1, status, e)
		}
		f.clock.Advance(100 * time.Millisecond)
	}
	res, _ := h.Handle(context.Background(), put)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, `"RateLimited"`) || res.Headers["Retry-After"] != "1" {
		t.Errorf("the sixth call: %d %s %v, want 429 RateLimited with Retry-After: 1", res.StatusCode, res.Body, res.Headers)
	}
	if n := f.aws.Calls("PutMetadata"); n != MaxPerSecondPerChannel {
		t.Errorf("%d PutMetadata calls, want %d: the sixth must not reach IVS", n, MaxPerSecondPerChannel)
	}
	f.clock.Advance(600 * time.Millisecond) // the first call is a second old
	if status, _, e := call(t, h, put); status != http.StatusOK {
		t.Errorf("a second later: %d %+v", status, e)
	}

	// A second instance, with its own count: IVS has 4 calls of the last
	// second (at 0.2, 0.3, 0.4 and 1.1 s), takes a fifth and throttles a
	// sixth.
	other := f.handler(t, Config{})
	if status, _, e := call(t, other, put); status != http.StatusOK {
		t.Fatalf("the other instance's first call: %d %+v", status, e)
	}
	res, _ = other.Handle(context.Background(), put)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, `"RateLimited"`) || res.Headers["Retry-After"] != "1" {
		t.Errorf("throttled by IVS: %d %s %v, want 429 RateLimited with Retry-After: 1", res.StatusCode, res.Body, res.Headers)
	}
}

func TestIVSFailingIs503(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, Config{})
	f.aws.Fail("PutMetadata", awsfake.Failure{Code: "AccessDeniedException", Status: http.StatusForbidden, Times: 1})
	if status, _, e := call(t, h, host(`{"channel": "mainStage1", "metadata": "x"}`)); status != http.StatusServiceUnavailable || e.Code != "IVSUnavailable" {
		t.Errorf("%d %+v, want 503 IVSUnavailable", status, e)
	}
}

func TestOnlyRequestsAPIGatewayAuthorized(t *testing.T) {
	f := newFixture(t)
	apigwtest.CheckAuthorization(t, func(kind string) apigwtest.Handler {
		return f.handler(t, Config{Authentication: kind, Capabilities: []string{CapabilityPutMetadata}, CapabilityGrants: []tokenapi.Grant{}}).Handle
	}, apigwtest.Post(`{"channel": "mainStage1", "metadata": "x"}`), map[string]string{"sub": "host-1"})
}

func TestParseConfig(t *testing.T) {
	if c, err := ParseConfig(`{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"], "authentication": "jwt",
		"capabilityGrants": [{"claim": "cognito:groups", "value": "hosts", "capabilities": ["PUT_METADATA"]}]}`); err != nil || len(c.Channels) != 1 {
		t.Errorf("a valid configuration: %v", err)
	}
	for config, want := range map[string]string{
		`{}`: "no channel",
		`{"channels": ["arn:aws:ivschat:us-west-2:123456789012:room/abc"]}`:                                                          "is not a channel ARN",
		`{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"], "capabilities": ["PUBLISH"]}`:                              `capability "PUBLISH" is not PUT_METADATA`,
		`{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"], "authentication": "cookie"}`:                               `authentication "cookie"`,
		`{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"], "capabilityGrants": [{"capabilities": ["PUT_METADATA"]}]}`: "give a scope or a claim",
		`{"channels": `: "not a valid configuration",
	} {
		if _, err := ParseConfig(config); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConfig(%s): %v, want an error with %q", config, err, want)
		}
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
