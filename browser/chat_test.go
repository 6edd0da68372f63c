package browser

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/ivscdk/ivscdk/handler/chattoken"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/rehearsal"
	"github.com/ivscdk/ivscdk/webpage"
)

// chatServer speaks the documented IVS Chat Messaging API over WebSocket
// (Amazon IVS Chat Messaging API Reference): the chat token is the
// WebSocket subprotocol; SEND_MESSAGE, DELETE_MESSAGE and DISCONNECT_USER
// requests; MESSAGE, EVENT (aws:DELETE_MESSAGE, aws:DISCONNECT_USER) and
// ERROR answers. A token is accepted only if the chat token endpoint
// issued it, with the capabilities and user ID it answered. Every message
// goes to the room's message review handler first, as IVS Chat sends it:
// the example's own moderator, running under the Lambda RIE with the
// BANNED_WORDS the example's template gives it. A DENY is refused with
// 406, an ALLOW is delivered with the Content the review answered.
type chatServer struct {
	*httptest.Server
	api       *httpAPI
	moderator *rehearsal.Running
	roomArn   string
	mu        sync.Mutex
	conns     map[*websocket.Conn]chatUser
	sent      []string
}

type chatUser struct {
	UserID       string   `json:"userId"`
	Capabilities []string `json:"capabilities"`
	Token        string   `json:"token"`
}

// newChatServer is the chat server of the room that example's template
// defines, with the example's own moderator and the BANNED_WORDS its
// template gives it.
func newChatServer(t *testing.T, example string, api *httpAPI, roomArn string) *chatServer {
	c := &chatServer{api: api, roomArn: roomArn, conns: map[*websocket.Conn]chatUser{}}
	moderator, err := rehearsal.Emulator{RIE: tools.rie}.Start(&rehearsal.FunctionSpec{LogicalID: "Moderator",
		Bootstrap: tools.moderators[example], Env: map[string]string{"BANNED_WORDS": exampleBannedWords(t, example)}, Timeout: 3, MemorySize: 128}, awsfake.New(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(moderator.Stop)
	c.moderator = moderator
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

// issued finds the answer of the chat token endpoint that gave token.
func (c *chatServer) issued(token string) (chatUser, bool) {
	c.api.mu.Lock()
	defer c.api.mu.Unlock()
	for _, a := range c.api.answers {
		var u chatUser
		if json.Unmarshal([]byte(a), &u) == nil && u.Token == token && token != "" {
			return u, true
		}
	}
	return chatUser{}, false
}

func (c *chatServer) serve(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimSpace(r.Header.Get("Sec-WebSocket-Protocol"))
	user, ok := c.issued(token)
	if !ok {
		http.Error(w, "unknown chat token", http.StatusUnauthorized)
		return
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{token}, InsecureSkipVerify: true})
	if err != nil {
		return
	}
	c.mu.Lock()
	c.conns[conn] = user
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.conns, conn)
		c.mu.Unlock()
		conn.CloseNow()
	}()
	ctx := r.Context()
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var req struct{ Action, RequestId, Content, Id, UserId, Reason string }
		if json.Unmarshal(data, &req) != nil {
			c.reply(ctx, conn, chatError(req.RequestId, 400, "the request is not JSON"))
			continue
		}
		now := time.Now().UTC().Format(time.RFC3339Nano)
		switch {
		case req.Action == "SEND_MESSAGE" && !slices.Contains(user.Capabilities, "SEND_MESSAGE"):
			c.reply(ctx, conn, chatError(req.RequestId, 403, "the connection may not send messages"))
		case req.Action == "SEND_MESSAGE":
			id := randomID()
			review, err := c.review(ctx, id, req.Content, user)
			if err != nil || review.ReviewResult != "ALLOW" {
				// IVS Chat applies the room's fallback (DENY in the
				// example) when the review fails.
				c.reply(ctx, conn, chatError(req.RequestId, 406, "the message was rejected during message review"))
				continue
			}
			c.mu.Lock()
			c.sent = append(c.sent, review.Content)
			c.mu.Unlock()
			c.broadcast(ctx, map[string]any{"Type": "MESSAGE", "Id": id, "RequestId": req.RequestId, "Content": review.Content,
				"Attributes": map[string]string{}, "SendTime": now, "Sender": map[string]any{"UserId": user.UserID, "Attributes": map[string]string{}}})
		case req.Action == "DELETE_MESSAGE" && slices.Contains(user.Capabilities, "DELETE_MESSAGE"):
			c.broadcast(ctx, map[string]any{"Type": "EVENT", "Id": randomID(), "RequestId": req.RequestId, "EventName": "aws:DELETE_MESSAGE",
				"SendTime": now, "Attributes": map[string]string{"MessageID": req.Id, "Reason": req.Reason}})
		case req.Action == "DISCONNECT_USER" && slices.Contains(user.Capabilities, "DISCONNECT_USER"):
			c.broadcast(ctx, map[string]any{"Type": "EVENT", "Id": randomID(), "RequestId": req.RequestId, "EventName": "aws:DISCONNECT_USER",
				"SendTime": now, "Attributes": map[string]string{"UserId": req.UserId, "Reason": req.Reason}})
		default:
			c.reply(ctx, conn, chatError(req.RequestId, 403, "the connection's capabilities do not permit this action"))
		}
	}
}

// chatReview is the part of a message review handler's answer IVS Chat
// acts on.
type chatReview struct {
	ReviewResult string
	Content      string
}

// review sends the message to the moderator as IVS Chat does (Amazon IVS
// Chat user guide, "Chat Message Review Handler": Content, MessageId,
// RoomArn, Attributes, Sender) and returns its verdict.
func (c *chatServer) review(ctx context.Context, id, content string, user chatUser) (chatReview, error) {
	out, err := c.moderator.Invoke(ctx, map[string]any{"Content": content, "MessageId": id, "RoomArn": c.roomArn,
		"Attributes": map[string]string{}, "Sender": map[string]any{"UserId": user.UserID, "Ip": "127.0.0.1", "Attributes": map[string]string{}}})
	var r chatReview
	if err == nil {
		err = json.Unmarshal(out, &r)
	}
	return r, err
}

// exampleBannedWords reads BANNED_WORDS of the moderator function from
// the example's golden template: what its deploy sets.
func exampleBannedWords(t *testing.T, example string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "examples", example, "testdata", example+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var template struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Environment struct{ Variables map[string]any }
			}
		}
	}
	if err := json.Unmarshal(data, &template); err != nil {
		t.Fatal(err)
	}
	for id, r := range template.Resources {
		if words, ok := r.Properties.Environment.Variables["BANNED_WORDS"].(string); ok && r.Type == "AWS::Lambda::Function" && strings.Contains(id, "Moderator") {
			return words
		}
	}
	t.Fatalf("the %s template has no moderator function with BANNED_WORDS", example)
	return ""
}

func chatError(requestID string, code int, message string) map[string]any {
	return map[string]any{"Type": "ERROR", "Id": randomID(), "RequestId": requestID, "ErrorCode": code, "ErrorMessage": message}
}

func (c *chatServer) reply(ctx context.Context, conn *websocket.Conn, v any) {
	data, _ := json.Marshal(v)
	conn.Write(ctx, websocket.MessageText, data)
}

func (c *chatServer) broadcast(ctx context.Context, v any) {
	c.mu.Lock()
	conns := make([]*websocket.Conn, 0, len(c.conns))
	for conn := range c.conns {
		conns = append(conns, conn)
	}
	c.mu.Unlock()
	for _, conn := range conns {
		c.reply(ctx, conn, v)
	}
}

// chatRig is the chat-room page with the real chat token handler (calling
// the local IVS Chat) and the chat server.
type chatRig struct {
	*pageRig
	chat *chatServer
}

func newChatRig(t *testing.T) *chatRig {
	r := &chatRig{}
	var chatURL, room string
	r.pageRig = newPageRig(t, "chat-room", "/chat-token", func(origin string) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		fake := awsfake.New(t)
		room = fake.AddRoom()
		handler, err := chattoken.New(chattoken.Config{
			Authentication: tokenapi.AuthJWT,
			Rooms:          []string{room}, Capabilities: []string{chattoken.CapabilitySendMessage},
			CapabilityGrants: []tokenapi.Grant{{Claim: "cognito:groups", Value: "moderators",
				Capabilities: []string{chattoken.CapabilityDisconnectUser, chattoken.CapabilityDeleteMessage}}},
			MaxSessionDurationMinutes: 60, UserIDClaim: "sub",
		}, ivschat.NewFromConfig(fake.Config()))
		if err != nil {
			t.Fatal(err)
		}
		return handler.Handle
	}, func(config map[string]any) { config["chatUrl"] = chatURL })
	r.chat = newChatServer(t, "chat-room", r.api, room)
	chatURL = "ws" + strings.TrimPrefix(r.chat.URL, "http")
	// examples/chat-room/page.go's policy, local hosts in place of the
	// region's API Gateway, Cognito and IVS Chat messaging endpoint.
	r.headers = webpage.Headers(&webpage.Props{
		IVSSDKs:        true,
		ConnectSources: []string{r.api.URL, r.oidc.URL, chatURL},
	})
	return r
}

// send types a message and submits it with Enter.
func (r *chatRig) send(t *testing.T, text string) {
	t.Helper()
	if err := chromedp.Do(r.ctx, chromedp.SendKeys(chromedp.ID("message"), text+"\r")); err != nil {
		t.Fatal(err)
	}
}

// logText returns the messages shown.
func (r *chatRig) logText(t *testing.T) string {
	t.Helper()
	text, err := chromedp.Run(r.ctx, chromedp.Text(chromedp.ID("log")))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func (r *chatRig) waitLog(t *testing.T, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if strings.Contains(r.logText(t), want) {
			return
		}
	}
	t.Fatalf("the chat shows %q, want %q (status %q)", r.logText(t), want, r.text(t))
}

// A moderator signs in, chats through the SDK, sees a denied message shown
// as denied, and deletes a message.
func TestChatModeratorChats(t *testing.T) {
	r := newChatRig(t)
	r.oidc.mu.Lock()
	r.oidc.subject, r.oidc.groups = "mod-1", []string{"moderators"}
	r.oidc.mu.Unlock()
	r.open(t, false)
	r.status(t, "Sign in to chat.")
	r.signIn(t)
	r.status(t, "Connected, as a moderator.")
	r.send(t, "hello everyone")
	r.waitLog(t, "mod-1\nhello everyone")
	r.send(t, "no spoiler please")
	r.waitLog(t, "Not delivered (the room's moderation denied it): no spoiler please")
	r.status(t, "the room's moderation denied it")
	if n, _ := chromedp.Run(r.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#log button.delete").length`)); n != 1 {
		t.Errorf("%d delete buttons for a moderator, want 1", n)
	}
	screenshot(t, r.ctx, "chat-moderator")
	r.firstMessageID(t)
	r.click(t, "delete-first")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && strings.Contains(r.logText(t), "hello everyone"); time.Sleep(200 * time.Millisecond) {
	}
	if strings.Contains(r.logText(t), "hello everyone") {
		t.Error("the deleted message is still shown")
	}
	r.chat.mu.Lock()
	sent := slices.Clone(r.chat.sent)
	r.chat.mu.Unlock()
	if !slices.Equal(sent, []string{"hello everyone"}) {
		t.Errorf("the room got %q, want only the allowed message", sent)
	}
	r.noProblems(t)
}

// firstMessageID returns the IVS Chat ID of the first message shown; the
// test clicks its Delete button through the item's id.
func (r *chatRig) firstMessageID(t *testing.T) string {
	t.Helper()
	id, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](`(() => { const b = document.querySelector("#log li button.delete");
		b.id = "delete-first"; return b.closest("li").id.slice(2); })()`))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A chatter without the moderators group sends, and sees no moderation
// controls.
func TestChatViewerHasNoModeration(t *testing.T) {
	r := newChatRig(t)
	r.open(t, false)
	r.status(t, "Sign in to chat.")
	r.signIn(t)
	r.status(t, "Connected.")
	r.send(t, "hi")
	r.waitLog(t, "viewer-1\nhi")
	if n, _ := chromedp.Run(r.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#log button").length`)); n != 0 {
		t.Errorf("%d moderation buttons for a chatter without the capabilities, want 0", n)
	}
	screenshot(t, r.ctx, "chat-viewer")
	r.signOutAsksAgain(t, "Connected.")
	r.noProblems(t)
}

// When the chat token endpoint refuses (403) or cannot be reached, the
// page says so and offers to try again; at phone width it fits.
func TestChatBadPathsAndPhoneWidth(t *testing.T) {
	r := newChatRig(t)
	r.api.set(func(a *httpAPI) { a.forbid = true })
	r.open(t, true)
	r.status(t, "Sign in to chat.")
	r.signIn(t)
	r.status(t, "not allowed in this room")
	if !r.visible(t, "retry") {
		t.Error("403: no Try again")
	}
	r.endpointDown(t)
	r.api.set(func(a *httpAPI) { a.down = false })
	r.click(t, "retry")
	r.status(t, "Connected.")
	r.fitsPhone(t)
	screenshot(t, r.ctx, "chat-phone")

	r.expiredSignIn(t)
	r.noProblems(t)
}
