package chattoken

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

type fixture struct {
	aws   *awsfake.Server
	h     *Handler
	rooms []string
}

func newFixture(t testing.TB, c Config) *fixture {
	f := &fixture{aws: awsfake.New(t)}
	f.rooms = []string{f.aws.AddRoom(), f.aws.AddRoom()}
	c.Rooms = f.rooms
	if c.MaxSessionDurationMinutes == 0 {
		c.MaxSessionDurationMinutes = 60
	}
	h, err := New(c, ivschat.NewFromConfig(f.aws.Config()))
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

var (
	get        = apigwtest.Get
	post       = apigwtest.Post
	withClaims = apigwtest.WithClaims
)

func (f *fixture) call(t *testing.T, req events.APIGatewayV2HTTPRequest) (int, Response, tokenapi.Error) {
	t.Helper()
	return apigwtest.Call[Response](t, f.h.Handle, req)
}

func TestChatTokensComeFromIVSChatForTheCaller(t *testing.T) {
	f := newFixture(t, Config{UserIDClaim: "sub", Capabilities: []string{CapabilitySendMessage, CapabilityDeleteMessage},
		Attributes: map[string]string{"app": "demo"}, ClaimAttributes: map[string]string{"displayName": "name"}})
	req := withClaims(post(`{"room": "`+f.rooms[1]+`", "capabilities": ["SEND_MESSAGE"], "sessionDurationMinutes": "15"}`),
		map[string]string{"sub": "user-7", "name": "Bo"})
	status, res, e := f.call(t, req)
	if status != http.StatusOK {
		t.Fatalf("%d %+v", status, e)
	}
	if res.RoomArn != f.rooms[1] || res.UserID != "user-7" || res.Token == "" || strings.Join(res.Capabilities, ",") != "SEND_MESSAGE" {
		t.Errorf("answer %+v", res)
	}
	if d := res.SessionExpiresAt.Sub(res.TokenExpiresAt); d != 14*time.Minute {
		t.Errorf("session ends %s after the token, want 14m (15m session, 1m token)", d)
	}
	if got := f.aws.SignedFor("CreateChatToken"); got != "ivschat" {
		t.Errorf("CreateChatToken signed for %q, want \"ivschat\"", got)
	}
}

func TestWithoutAUserIDClaimEachTokenGetsAFreshID(t *testing.T) {
	f := newFixture(t, Config{})
	_, a, _ := f.call(t, get(map[string]string{"room": f.rooms[0]}))
	_, b, _ := f.call(t, get(map[string]string{"room": f.rooms[0]}))
	if a.UserID == "" || a.UserID == b.UserID || len(a.Capabilities) != 0 {
		t.Errorf("user IDs %q and %q, capabilities %v: want two different IDs and none (view only)", a.UserID, b.UserID, a.Capabilities)
	}
}

func TestErrorsAreDocumentedAnswers(t *testing.T) {
	f := newFixture(t, Config{UserIDClaim: "sub", Capabilities: []string{CapabilitySendMessage}})
	sub := map[string]string{"sub": "u"}
	room := f.rooms[0]
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		code   string
	}{
		{"two rooms, none named", withClaims(get(nil), sub), 400, "MalformedRequest"},
		{"user ID in the body", withClaims(post(`{"room": "`+room+`", "userId": "admin"}`), sub), 400, "MalformedRequest"},
		{"not a room", withClaims(get(map[string]string{"room": "arn:aws:ivs:us-west-2:123456789012:channel/x"}), sub), 400, "InvalidRoom"},
		{"other room", withClaims(get(map[string]string{"room": "zzzzzzzzzzzz"}), sub), 404, "RoomNotServed"},
		{"bad capability", withClaims(get(map[string]string{"room": room, "capabilities": "BAN"}), sub), 400, "InvalidCapability"},
		{"not allowed", withClaims(get(map[string]string{"room": room, "capabilities": "DISCONNECT_USER"}), sub), 403, "CapabilityNotAllowed"},
		{"too long", withClaims(get(map[string]string{"room": room, "sessionDurationMinutes": "61"}), sub), 400, "InvalidDuration"},
		{"no JWT", get(map[string]string{"room": room}), 403, "MissingUserId"},
	}
	for _, c := range cases {
		status, _, e := f.call(t, c.req)
		if status != c.status || e.Code != c.code {
			t.Errorf("%s: %d %+v, want %d %s", c.name, status, e, c.status, c.code)
		}
	}
	f.aws.Fail("CreateChatToken", awsfake.Failure{Code: "AccessDeniedException", Status: 403})
	if status, _, e := f.call(t, withClaims(get(map[string]string{"room": room}), sub)); status != 503 || e.Code != "ChatUnavailable" {
		t.Errorf("IVS Chat refusing: %d %+v", status, e)
	}
}

func TestParseConfigRefusesWhatCannotWork(t *testing.T) {
	good := `{"rooms": ["arn:aws:ivschat:us-west-2:123456789012:room/abc"], "capabilities": ["SEND_MESSAGE"], "maxSessionDurationMinutes": 60}`
	if _, err := ParseConfig(good); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"not JSON":   `[`,
		"no room":    `{"maxSessionDurationMinutes": 60}`,
		"stage ARN":  strings.Replace(good, `ivschat:us-west-2:123456789012:room`, `ivs:us-west-2:123456789012:stage`, 1),
		"capability": strings.Replace(good, `SEND_MESSAGE`, `PUBLISH`, 1),
		"session":    strings.Replace(good, `60`, `181`, 1),
	} {
		if _, err := ParseConfig(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzHandleNeverFailsTheCallerWith5xx(f *testing.F) {
	f.Add("GET", "room=abc&capabilities=SEND_MESSAGE", "")
	f.Add("POST", "", `{"room": "x", "sessionDurationMinutes": 7}`)
	fx := newFixture(f, Config{Capabilities: []string{CapabilitySendMessage}})
	f.Fuzz(func(t *testing.T, method, query, body string) {
		req := events.APIGatewayV2HTTPRequest{Body: body, QueryStringParameters: map[string]string{}}
		req.RequestContext.HTTP.Method = method
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			req.QueryStringParameters[k] = v
		}
		res, err := fx.h.Handle(context.Background(), req)
		if err != nil || res.StatusCode >= 500 {
			t.Fatalf("%s %q %q: %d %v %s", method, query, body, res.StatusCode, err, res.Body)
		}
	})
}

// Moderation capabilities go only to callers whose verified JWT is in the
// moderators group: the group list arrives as API Gateway sends it.
func TestCapabilityGrantsFollowTheCallersGroups(t *testing.T) {
	f := newFixture(t, Config{UserIDClaim: "sub", Capabilities: []string{CapabilitySendMessage},
		CapabilityGrants: []tokenapi.Grant{{Claim: "cognito:groups", Value: "moderators",
			Capabilities: []string{CapabilityDisconnectUser, CapabilityDeleteMessage}}}})
	room := f.rooms[0]
	viewer := map[string]string{"sub": "v", "cognito:groups": "[viewers]"}
	moderator := map[string]string{"sub": "m", "cognito:groups": "[viewers moderators]"}

	if status, res, e := f.call(t, withClaims(get(map[string]string{"room": room}), moderator)); status != 200 ||
		strings.Join(res.Capabilities, ",") != "SEND_MESSAGE,DISCONNECT_USER,DELETE_MESSAGE" {
		t.Errorf("a moderator asking for nothing in particular: %d %v %+v, want every granted capability", status, res.Capabilities, e)
	}
	if status, res, _ := f.call(t, withClaims(get(map[string]string{"room": room, "capabilities": "DELETE_MESSAGE"}), moderator)); status != 200 ||
		strings.Join(res.Capabilities, ",") != "DELETE_MESSAGE" {
		t.Errorf("a moderator asking for DELETE_MESSAGE: %d %v", status, res.Capabilities)
	}
	if status, res, _ := f.call(t, withClaims(get(map[string]string{"room": room}), viewer)); status != 200 ||
		strings.Join(res.Capabilities, ",") != "SEND_MESSAGE" {
		t.Errorf("a viewer: %d %v, want SEND_MESSAGE only", status, res.Capabilities)
	}
	if status, _, e := f.call(t, withClaims(get(map[string]string{"room": room, "capabilities": "DELETE_MESSAGE"}), viewer)); status != 403 ||
		e.Code != "CapabilityNotAllowed" {
		t.Errorf("a viewer asking for DELETE_MESSAGE: %d %+v, want 403 CapabilityNotAllowed", status, e)
	}
	if _, err := ParseConfig(`{"rooms":["` + room + `"],"maxSessionDurationMinutes":60,"capabilityGrants":[{"scope":"s","capabilities":["PUBLISH"]}]}`); err == nil {
		t.Error("a grant of a participant capability was accepted for chat")
	}
}

// TestHandleAnswersOnlyWhatAPIGatewayAuthorized: a request API Gateway did
// not authorize as the configuration says (a route changed by hand, a
// direct invocation) gets 403, never a token.
func TestHandleAnswersOnlyWhatAPIGatewayAuthorized(t *testing.T) {
	apigwtest.CheckAuthorization(t, func(kind string) apigwtest.Handler {
		f := newFixture(t, Config{Authentication: kind, Capabilities: []string{"SEND_MESSAGE"}})
		return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			req.QueryStringParameters = map[string]string{"room": f.rooms[0]}
			return f.h.Handle(ctx, req)
		}
	}, get(nil), map[string]string{"sub": "chatter-1"})
	if _, err := ParseConfig(`{"rooms": ["arn:aws:ivschat:us-west-2:123456789012:room/abc"], "maxSessionDurationMinutes": 60, "authentication": "cookie"}`); err == nil ||
		!strings.Contains(err.Error(), `authentication "cookie"`) {
		t.Errorf("an unknown authentication: %v", err)
	}
}

// TestChatTokenSessionDuration: a request without a session duration gets
// the endpoint's maximum, sent to IVS Chat explicitly; IVS Chat's own
// default (60 minutes) is longer than this endpoint allows.
func TestChatTokenSessionDuration(t *testing.T) {
	f := newFixture(t, Config{UserIDClaim: "sub", MaxSessionDurationMinutes: 15})
	status, res, e := f.call(t, withClaims(post(`{"room": "`+f.rooms[0]+`"}`), map[string]string{"sub": "u"}))
	if status != http.StatusOK {
		t.Fatalf("%d %+v", status, e)
	}
	if d := res.SessionExpiresAt.Sub(res.TokenExpiresAt); d != 14*time.Minute {
		t.Errorf("session ends %s after the token, want 14m (the endpoint's 15-minute maximum, 1m token)", d)
	}
}

// TestResponseJSONIsEncodingJSONs: the answer written by hand equals
// json.Marshal's, escapes and times included.
func TestResponseJSONIsEncodingJSONs(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 123456789, time.UTC)
	for _, r := range []Response{
		{RoomArn: "arn:aws:ivschat:us-west-2:123456789012:room/abc", Token: "tok<&>", UserID: "u\"\\\n\u2028é", Capabilities: []string{"SEND_MESSAGE", "DELETE_MESSAGE"},
			TokenExpiresAt: at, SessionExpiresAt: at.Add(time.Hour)},
		{Capabilities: []string{}, TokenExpiresAt: at.Truncate(time.Second)},
		{},
		{UserID: "\xff bad UTF-8", TokenExpiresAt: at.In(time.FixedZone("X", 3600))},
	} {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}
