// Package stagesessions is the runtime of ivs.StageSessions: real-time
// sessions made on demand. A host (a caller with CapabilityHost) opens a
// session, which is a new IVS stage tagged with the construct and its
// owner; others join it by its ID; the owner or a moderator ends it; a
// moderator removes a participant with a reason; and a schedule deletes
// the construct's stages that have been idle too long.
//
// IVS's own list is the state: the stages and their tags (ListStages),
// whether one is in use (activeSessionId) and when its last session ended
// (ListStageSessions). Nothing is kept elsewhere, so no lost or late event
// can leave a session behind or forget one. Stages without the
// construct's tag are never touched.
//
// # Requests
//
//	POST   /sessions                                   open a session (CapabilityHost): 201 and the host's token
//	GET    /sessions?session=<ID>                      join: a participant token for the session
//	DELETE /sessions?session=<ID>                      end it (its owner, or CapabilityModerate)
//	POST   /sessions/disconnect?session=<ID>&participant=<ID>&reason=<text>   remove a participant (CapabilityModerate)
//	POST   /sessions/promote?session=<ID>&participant=<ID>&role=cohost|viewer   make a participant a co-host, or a viewer again (the owner, or CapabilityModerate)
//	GET    /sessions/exchange?session=<ID>&participant=<ID>   the caller's own participant, its token again with the capabilities it has now
//	GET    /sessions/status?session=<ID>&participant=<ID>     what the caller's page shows: in use, on air, the participant's role, why it was removed
//	GET    /sessions/chat?session=<ID>                        a chat token for the session's room (Config.ChatRooms)
//
// Tokens carry PUBLISH and SUBSCRIBE for the session's owner, for hosts and
// for co-hosts, SUBSCRIBE for everyone else; their user ID is the caller's
// claim Config.UserIDClaim names. IVS issues them (CreateParticipantToken),
// or, with a signing key (Config.SecretArn), the function signs them, so
// that a promoted participant's page can exchange its token in place
// without reconnecting: the exchanged token keeps the participant's ID
// (jti), stage and endpoints, which the IVS Real-Time User Guide ("IVS
// Broadcast SDK: Token Exchange") makes immutable, and works only for
// tokens signed with a key pair. A co-host is a tag on the session's
// stage (TagCoHost and the participant ID), so the state stays IVS's.
//
// Errors are JSON ({"error": {"code", "message"}}): 403 NoCapability,
// 403 MissingUserId, 404 SessionNotFound, 429 SessionLimit (the caller's
// own limit), 429 Busy (the construct's, or IVS's stage quota), 503
// IVSUnavailable.
//
// The package never imports the CDK.
package stagesessions

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// The capabilities grants give (Config.Grants).
const (
	CapabilityHost     = wire.StageSessionsCapabilityHost
	CapabilityModerate = wire.StageSessionsCapabilityModerate
)

// The tags of a session's stage; TagCoHost followed by a participant ID
// marks that participant a co-host; TagRemoved followed by one holds why
// a moderator removed it.
const (
	TagMadeBy  = wire.StageSessionsTagMadeBy
	TagOwner   = wire.StageSessionsTagOwner
	TagCreated = wire.StageSessionsTagCreated
	TagCoHost  = wire.StageSessionsTagCoHost
	TagRemoved = wire.StageSessionsTagRemoved
)

// Path is the routes' path.
const Path = wire.StageSessionsPath

// EnvConfig is the environment variable holding the Config as JSON.
const EnvConfig = wire.StageSessionsEnvConfig

// Defaults.
const (
	DefaultIdleAfter    = 30 * time.Minute
	DefaultTokenMinutes = 120
	// DefaultKeyCacheTTL is the longest a read signing key is used.
	DefaultKeyCacheTTL = 5 * time.Minute
)

// Config is what the construct writes for the function.
type Config struct {
	Authentication string `json:"authentication,omitempty"`
	// MadeBy is the value of the TagMadeBy tag on this construct's
	// stages: only those are listed, counted and deleted.
	MadeBy string `json:"madeBy"`
	// Grants give CapabilityHost and CapabilityModerate by JWT scope or
	// claim.
	Grants []tokenapi.Grant `json:"grants,omitempty"`
	// UserIDClaim names the claim that identifies a caller: a session's
	// owner, a token's user ID. Required.
	UserIDClaim string `json:"userIdClaim"`
	// MaxPerOwner and MaxSessions bound the sessions open at once, per
	// owner and in all; 0 is no bound of the construct's own (IVS's stage
	// quota still applies).
	MaxPerOwner int `json:"maxPerOwner,omitempty"`
	MaxSessions int `json:"maxSessions,omitempty"`
	// IdleAfter is how long a stage may stay unused, since it was made or
	// its last session ended, before the schedule deletes it. Default
	// DefaultIdleAfter.
	IdleAfter tokenapi.Duration `json:"idleAfter,omitempty"`
	// TokenMinutes is the participant tokens' lifetime, 1 to 20160.
	// Default DefaultTokenMinutes.
	TokenMinutes int `json:"tokenMinutes,omitempty"`
	// SecretArn, when set, names the secret of the key that signs the
	// tokens (an ivs.ManagedPublicKey's, whose IVS public key is found by
	// its tags; PublicKeyArn names the public key of a key of your own),
	// so that tokens can be exchanged. Default: IVS issues them.
	SecretArn    string            `json:"secretArn,omitempty"`
	PublicKeyArn string            `json:"publicKeyArn,omitempty"`
	KeyCacheTTL  tokenapi.Duration `json:"keyCacheTtl,omitempty"`
	// Broadcast, when set, composes each session to a channel (and,
	// with a storage configuration, records it) from its first
	// publisher on. One session is on air at a time.
	Broadcast *Broadcast `json:"broadcast,omitempty"`
	// ChatRooms gives each session an IVS Chat room of its own, made and
	// deleted with its stage (GET /sessions/chat hands out its tokens).
	ChatRooms bool `json:"chatRooms,omitempty"`
}

// Broadcast is where sessions are composed to: a channel, which must be
// offline, in the stage's account and region, with an encoder
// configuration; and optionally a storage configuration that records the
// composition with the same encoder configuration.
type Broadcast struct {
	ChannelArn              string `json:"channelArn"`
	EncoderConfigurationArn string `json:"encoderConfigurationArn"`
	StorageConfigurationArn string `json:"storageConfigurationArn,omitempty"`
}

var (
	madeBy     = regexp.MustCompile(`^[a-zA-Z0-9+\-=._:/@]{1,256}$`)
	channelArn = regexp.MustCompile(`^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[0-9]{12}:channel/[a-zA-Z0-9-]+$`)
	encoderArn = regexp.MustCompile(`^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[0-9]{12}:encoder-configuration/[a-zA-Z0-9-]+$`)
	storageArn = regexp.MustCompile(`^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[0-9]{12}:storage-configuration/[a-zA-Z0-9-]+$`)
)

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	var c Config
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("%s is not a stage sessions configuration: %w", EnvConfig, err)
	}
	switch {
	case !madeBy.MatchString(c.MadeBy):
		return nil, fmt.Errorf("%s: madeBy %q is not a tag value", EnvConfig, c.MadeBy)
	case c.UserIDClaim == "":
		return nil, fmt.Errorf("%s: userIdClaim is required (it names a session's owner)", EnvConfig)
	case c.MaxPerOwner < 0 || c.MaxSessions < 0 || c.IdleAfter < 0:
		return nil, fmt.Errorf("%s: maxPerOwner, maxSessions and idleAfter cannot be negative", EnvConfig)
	case c.KeyCacheTTL < 0 || c.PublicKeyArn != "" && c.SecretArn == "":
		return nil, fmt.Errorf("%s: keyCacheTtl cannot be negative, and publicKeyArn needs secretArn", EnvConfig)
	case c.TokenMinutes < 0 || c.TokenMinutes > wire.MaxParticipantDurationMinutes:
		return nil, fmt.Errorf("%s: tokenMinutes %d is not 1 to %d", EnvConfig, c.TokenMinutes, wire.MaxParticipantDurationMinutes)
	}
	if b := c.Broadcast; b != nil && (!channelArn.MatchString(b.ChannelArn) || !encoderArn.MatchString(b.EncoderConfigurationArn) ||
		b.StorageConfigurationArn != "" && !storageArn.MatchString(b.StorageConfigurationArn)) {
		return nil, fmt.Errorf("%s: broadcast needs a channel ARN and an encoder configuration ARN (and, to record, a storage configuration ARN): %+v", EnvConfig, *b)
	}
	if err := tokenapi.CheckAuthentication(c.Authentication); err != nil {
		return nil, err
	}
	if err := tokenapi.CheckGrants(c.Grants, capabilities); err != nil {
		return nil, err
	}
	return &c, nil
}

var capabilities = []string{CapabilityHost, CapabilityModerate}

// IVS is the part of the IVS real-time API the handler calls.
type IVS interface {
	CreateStage(context.Context, realtimeapi.CreateStageInput) (*realtimeapi.Stage, error)
	GetStage(context.Context, string) (*realtimeapi.Stage, error)
	DeleteStage(context.Context, string) error
	ListStages(context.Context) ([]realtimeapi.StageSummary, error)
	LatestStageSession(context.Context, string) (*realtimeapi.StageSession, error)
	CreateParticipantToken(context.Context, realtimeapi.CreateParticipantTokenInput) (*realtimeapi.ParticipantToken, error)
	DisconnectParticipant(ctx context.Context, stageArn, participantID, reason string) error
	GetParticipant(ctx context.Context, stageArn, sessionID, participantID string) (*realtimeapi.Participant, error)
	TagResource(ctx context.Context, arn string, tags map[string]string) error
	UntagResource(ctx context.Context, arn string, keys []string) error
	StartComposition(context.Context, realtimeapi.StartCompositionInput) (*realtimeapi.Composition, error)
	StopComposition(context.Context, string) error
	ListCompositions(context.Context, string) ([]realtimeapi.Composition, error)
}

// Signer gives the participant token signer of the current key
// (participanttoken.SelfSigner).
type Signer interface {
	Signer(context.Context) (*ivstoken.ParticipantSigner, error)
}

// Handler answers the endpoint's requests and runs the cleanup.
type Handler struct {
	config    Config
	ivs       IVS
	chat      Chat
	signer    Signer
	now       func() time.Time
	idleAfter time.Duration
	minutes   int

	mu        sync.Mutex
	endpoints map[string]realtimeapi.StageEndpoints // by stage ARN: fixed for a stage's life
}

// WithSigner makes h sign its tokens with signer (Config.SecretArn's
// key) instead of having IVS issue them.
func (h *Handler) WithSigner(signer Signer) *Handler {
	h.signer = signer
	return h
}

// New returns the handler of c. now is the clock (nil: time.Now).
func New(c Config, ivs IVS, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	h := &Handler{config: c, ivs: ivs, now: now, idleAfter: time.Duration(c.IdleAfter), minutes: c.TokenMinutes,
		endpoints: map[string]realtimeapi.StageEndpoints{}}
	if h.idleAfter == 0 {
		h.idleAfter = DefaultIdleAfter
	}
	if h.minutes == 0 {
		h.minutes = DefaultTokenMinutes
	}
	return h
}

// Session is the answer to opening or joining a session.
type Session struct {
	// Session is the session's ID (its stage's resource ID), which others
	// join by.
	Session       string    `json:"session"`
	StageArn      string    `json:"stageArn"`
	Owner         bool      `json:"owner"`
	ParticipantID string    `json:"participantId"`
	Token         string    `json:"token"`
	Capabilities  []string  `json:"capabilities"`
	ExpiresAt     time.Time `json:"expiresAt"`
	// OnAir tells, with a Broadcast, whether the session is being
	// composed to the channel now.
	OnAir bool `json:"onAir"`
	// ChatRoomArn is the session's chat room (Config.ChatRooms), whose
	// tokens GET /sessions/chat hands out.
	ChatRoomArn string `json:"chatRoomArn,omitempty"`
}

// Handle answers one request.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	body, status, err := h.handle(ctx, req)
	resp, _ := tokenapi.Answer(body, err)
	if err == nil && status != 0 {
		resp.StatusCode = status
	}
	return resp, nil
}

func (h *Handler) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (any, int, error) {
	if err := tokenapi.CheckCaller(req, h.config.Authentication); err != nil {
		return nil, 0, err
	}
	user, ok := tokenapi.JWTClaim(req, h.config.UserIDClaim)
	if !ok || user == "" || len([]rune(user)) > 128 {
		return nil, 0, tokenapi.Fail(http.StatusForbidden, "MissingUserId", "the caller's %s claim is missing or longer than 128 characters: it names a session's owner", h.config.UserIDClaim)
	}
	allowed := tokenapi.Allowed(req, nil, h.config.Grants, capabilities)
	method, path, q := req.RequestContext.HTTP.Method, strings.TrimSuffix(req.RawPath, "/"), req.QueryStringParameters
	switch {
	case method == http.MethodPost && strings.HasSuffix(path, Path+"/promote"):
		return h.promote(ctx, q["session"], q["participant"], q["role"], user, slices.Contains(allowed, CapabilityModerate))
	case method == http.MethodGet && strings.HasSuffix(path, Path+"/chat"):
		answer, err := h.chatToken(ctx, q["session"], user, slices.Contains(allowed, CapabilityModerate))
		return answer, 0, err
	case method == http.MethodGet && strings.HasSuffix(path, Path+"/status"):
		answer, err := h.status(ctx, q["session"], q["participant"], user, slices.Contains(allowed, CapabilityHost))
		return answer, 0, err
	case method == http.MethodGet && strings.HasSuffix(path, Path+"/exchange"):
		answer, err := h.exchange(ctx, q["session"], q["participant"], user, slices.Contains(allowed, CapabilityHost))
		return answer, 0, err
	case method == http.MethodPost && strings.HasSuffix(path, Path+"/disconnect"):
		if !slices.Contains(allowed, CapabilityModerate) {
			return nil, 0, tokenapi.Fail(http.StatusForbidden, "NoCapability", "removing a participant needs the %s capability", CapabilityModerate)
		}
		return h.disconnect(ctx, q["session"], q["participant"], q["reason"])
	case method == http.MethodPost && strings.HasSuffix(path, Path):
		if !slices.Contains(allowed, CapabilityHost) {
			return nil, 0, tokenapi.Fail(http.StatusForbidden, "NoCapability", "opening a session needs the %s capability", CapabilityHost)
		}
		answer, err := h.open(ctx, user)
		return answer, http.StatusCreated, err
	case method == http.MethodGet && strings.HasSuffix(path, Path):
		answer, err := h.join(ctx, q["session"], user, slices.Contains(allowed, CapabilityHost))
		return answer, 0, err
	case method == http.MethodDelete && strings.HasSuffix(path, Path):
		return h.end(ctx, q["session"], user, slices.Contains(allowed, CapabilityModerate))
	}
	return nil, 0, tokenapi.Fail(http.StatusNotFound, "NoSuchRoute", "%.10s %.100s is not a route: POST, GET or DELETE %s, POST %s/disconnect or /promote, GET %s/exchange, /status or /chat", method, path, Path, Path, Path)
}

// ours returns the construct's stages.
func (h *Handler) ours(ctx context.Context) ([]realtimeapi.StageSummary, error) {
	all, err := h.ivs.ListStages(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	var out []realtimeapi.StageSummary
	for _, st := range all {
		if st.Tags[TagMadeBy] == h.config.MadeBy {
			out = append(out, st)
		}
	}
	return out, nil
}

// unavailable marks an IVS call that failed: h.failure answers it 503
// IVSUnavailable and logs the cause.
func unavailable(err error) error { return &ivsFailure{err} }

type ivsFailure struct{ err error }

func (f *ivsFailure) Error() string { return f.err.Error() }
func (f *ivsFailure) Unwrap() error { return f.err }

// open makes a stage for user, within the limits, and answers the owner's
// token.
func (h *Handler) open(ctx context.Context, user string) (any, error) {
	stages, err := h.ours(ctx)
	if err != nil {
		return nil, h.failure(err)
	}
	owned := 0
	for _, st := range stages {
		if st.Tags[TagOwner] == user {
			owned++
		}
	}
	if h.config.Broadcast != nil {
		// One session on air at a time: another in use, or still on
		// the channel, holds it.
		if busy, err := h.channelHeld(ctx, stages, ""); err != nil {
			return nil, h.failure(err)
		} else if busy != "" {
			return nil, tokenapi.Fail(http.StatusConflict, "ChannelBusy", "session %s is on the channel now (one session is broadcast at a time): join it, or open yours when it ends", busy)
		}
	}
	switch {
	case h.config.MaxPerOwner > 0 && owned >= h.config.MaxPerOwner:
		return nil, tokenapi.Fail(http.StatusTooManyRequests, "SessionLimit", "you have %d sessions open, the most one host may: end one first", owned)
	case h.config.MaxSessions > 0 && len(stages) >= h.config.MaxSessions:
		return nil, tokenapi.Fail(http.StatusTooManyRequests, "Busy", "all %d sessions are in use: try again when one ends", len(stages))
	}
	tags := map[string]string{TagMadeBy: h.config.MadeBy, TagOwner: user, TagCreated: h.now().UTC().Format(time.RFC3339)}
	name, room := stageName(user), ""
	if h.chat != nil {
		// The room first, so that the stage names it from the start; a
		// room left without its stage is swept.
		if room, err = h.newRoom(ctx, name, tags); err != nil {
			return nil, h.failure(err)
		}
		tags = map[string]string{TagMadeBy: tags[TagMadeBy], TagOwner: user, TagCreated: tags[TagCreated], TagRoom: room}
	}
	st, err := h.ivs.CreateStage(ctx, realtimeapi.CreateStageInput{Name: name, Tags: tags})
	if err != nil {
		if gone := h.deleteRoom(ctx, room); gone != nil {
			log.Printf("the room %s of a session that could not open stays until the sweep: %v", room, gone)
		}
	}
	if realtimeapi.IsQuotaExceeded(err) {
		return nil, tokenapi.Fail(http.StatusTooManyRequests, "Busy", "the account has as many stages as IVS allows: try again when a session ends")
	}
	if err != nil {
		return nil, h.failure(unavailable(err))
	}
	h.rememberEndpoints(st.Arn, st.Endpoints)
	return withRoom(h.token(ctx, st.Arn, "", user, true, []string{realtimeapi.CapabilityPublish, realtimeapi.CapabilitySubscribe}))(room)
}

// withRoom adds the session's chat room to a token answer.
func withRoom(answer any, err error) func(room string) (any, error) {
	return func(room string) (any, error) {
		if s, ok := answer.(Session); ok && err == nil {
			s.ChatRoomArn = room
			return s, nil
		}
		return answer, err
	}
}

// stageName is a stage's name: "session-" and the owner in the letters a
// name may hold (IVS real-time API reference, StageName: at most 128 of
// a-z, A-Z, 0-9, - and _).
func stageName(user string) string {
	var b strings.Builder
	b.WriteString("session-")
	for _, r := range user {
		if b.Len() >= 128 {
			break
		}
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// session finds one of the construct's stages by session ID.
func (h *Handler) session(ctx context.Context, id string) (*realtimeapi.Stage, error) {
	if !sessionID.MatchString(id) {
		return nil, tokenapi.Fail(http.StatusBadRequest, "InvalidSession", "session %.80q is not a session ID", id)
	}
	stages, err := h.ours(ctx)
	if err != nil {
		return nil, h.failure(err)
	}
	for _, st := range stages {
		if strings.HasSuffix(st.Arn, "/"+id) {
			return &realtimeapi.Stage{Arn: st.Arn, Name: st.Name, ActiveSessionID: st.ActiveSessionID, Tags: st.Tags}, nil
		}
	}
	return nil, tokenapi.Fail(http.StatusNotFound, "SessionNotFound", "there is no session %s: it ended, or was never opened here", id)
}

var sessionID = regexp.MustCompile(`^[a-zA-Z0-9-]{1,64}$`)

// join answers a token for a session: PUBLISH and SUBSCRIBE for its owner
// and for hosts, SUBSCRIBE for everyone else.
func (h *Handler) join(ctx context.Context, id, user string, host bool) (any, error) {
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, err
	}
	owner := st.Tags[TagOwner] == user
	return withRoom(h.token(ctx, st.Arn, "", user, owner, capabilitiesOf(owner || host)))(st.Tags[TagRoom])
}

// capabilitiesOf is what a participant may do: publish too, or only
// subscribe.
func capabilitiesOf(publishes bool) []string {
	if publishes {
		return []string{realtimeapi.CapabilityPublish, realtimeapi.CapabilitySubscribe}
	}
	return []string{realtimeapi.CapabilitySubscribe}
}

// token answers a participant token for the stage: a new participant, or
// participant (its ID kept: an exchange).
func (h *Handler) token(ctx context.Context, stageArn, participant, user string, owner bool, caps []string) (any, error) {
	var answer Session
	if h.signer == nil {
		t, err := h.ivs.CreateParticipantToken(ctx, realtimeapi.CreateParticipantTokenInput{StageArn: stageArn, Duration: h.minutes, UserID: user, Capabilities: caps})
		if err != nil {
			return nil, h.failure(unavailable(err))
		}
		answer = Session{ParticipantID: t.ParticipantID, Token: t.Token, ExpiresAt: t.ExpirationTime}
	} else {
		signed, err := h.sign(ctx, stageArn, participant, user, caps)
		if err != nil {
			return nil, err
		}
		answer = signed
	}
	answer.Session, answer.StageArn, answer.Owner, answer.Capabilities = stageID(stageArn), stageArn, owner, caps
	if h.config.Broadcast != nil {
		live, err := h.liveCompositions(ctx, stageArn)
		if err != nil {
			return nil, h.failure(err)
		}
		answer.OnAir = len(live) > 0
	}
	return answer, nil
}

func stageID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// rememberEndpoints keeps a stage's endpoints, which never change while
// it lives.
func (h *Handler) rememberEndpoints(stageArn string, e realtimeapi.StageEndpoints) {
	if e.Events != "" && e.Whip != "" {
		h.mu.Lock()
		h.endpoints[stageArn] = e
		h.mu.Unlock()
	}
}

// sign signs a token with the current key: the stage's endpoints
// (GetStage, once per stage), the participant's ID (new, or kept for an
// exchange), the user ID and capabilities, the token lifetime.
func (h *Handler) sign(ctx context.Context, stageArn, participant, user string, caps []string) (Session, error) {
	h.mu.Lock()
	e, ok := h.endpoints[stageArn]
	h.mu.Unlock()
	if !ok {
		st, err := h.ivs.GetStage(ctx, stageArn)
		if err != nil {
			return Session{}, h.failure(unavailable(err))
		}
		h.rememberEndpoints(stageArn, st.Endpoints)
		if e = st.Endpoints; e.Events == "" || e.Whip == "" {
			return Session{}, h.failure(unavailable(errors.New("GetStage answered no events or whip endpoint")))
		}
	}
	signer, err := h.signer.Signer(ctx)
	if err != nil {
		log.Printf("reading the signing key: %v", err)
		return Session{}, tokenapi.Fail(http.StatusServiceUnavailable, "KeyUnavailable", "the signing key cannot be read now; try again later")
	}
	if participant == "" {
		participant = ivstoken.NewParticipantID()
	}
	now := h.now()
	claims := ivstoken.ParticipantClaims{StageArn: stageArn, ParticipantID: participant, UserID: user, EventsURL: e.Events, WhipURL: e.Whip,
		IssuedAt: now, ExpiresAt: now.Add(time.Duration(h.minutes) * time.Minute).Truncate(time.Second), Capabilities: []ivstoken.Capability{}}
	for _, c := range caps {
		claims.Capabilities = append(claims.Capabilities, ivstoken.Capability(c))
	}
	token, err := signer.Sign(claims)
	if err != nil {
		log.Printf("signing: %v", err)
		return Session{}, tokenapi.Fail(http.StatusInternalServerError, "SigningFailed", "the endpoint's token settings are invalid")
	}
	return Session{ParticipantID: participant, Token: token, ExpiresAt: claims.ExpiresAt.UTC()}, nil
}

// The roles of a promotion.
const (
	RoleCoHost = "cohost"
	RoleViewer = "viewer"
)

// Promoted is the answer to a promotion.
type Promoted struct {
	Session       string `json:"session"`
	ParticipantID string `json:"participantId"`
	Role          string `json:"role"`
}

// promote makes a participant a co-host, or a viewer again: a tag on the
// session's stage, which the participant's next exchange reads. The
// session's owner, or a moderator, may.
func (h *Handler) promote(ctx context.Context, id, participant, role, user string, moderator bool) (any, int, error) {
	switch {
	case !participantID.MatchString(participant):
		return nil, 0, tokenapi.Fail(http.StatusBadRequest, "InvalidParticipant", "participant %.80q is not a participant ID", participant)
	case role != RoleCoHost && role != RoleViewer:
		return nil, 0, tokenapi.Fail(http.StatusBadRequest, "InvalidRole", "role %.40q is neither %s nor %s", role, RoleCoHost, RoleViewer)
	case h.signer == nil:
		return nil, 0, tokenapi.Fail(http.StatusConflict, "NotExchangeable", "the session's tokens are issued by IVS, which cannot be exchanged in place: give the sessions a signing key")
	}
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if st.Tags[TagOwner] != user && !moderator {
		return nil, 0, tokenapi.Fail(http.StatusForbidden, "NotTheOwner", "only the session's host or a moderator (%s) may promote a participant", CapabilityModerate)
	}
	key := TagCoHost + participant
	if role == RoleCoHost {
		err = h.ivs.TagResource(ctx, st.Arn, map[string]string{key: "true"})
	} else {
		err = h.ivs.UntagResource(ctx, st.Arn, []string{key})
	}
	if err != nil {
		return nil, 0, h.failure(unavailable(err))
	}
	return Promoted{Session: id, ParticipantID: participant, Role: role}, 0, nil
}

// participantID is a participant's ID as a token's jti holds it
// (ParticipantTokenId; ivstoken: letters, digits, - and _, at most 64).
var participantID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// exchange answers the caller's own participant a token again, with the
// capabilities it has now (a co-host publishes), keeping its ID: the
// page exchanges it in place. The participant must be the caller's, in
// the session now (GetParticipant's user ID).
func (h *Handler) exchange(ctx context.Context, id, participant, user string, host bool) (any, error) {
	if !participantID.MatchString(participant) {
		return nil, tokenapi.Fail(http.StatusBadRequest, "InvalidParticipant", "participant %.80q is not a participant ID", participant)
	}
	if h.signer == nil {
		return nil, tokenapi.Fail(http.StatusConflict, "NotExchangeable", "the session's tokens are issued by IVS, which cannot be exchanged in place")
	}
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := h.ownParticipant(ctx, st, participant, user); err != nil {
		return nil, err
	}
	owner := st.Tags[TagOwner] == user
	return h.token(ctx, st.Arn, participant, user, owner, capabilitiesOf(owner || host || st.Tags[TagCoHost+participant] == "true"))
}

// ownParticipant checks that participant, in the stage's session now, is
// the user's (GetParticipant's user ID).
func (h *Handler) ownParticipant(ctx context.Context, st *realtimeapi.Stage, participant, user string) error {
	id := stageID(st.Arn)
	if st.ActiveSessionID == "" {
		return tokenapi.Fail(http.StatusNotFound, "ParticipantNotFound", "nobody is in session %s now", id)
	}
	p, err := h.ivs.GetParticipant(ctx, st.Arn, st.ActiveSessionID, participant)
	if realtimeapi.IsNotFound(err) {
		return tokenapi.Fail(http.StatusNotFound, "ParticipantNotFound", "participant %s is not in session %s", participant, id)
	}
	if err != nil {
		return h.failure(unavailable(err))
	}
	if p.UserID != user {
		return tokenapi.Fail(http.StatusForbidden, "NotYourParticipant", "participant %s is not yours", participant)
	}
	return nil
}

// liveCompositions returns this construct's compositions that are
// starting or running, of one stage ("" for every stage).
func (h *Handler) liveCompositions(ctx context.Context, stageArn string) ([]realtimeapi.Composition, error) {
	all, err := h.ivs.ListCompositions(ctx, stageArn)
	if err != nil {
		return nil, unavailable(err)
	}
	var out []realtimeapi.Composition
	for _, c := range all {
		if c.Live() && c.Tags[TagMadeBy] == h.config.MadeBy {
			out = append(out, c)
		}
	}
	return out, nil
}

// channelHeld returns the session that holds the channel, other than
// except: one of stages in use, or one still composed to it; "" when the
// channel is free.
func (h *Handler) channelHeld(ctx context.Context, stages []realtimeapi.StageSummary, except string) (string, error) {
	for _, st := range stages {
		if st.ActiveSessionID != "" && st.Arn != except {
			return stageID(st.Arn), nil
		}
	}
	live, err := h.liveCompositions(ctx, "")
	if err != nil {
		return "", err
	}
	for _, c := range live {
		if c.StageArn != except {
			return stageID(c.StageArn), nil
		}
	}
	return "", nil
}

// Broadcasting says what a Participant Published event did.
type Broadcasting struct {
	// Started is the composition started (or found started: the start
	// is idempotent by the session's ID); Skipped says why none was.
	Started, Skipped string
}

// OnPublished starts composing the session to the channel when a
// participant publishes on one of the construct's stages: once per
// session (the session's ID is the idempotency token, so a repeated or
// late event starts nothing new), and not while another session holds
// the channel.
func (h *Handler) OnPublished(ctx context.Context, stageArn, sessionID string) (Broadcasting, error) {
	b := h.config.Broadcast
	if b == nil {
		return Broadcasting{Skipped: "no broadcast is configured"}, nil
	}
	st, err := h.ivs.GetStage(ctx, stageArn)
	if err != nil || st.Tags[TagMadeBy] != h.config.MadeBy {
		// Not ours: IAM refuses GetStage on stages without the tag.
		return Broadcasting{Skipped: "not a stage of " + h.config.MadeBy}, nil
	}
	if st.ActiveSessionID != "" && st.ActiveSessionID != sessionID {
		return Broadcasting{Skipped: "session " + sessionID + " is over; " + st.ActiveSessionID + " is the stage's session now"}, nil
	}
	live, err := h.liveCompositions(ctx, "")
	if err != nil {
		return Broadcasting{}, err
	}
	for _, c := range live {
		if c.StageArn == stageArn {
			return Broadcasting{Started: c.Arn}, nil
		}
	}
	if len(live) > 0 {
		return Broadcasting{Skipped: "session " + stageID(live[0].StageArn) + " holds the channel"}, nil
	}
	destinations := []realtimeapi.Destination{{Channel: &realtimeapi.ChannelDestination{ChannelArn: b.ChannelArn, EncoderConfigurationArn: b.EncoderConfigurationArn}}}
	if b.StorageConfigurationArn != "" {
		destinations = append(destinations, realtimeapi.Destination{S3: &realtimeapi.S3Destination{
			StorageConfigurationArn: b.StorageConfigurationArn, EncoderConfigurationArns: []string{b.EncoderConfigurationArn}}})
	}
	c, err := h.ivs.StartComposition(ctx, realtimeapi.StartCompositionInput{StageArn: stageArn, IdempotencyToken: sessionID,
		Destinations: destinations, Tags: map[string]string{TagMadeBy: h.config.MadeBy}})
	if err != nil {
		// The channel busy with something else (it must be offline), or
		// the quota: nothing to retry blindly; the page shows the session
		// is not on air.
		return Broadcasting{Skipped: err.Error()}, nil
	}
	return Broadcasting{Started: c.Arn}, nil
}

// stopCompositions stops the construct's live compositions of a stage.
func (h *Handler) stopCompositions(ctx context.Context, stageArn string) error {
	live, err := h.liveCompositions(ctx, stageArn)
	if err != nil {
		return err
	}
	for _, c := range live {
		if err := h.ivs.StopComposition(ctx, c.Arn); err != nil && !realtimeapi.IsNotFound(err) {
			return unavailable(err)
		}
	}
	return nil
}

// Ended is the answer to ending a session.
type Ended struct {
	Session string `json:"session"`
}

// end deletes a session's stage (disconnecting everyone): its owner's
// request, or a moderator's.
func (h *Handler) end(ctx context.Context, id, user string, moderator bool) (any, int, error) {
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if st.Tags[TagOwner] != user && !moderator {
		return nil, 0, tokenapi.Fail(http.StatusForbidden, "NotTheOwner", "only the session's host or a moderator (%s) may end it", CapabilityModerate)
	}
	// The broadcast ends with the session, not a minute later by IVS.
	if h.config.Broadcast != nil {
		if err := h.stopCompositions(ctx, st.Arn); err != nil {
			return nil, 0, h.failure(err)
		}
	}
	if err := h.ivs.DeleteStage(ctx, st.Arn); err != nil && !realtimeapi.IsNotFound(err) {
		return nil, 0, h.failure(unavailable(err))
	}
	if err := h.deleteRoom(ctx, st.Tags[TagRoom]); err != nil {
		log.Printf("the room of the ended session %s stays until the sweep: %v", id, err)
	}
	return Ended{Session: id}, 0, nil
}

// Disconnected is the answer to removing a participant.
type Disconnected struct {
	Session       string `json:"session"`
	ParticipantID string `json:"participantId"`
	Reason        string `json:"reason"`
}

func (h *Handler) disconnect(ctx context.Context, id, participant, reason string) (any, int, error) {
	switch {
	case !participantID.MatchString(participant):
		return nil, 0, tokenapi.Fail(http.StatusBadRequest, "InvalidParticipant", "participant %.80q is not a participant ID", participant)
	case reason == "" || len([]rune(reason)) > 128:
		return nil, 0, tokenapi.Fail(http.StatusBadRequest, "InvalidReason", "give a reason of 1 to 128 characters: the participant is shown it")
	}
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	// The reason is kept on the stage first, for the participant's page to
	// show (Status); a stage at IVS's 50 tags keeps none, and the removal
	// goes on.
	if err := h.ivs.TagResource(ctx, st.Arn, map[string]string{TagRemoved + participant: encodeReason(reason)}); err != nil {
		log.Printf("the reason for removing %s from %s is not kept: %v", participant, st.Arn, err)
	}
	if err := h.ivs.DisconnectParticipant(ctx, st.Arn, participant, reason); err != nil {
		if realtimeapi.IsNotFound(err) {
			return nil, 0, tokenapi.Fail(http.StatusNotFound, "ParticipantNotFound", "participant %s is not in session %s", participant, id)
		}
		return nil, 0, h.failure(unavailable(err))
	}
	return Disconnected{Session: id, ParticipantID: participant, Reason: reason}, 0, nil
}

// encodeReason makes a removal's reason a tag value: base64url (letters,
// digits, - and _, which every AWS tag value may hold), of at most 192
// bytes of the reason (256 characters encoded, IVS's limit for a tag
// value), cut at a character's boundary.
func encodeReason(reason string) string {
	for len(reason) > 192 {
		_, size := utf8.DecodeLastRuneInString(reason)
		reason = reason[:len(reason)-size]
	}
	return base64.RawURLEncoding.EncodeToString([]byte(reason))
}

// The roles a status tells.
const (
	// RoleHost publishes: the session's owner, or a host.
	RoleHost = "host"
)

// Status is what a participant's page polls for.
type Status struct {
	Session string `json:"session"`
	// Live tells whether anyone is in the session now.
	Live bool `json:"live"`
	// OnAir tells, with a Broadcast, whether the session is being
	// composed to the channel now.
	OnAir bool `json:"onAir"`
	// Role is the participant's, when one was asked about: RoleHost,
	// RoleCoHost or RoleViewer; a page whose token does not match it
	// exchanges it.
	Role string `json:"role,omitempty"`
	// Removed is why a moderator removed the participant ("" if not).
	Removed string `json:"removed,omitempty"`
}

// status answers what the caller's page shows of a session: one ListStages
// (and ListCompositions with a broadcast), and, only for a removed
// participant, GetParticipant, so that a removal's reason is told to the
// participant's own user only.
func (h *Handler) status(ctx context.Context, id, participant, user string, host bool) (any, error) {
	if participant != "" && !participantID.MatchString(participant) {
		return nil, tokenapi.Fail(http.StatusBadRequest, "InvalidParticipant", "participant %.80q is not a participant ID", participant)
	}
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, err
	}
	answer := Status{Session: id, Live: st.ActiveSessionID != ""}
	if h.config.Broadcast != nil {
		live, err := h.liveCompositions(ctx, st.Arn)
		if err != nil {
			return nil, h.failure(err)
		}
		answer.OnAir = len(live) > 0
	}
	if participant == "" {
		return answer, nil
	}
	switch {
	case st.Tags[TagOwner] == user || host:
		answer.Role = RoleHost
	case st.Tags[TagCoHost+participant] == "true":
		answer.Role = RoleCoHost
	default:
		answer.Role = RoleViewer
	}
	if encoded, removed := st.Tags[TagRemoved+participant]; removed {
		if err := h.ownParticipant(ctx, st, participant, user); err != nil {
			return nil, err
		}
		reason, _ := base64.RawURLEncoding.DecodeString(encoded)
		answer.Removed = string(reason)
		if answer.Removed == "" {
			answer.Removed = "no reason kept"
		}
	}
	return answer, nil
}

// failure turns an IVS failure into the 503 answer, logging its cause.
func (h *Handler) failure(err error) error {
	var f *tokenapi.Failure
	if errors.As(err, &f) {
		return err
	}
	log.Printf("IVS call failed: %v", err)
	return tokenapi.Fail(http.StatusServiceUnavailable, "IVSUnavailable", "IVS did not answer as expected; try again shortly")
}

// Swept says what a cleanup did.
type Swept struct {
	// Deleted are the stages deleted; Kept those in use or not yet idle
	// long enough; Stopped the compositions that outlived their session;
	// RoomsDeleted the chat rooms no stage of the construct's names.
	Deleted, Kept, Stopped, RoomsDeleted []string
}

// Sweep deletes the construct's stages that have been idle IdleAfter or
// longer at now: no active session, and made (TagCreated) or last ended
// that long ago. It reads IVS's own lists each time, so a lost event
// cannot keep a stage alive.
func (h *Handler) Sweep(ctx context.Context, now time.Time) (Swept, error) {
	var out Swept
	stages, err := h.ours(ctx)
	if err != nil {
		return out, err
	}
	if h.config.Broadcast != nil {
		// A composition whose stage has no session in progress (or no
		// stage) has outlived its session: IVS's own stop, a minute after
		// the last publisher, is only the backstop.
		inUse := map[string]bool{}
		for _, st := range stages {
			inUse[st.Arn] = st.ActiveSessionID != ""
		}
		live, err := h.liveCompositions(ctx, "")
		if err != nil {
			return out, err
		}
		for _, c := range live {
			if inUse[c.StageArn] {
				continue
			}
			if err := h.ivs.StopComposition(ctx, c.Arn); err != nil && !realtimeapi.IsNotFound(err) {
				return out, unavailable(err)
			}
			out.Stopped = append(out.Stopped, c.Arn)
		}
	}
	for _, st := range stages {
		if st.ActiveSessionID != "" {
			out.Kept = append(out.Kept, st.Arn)
			continue
		}
		idleSince, _ := time.Parse(time.RFC3339, st.Tags[TagCreated])
		latest, err := h.ivs.LatestStageSession(ctx, st.Arn)
		if err != nil {
			return out, unavailable(err)
		}
		if latest != nil {
			if latest.EndTime.IsZero() { // active, whatever the summary said
				out.Kept = append(out.Kept, st.Arn)
				continue
			}
			if latest.EndTime.After(idleSince) {
				idleSince = latest.EndTime
			}
		}
		if now.Sub(idleSince) < h.idleAfter {
			out.Kept = append(out.Kept, st.Arn)
			continue
		}
		if err := h.ivs.DeleteStage(ctx, st.Arn); err != nil && !realtimeapi.IsNotFound(err) {
			return out, unavailable(err)
		}
		out.Deleted = append(out.Deleted, st.Arn)
	}
	if h.chat != nil {
		// The kept stages' rooms stay; every other room of this
		// construct's, old enough, goes (the deleted stages' among them).
		named := map[string]bool{}
		for _, st := range stages {
			if !slices.Contains(out.Deleted, st.Arn) {
				named[st.Tags[TagRoom]] = true
			}
		}
		rooms, err := h.sweepRooms(ctx, now, named)
		out.RoomsDeleted = rooms
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
