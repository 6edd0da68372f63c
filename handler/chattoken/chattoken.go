// Package chattoken is the runtime half of ivschat.ChatTokenEndpoint: an
// HTTP handler (API Gateway HTTP API, payload format 2.0) that hands out
// IVS Chat tokens for the rooms it serves, through the IVS Chat
// CreateChatToken API.
//
// # Request
//
//	GET  /chat-token?room=<ARN or ID>&capabilities=SEND_MESSAGE&sessionDurationMinutes=60
//	POST /chat-token  {"room": "...", "capabilities": ["SEND_MESSAGE"], "sessionDurationMinutes": 60}
//
// Every field is optional: room when the endpoint serves one room,
// capabilities (a subset of those the endpoint allows; default all of
// them; viewing messages needs none), sessionDurationMinutes (1 to the
// endpoint's maximum; default the maximum). The user ID and attributes
// never come from the request: the user ID is the caller's verified JWT
// claim the endpoint names (IVS Chat requires one: an endpoint without a
// claim gives each token a fresh random ID), the attributes are the
// endpoint's own plus the claims it maps.
//
// # Response
//
// 200, with Cache-Control: no-store:
//
//	{"roomArn": "...", "token": "...", "userId": "...", "capabilities": ["SEND_MESSAGE"],
//	 "tokenExpiresAt": "...", "sessionExpiresAt": "..."}
//
// A chat token must be used to connect within its own expiry (a minute, per
// the CreateChatToken reference); the session then lasts until
// sessionExpiresAt.
//
// Errors are JSON ({"error": {"code", "message"}}):
//
//	400 MalformedRequest      body not JSON, unknown field, no room where one is needed
//	400 InvalidRoom           room is neither a room ARN nor a room ID
//	400 InvalidCapability     not SEND_MESSAGE, DISCONNECT_USER or DELETE_MESSAGE
//	400 InvalidDuration       sessionDurationMinutes outside 1 to the endpoint's maximum
//	403 CapabilityNotAllowed  a capability the endpoint does not grant this caller
//	403 MissingUserId         the user ID claim is absent or longer than 128 characters
//	403 AttributesTooLarge    the attributes (with the mapped claims) exceed 1 KB
//	403 NotAuthorizedByAPIGateway  API Gateway did not authorize the request as configured (authentication)
//	404 RoomNotServed         a well-formed room this endpoint does not serve
//	405 MethodNotAllowed      neither GET nor POST
//	503 ChatUnavailable       IVS Chat refused or failed
//
// The package never imports the CDK.
package chattoken

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// EnvConfig is the environment variable holding the Config as JSON.
const EnvConfig = wire.ChatEnvConfig

// Limits of CreateChatToken (IVS Chat API reference; botocore's ivschat
// model: SessionDurationInMinutes 1 to 180, UserID 1 to 128 characters,
// attributes at most 1 KB).
const (
	MaxSessionDurationMinutes = wire.MaxChatSessionDurationMinutes
	MaxUserIDLength           = wire.MaxChatUserIDLength
	MaxAttributesSize         = wire.MaxChatAttributesSize
)

// The chat token capabilities.
const (
	CapabilitySendMessage    = wire.ChatCapabilitySendMessage
	CapabilityDisconnectUser = wire.ChatCapabilityDisconnectUser
	CapabilityDeleteMessage  = wire.ChatCapabilityDeleteMessage
)

// Config is the endpoint's configuration, as the construct writes it.
type Config struct {
	// Authentication is how API Gateway authorizes the routes
	// (tokenapi.AuthIAM, AuthJWT or AuthNone); requests it did not
	// authorize so are refused. "" checks nothing.
	Authentication string `json:"authentication,omitempty"`
	// Rooms are the ARNs of the rooms served. At least one.
	Rooms []string `json:"rooms"`
	// Capabilities are those the endpoint hands out; a request asks for a
	// subset, by default all. May be empty (read-only chatters).
	Capabilities []string `json:"capabilities"`
	// CapabilityGrants give callers with a JWT scope or claim more
	// capabilities than Capabilities (moderators DISCONNECT_USER and
	// DELETE_MESSAGE, say).
	CapabilityGrants []tokenapi.Grant `json:"capabilityGrants,omitempty"`
	// MaxSessionDurationMinutes is the longest session a request may ask
	// for, and the default.
	MaxSessionDurationMinutes int `json:"maxSessionDurationMinutes"`
	// UserIDClaim names the JWT claim that becomes the user ID; "" gives
	// each token a random user ID.
	UserIDClaim string `json:"userIdClaim,omitempty"`
	// Attributes go into every token.
	Attributes map[string]string `json:"attributes,omitempty"`
	// ClaimAttributes maps attribute names to JWT claims copied into them.
	ClaimAttributes map[string]string `json:"claimAttributes,omitempty"`
}

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	return tokenapi.ParseConfig(EnvConfig, data, func(c *Config) error {
		if err := c.check(); err != nil {
			return err
		}
		return tokenapi.CheckAuthentication(c.Authentication)
	})
}

func (c *Config) check() error {
	if err := tokenapi.CheckARNs("room", c.Rooms, tokenapi.RoomArnPattern); err != nil {
		return err
	}
	if c.MaxSessionDurationMinutes < 1 || c.MaxSessionDurationMinutes > MaxSessionDurationMinutes {
		return fmt.Errorf("maxSessionDurationMinutes %d is not 1 to %d", c.MaxSessionDurationMinutes, MaxSessionDurationMinutes)
	}
	for _, capability := range c.Capabilities {
		if !validCapability(capability) {
			return fmt.Errorf("capability %q is not SEND_MESSAGE, DISCONNECT_USER or DELETE_MESSAGE", capability)
		}
	}
	return tokenapi.CheckGrants(c.CapabilityGrants, validCapabilities)
}

var validCapabilities = []string{CapabilitySendMessage, CapabilityDisconnectUser, CapabilityDeleteMessage}

func validCapability(c string) bool { return slices.Contains(validCapabilities, c) }

// ChatAPI is the part of the IVS Chat client the handler calls.
type ChatAPI interface {
	CreateChatToken(context.Context, *ivschat.CreateChatTokenInput, ...func(*ivschat.Options)) (*ivschat.CreateChatTokenOutput, error)
}

// Handler answers token requests. It is safe for concurrent use.
type Handler struct {
	config Config
	served *tokenapi.Served
	chat   ChatAPI
}

// New returns a Handler for config calling IVS Chat with client.
func New(config Config, client ChatAPI) (*Handler, error) {
	if err := config.check(); err != nil {
		return nil, err
	}
	return &Handler{config: config, served: tokenapi.NewServed("Room", tokenapi.RoomArnPattern, config.Rooms), chat: client}, nil
}

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), an IVS Chat client from the environment's AWS
// configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		return New(c, ivschat.NewFromConfig(cfg))
	})
}

type request struct {
	Room                   string           `json:"room"`
	Capabilities           []string         `json:"capabilities"`
	SessionDurationMinutes tokenapi.Minutes `json:"sessionDurationMinutes"`
}

// Response is a successful answer's body.
type Response struct {
	// RoomArn is the room the token is for.
	RoomArn string `json:"roomArn"`
	// Token is what the chat client connects with; a secret of the caller.
	Token string `json:"token"`
	// UserID is the chat user the token stands for.
	UserID string `json:"userId"`
	// Capabilities are what the token allows besides reading.
	Capabilities []string `json:"capabilities"`
	// TokenExpiresAt is when the token stops opening connections.
	TokenExpiresAt time.Time `json:"tokenExpiresAt"`
	// SessionExpiresAt is when a connection opened with it is closed.
	SessionExpiresAt time.Time `json:"sessionExpiresAt"`
}

// AppendJSON writes r as encoding/json does (tokenapi.JSONAppender): the
// answer every warm request gives, without reflection.
func (r Response) AppendJSON(dst []byte) []byte {
	dst = tokenapi.AppendString(append(dst, `{"roomArn":`...), r.RoomArn)
	dst = tokenapi.AppendString(append(dst, `,"token":`...), r.Token)
	dst = tokenapi.AppendString(append(dst, `,"userId":`...), r.UserID)
	dst = tokenapi.AppendStrings(append(dst, `,"capabilities":`...), r.Capabilities)
	dst = r.TokenExpiresAt.AppendFormat(append(dst, `,"tokenExpiresAt":"`...), time.RFC3339Nano)
	dst = r.SessionExpiresAt.AppendFormat(append(dst, `","sessionExpiresAt":"`...), time.RFC3339Nano)
	return append(dst, `"}`...)
}

// Handle answers one request; see the package documentation.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return tokenapi.Answer(h.handle(ctx, req))
}

// handle returns the answer's body, or the *tokenapi.Failure that says why
// there is none.
func (h *Handler) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (any, error) {
	if fail := tokenapi.CheckCaller(req, h.config.Authentication); fail != nil {
		return nil, fail
	}
	var in request
	if fail := tokenapi.Decode(req, &in, "capabilities"); fail != nil {
		return nil, fail
	}
	room, fail := h.served.Pick(in.Room)
	if fail != nil {
		return nil, fail
	}
	allowed := tokenapi.Allowed(req, h.config.Capabilities, h.config.CapabilityGrants, validCapabilities)
	capabilities, fail := tokenapi.Capabilities(in.Capabilities, allowed, validCapabilities)
	if fail != nil {
		return nil, fail
	}
	session, fail := in.SessionDurationMinutes.Within("sessionDurationMinutes", h.config.MaxSessionDurationMinutes)
	if fail != nil {
		return nil, fail
	}
	userID, attributes, fail := tokenapi.Identity{
		UserIDClaim: h.config.UserIDClaim, MaxUserIDLength: MaxUserIDLength,
		Attributes: h.config.Attributes, ClaimAttributes: h.config.ClaimAttributes, MaxAttributesSize: MaxAttributesSize,
	}.Of(req)
	if fail != nil {
		return nil, fail
	}
	if userID == "" {
		userID = "anonymous-" + ivstoken.NewUUID()
	}
	// What each field's absence means at IVS Chat (CreateChatToken, IVS
	// Chat API reference:
	// https://docs.aws.amazon.com/ivs/latest/ChatAPIReference/API_CreateChatToken.html):
	//   - sessionDurationInMinutes: 60 minutes, which can be longer than
	//     the endpoint allows, so it is always sent;
	//   - capabilities: none (reading messages only), less than any
	//     grant, so an empty set is left out and means exactly that;
	//   - attributes: none.
	in2 := &ivschat.CreateChatTokenInput{
		RoomIdentifier:           aws.String(room),
		UserId:                   aws.String(userID),
		SessionDurationInMinutes: aws.Int32(int32(session)),
	}
	for _, c := range capabilities {
		in2.Capabilities = append(in2.Capabilities, types.ChatTokenCapability(c))
	}
	in2.Attributes = attributes
	out, err := h.chat.CreateChatToken(ctx, in2)
	if err != nil {
		log.Printf("CreateChatToken for %s: %v", room, err)
		return nil, tokenapi.Fail(http.StatusServiceUnavailable, "ChatUnavailable", "IVS Chat did not issue a token now; try again later")
	}
	if capabilities == nil {
		capabilities = []string{}
	}
	return Response{
		RoomArn: room, Token: aws.ToString(out.Token), UserID: userID, Capabilities: capabilities,
		TokenExpiresAt: aws.ToTime(out.TokenExpirationTime).UTC(), SessionExpiresAt: aws.ToTime(out.SessionExpirationTime).UTC(),
	}, nil
}
