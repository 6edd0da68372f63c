package rehearsal

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// reviewLimit is IVS Chat's message review handler timeout (IVS Chat
// service quotas, "Message review handler timeout period": 200 ms, not
// adjustable); a later answer gets the room's fallback.
const reviewLimit = 200 * time.Millisecond

// TestChatRoomModerator sends the chat-room example's review handler the
// messages IVS Chat would and checks each verdict and its time.
func TestChatRoomModerator(t *testing.T) {
	rehearseModerator(t, deploy(t, "chat-room", "IvsChatRoom"), "Moderator", "Room")
}

// rehearseModerator checks that the room (the logical ID prefix) sends
// its messages to the moderator function (the prefix) with fallback DENY,
// and sends the function the messages IVS Chat would: a greeting is
// allowed and trimmed, a banned word (the examples ban "spoiler") and a
// blank message denied with a reason, each within IVS Chat's time.
func rehearseModerator(t *testing.T, d *deployment, moderatorPrefix, roomPrefix string) {
	moderator := d.spec(moderatorPrefix)
	room := d.id("AWS::IVSChat::Room", roomPrefix)
	handler, _ := d.properties(room)["MessageReviewHandler"].(map[string]any)
	if handler["Uri"] != d.ref(map[string]any{"Fn::GetAtt": []any{moderator.LogicalID, "Arn"}}) || handler["FallbackResult"] != "DENY" {
		t.Fatalf("the room's review handler is %v, want the moderator with fallback DENY", handler)
	}
	fn := d.start(moderator)
	roomArn := d.ref(map[string]any{"Fn::GetAtt": []any{room, "Arn"}})
	review := func(content string) (map[string]any, time.Duration) {
		t.Helper()
		event := map[string]any{"Content": content, "MessageId": "msg-1", "RoomArn": roomArn,
			"Attributes": map[string]string{"kind": "text"},
			"Sender":     map[string]any{"UserId": "viewer-1", "Ip": "192.0.2.1", "Attributes": map[string]string{}}}
		start := time.Now()
		out, err := fn.Invoke(ctx(t), event)
		took := time.Since(start)
		if err != nil {
			t.Fatalf("review of %q: %v", content, err)
		}
		var answer map[string]any
		if err := json.Unmarshal(out, &answer); err != nil {
			t.Fatalf("review of %q answered %s", content, out)
		}
		return answer, took
	}
	review("warm-up") // the first invocation includes the cold start

	for _, c := range []struct{ content, verdict, delivered string }{
		{"  hello everyone  ", "ALLOW", "hello everyone"},
		{"no SPOILER please", "DENY", "no SPOILER please"},
		{"   ", "DENY", "   "},
	} {
		answer, took := review(c.content)
		if answer["ReviewResult"] != c.verdict || answer["Content"] != c.delivered {
			t.Errorf("review of %q: %v, want %s with Content %q", c.content, answer, c.verdict, c.delivered)
		}
		t.Logf("review of %q: %v in %s (warm, under the RIE)", c.content, answer["ReviewResult"], took.Round(time.Millisecond))
		if took >= reviewLimit {
			t.Errorf("review of %q took %s under the RIE; IVS Chat waits %s", c.content, took, reviewLimit)
		}
		if c.verdict == "DENY" {
			if reason, _ := answer["Attributes"].(map[string]any)["Reason"].(string); reason == "" {
				t.Errorf("a DENY of %q tells the sender no reason: %v", c.content, answer)
			}
		}
	}
}

// TestChatRoomTokens asks the chat-room example's token function for chat
// tokens as API Gateway passes requests on, as deployed by default (a
// signed-in user of the Cognito pool) and with -c cognito=false (an IAM
// role), and checks what it asks IVS Chat for.
func TestChatRoomTokens(t *testing.T) {
	t.Run("signed-in user", func(t *testing.T) {
		rehearseChatTokens(t, deploy(t, "chat-room", "IvsChatRoom"), "Tokens", "Room", signedInUser, "alice-sub")
	})
	t.Run("backend", func(t *testing.T) {
		d := deployFrom(t, synthesize(t, "chat-room", "-iam", iamContext), "IvsChatRoom")
		rehearseChatTokens(t, d, "Tokens", "Room", backend, "")
	})
}

// rehearseChatTokens: caller's requests to the endpoint (its ID) get
// SEND_MESSAGE tokens of the room (its logical ID prefix) only, for user
// (any user ID when "").
func rehearseChatTokens(t *testing.T, d *deployment, endpoint, roomPrefix string, caller func(body any) events.APIGatewayV2HTTPRequest, user string) {
	fn := d.start(d.spec(endpoint + "Function"))
	roomArn := d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVSChat::Room", roomPrefix), "Arn"}})

	resp, err := fn.HTTP(ctx(t), caller(map[string]any{"room": roomArn}))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("chat token: %d %s %v", resp.StatusCode, resp.Body, err)
	}
	var reply struct {
		RoomArn, Token, UserID string
		Capabilities           []string
	}
	if err := json.Unmarshal([]byte(resp.Body), &reply); err != nil {
		t.Fatal(err)
	}
	if reply.RoomArn != roomArn || reply.Token == "" || reply.UserID == "" || (user != "" && reply.UserID != user) ||
		!slices.Equal(reply.Capabilities, []string{"SEND_MESSAGE"}) {
		t.Errorf("chat token answer %+v", reply)
	}
	if n, signed := d.aws.Calls("CreateChatToken"), d.aws.SignedFor("CreateChatToken"); n != 1 || signed != "ivschat" {
		t.Errorf("CreateChatToken called %d times, signed for %q; want once, for ivschat", n, signed)
	}
	if h := resp.Headers["Cache-Control"]; !strings.Contains(h, "no-store") {
		t.Errorf("a chat token answer may be cached: Cache-Control %q", h)
	}

	// A caller outside the moderators group gets SEND_MESSAGE only:
	// moderation capabilities are refused, and no room but its own is
	// served.
	resp, err = fn.HTTP(ctx(t), caller(map[string]any{"room": roomArn, "capabilities": []string{"DELETE_MESSAGE"}}))
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("DELETE_MESSAGE asked: %d %s %v, want 403", resp.StatusCode, resp.Body, err)
	}
	other := strings.Replace(roomArn, "room/", "room/other", 1)
	resp, err = fn.HTTP(ctx(t), caller(map[string]any{"room": other}))
	if err != nil || resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Errorf("another room asked: %d %s %v, want a 4xx", resp.StatusCode, resp.Body, err)
	}
	// Fail closed: a request API Gateway did not authorize (a route
	// changed by hand, a direct invocation) gets no token.
	resp, err = fn.HTTP(ctx(t), httpRequest(map[string]any{"room": roomArn}))
	if err != nil || resp.StatusCode != http.StatusForbidden || !strings.Contains(resp.Body, "NotAuthorizedByAPIGateway") {
		t.Errorf("an unauthorized request: %d %s %v, want 403 NotAuthorizedByAPIGateway", resp.StatusCode, resp.Body, err)
	}
	if n := d.aws.Calls("CreateChatToken"); n != 1 {
		t.Errorf("refused requests reached IVS Chat: %d calls", n)
	}
}

// TestQuickstart: the quick start deploys no Lambda function, so there is
// nothing of it to run; this fails when that changes, so that its functions
// join the rehearsal.
func TestQuickstart(t *testing.T) {
	stack, err := LoadStack(cdkOut(t, "quickstart"), "IvsQuickstart")
	if err != nil {
		t.Fatal(err)
	}
	if fns := stack.OfType("AWS::Lambda::Function"); len(fns) != 0 {
		t.Errorf("the quick start now has functions %v: rehearse them", fns)
	}
	if len(stack.OfType("AWS::IVS::Channel")) == 0 {
		t.Errorf("the quick start has no channel; is this the right template?")
	}
}

// TestChatRoomModeratorsByGroup synthesizes the chat-room example with JWT
// authentication (as `cdk deploy -c jwtIssuer=... -c jwtAudience=...`
// does) and checks that moderation capabilities follow the caller's
// cognito:groups claim, as API Gateway's JWT authorizer passes it on.
func TestChatRoomModeratorsByGroup(t *testing.T) {
	d := deployFrom(t, synthesize(t, "chat-room", "-jwt", jwtContext), "IvsChatRoom")
	fn := d.start(d.spec("TokensFunction"))
	roomArn := d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVSChat::Room", "Room"), "Arn"}})
	ask := func(claims map[string]string, capabilities ...string) (int, []string, string) {
		t.Helper()
		body := map[string]any{"room": roomArn}
		if capabilities != nil {
			body["capabilities"] = capabilities
		}
		resp, err := fn.HTTP(ctx(t), JWTRequest(body, claims, []string{"openid", "profile"}))
		if err != nil {
			t.Fatal(err)
		}
		var reply struct {
			UserID       string
			Capabilities []string
		}
		json.Unmarshal([]byte(resp.Body), &reply)
		return resp.StatusCode, reply.Capabilities, reply.UserID
	}
	moderator := map[string]string{"sub": "mod-1", "cognito:groups": "[viewers moderators]"}
	viewer := map[string]string{"sub": "viewer-1", "cognito:groups": "[viewers]"}
	if status, caps, user := ask(moderator); status != 200 || user != "mod-1" ||
		!slices.Equal(caps, []string{"SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"}) {
		t.Errorf("a moderator: %d %v user %q", status, caps, user)
	}
	if status, caps, user := ask(viewer); status != 200 || user != "viewer-1" || !slices.Equal(caps, []string{"SEND_MESSAGE"}) {
		t.Errorf("a viewer: %d %v user %q", status, caps, user)
	}
	if status, _, _ := ask(viewer, "DELETE_MESSAGE"); status != http.StatusForbidden {
		t.Errorf("a viewer asking to delete messages: %d, want 403", status)
	}
	if status, _, _ := ask(map[string]string{"cognito:groups": "[moderators]"}); status != http.StatusForbidden {
		t.Errorf("a token without sub: %d, want 403 (the user ID comes from sub)", status)
	}
}
