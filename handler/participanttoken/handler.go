package participanttoken

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// Handler answers token requests. Create it with New. It is safe for
// concurrent use.
type Handler struct {
	config  Config
	served  *tokenapi.Served
	ivs     *realtimeapi.Client
	keys    *keysecret.Source
	pubkeys managedkey.KeyStore
	now     func() time.Time

	self *SelfSigner

	mu         sync.Mutex // guards what follows
	stages     map[string]cachedStage
	stageCalls int
}

type cachedStage struct {
	endpoints realtimeapi.StageEndpoints
	fetched   time.Time
}

// New returns a Handler for config that calls AWS with cfg (its region,
// credentials and, in tests, endpoint). now is the clock (time.Now when
// nil).
func New(config Config, cfg aws.Config, now func() time.Time) (*Handler, error) {
	if err := config.check(); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	h := &Handler{
		config: config,
		served: tokenapi.NewServed("Stage", tokenapi.StageArnPattern, config.Stages),
		ivs:    realtimeapi.New(cfg),
		now:    now,
		stages: map[string]cachedStage{},
	}
	if config.Mode == ModeSelfSigned {
		h.keys = &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: config.SecretArn,
			TTL: time.Duration(config.KeyCacheTTL), Now: now}
		h.pubkeys = managedkey.PublicKeys(cfg)
		h.self = &SelfSigner{Keys: h.keys, PublicKeys: h.pubkeys, PublicKeyArn: config.PublicKeyArn, Now: now}
	}
	return h, nil
}

type request struct {
	Stage           string           `json:"stage"`
	Capabilities    []string         `json:"capabilities"`
	DurationMinutes tokenapi.Minutes `json:"durationMinutes"`
}

// Response is a successful answer's body.
type Response struct {
	// StageArn is the stage the token joins.
	StageArn string `json:"stageArn"`
	// ParticipantID is the participant the token stands for.
	ParticipantID string `json:"participantId"`
	// Token is what the broadcast SDK joins with; a secret of the caller.
	Token string `json:"token"`
	// UserID is the user ID other participants see, when there is one.
	UserID string `json:"userId,omitempty"`
	// Capabilities are PUBLISH and/or SUBSCRIBE.
	Capabilities []string `json:"capabilities"`
	// ExpiresAt is when the token stops being accepted.
	ExpiresAt time.Time `json:"expiresAt"`
}

// AppendJSON writes r as encoding/json does (tokenapi.JSONAppender): the
// answer every warm request gives, without reflection.
func (r Response) AppendJSON(dst []byte) []byte {
	dst = tokenapi.AppendString(append(dst, `{"stageArn":`...), r.StageArn)
	dst = tokenapi.AppendString(append(dst, `,"participantId":`...), r.ParticipantID)
	dst = tokenapi.AppendString(append(dst, `,"token":`...), r.Token)
	if r.UserID != "" {
		dst = tokenapi.AppendString(append(dst, `,"userId":`...), r.UserID)
	}
	dst = tokenapi.AppendStrings(append(dst, `,"capabilities":`...), r.Capabilities)
	dst = r.ExpiresAt.AppendFormat(append(dst, `,"expiresAt":"`...), time.RFC3339Nano)
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
	stage, fail := h.served.Pick(in.Stage)
	if fail != nil {
		return nil, fail
	}
	allowed := tokenapi.Allowed(req, h.config.Capabilities, h.config.CapabilityGrants, validCapabilities)
	capabilities, fail := tokenapi.Capabilities(in.Capabilities, allowed, validCapabilities)
	if fail != nil {
		return nil, fail
	}
	if len(capabilities) == 0 {
		// IVS reads a request without capabilities as PUBLISH and
		// SUBSCRIBE (CreateParticipantToken, IVS real-time API
		// reference), and a self-signed token that allows nothing is no
		// answer either: a caller granted nothing is refused here.
		return nil, tokenapi.Fail(http.StatusForbidden, "NoCapability",
			"this caller is granted no capability on this stage")
	}
	duration, fail := in.DurationMinutes.Within("durationMinutes", h.config.MaxDurationMinutes)
	if fail != nil {
		return nil, fail
	}
	userID, attributes, fail := tokenapi.Identity{
		UserIDClaim: h.config.UserIDClaim, MaxUserIDLength: ivstoken.MaxUserIDLength,
		Attributes: h.config.Attributes, ClaimAttributes: h.config.ClaimAttributes, MaxAttributesSize: ivstoken.MaxAttributesSize,
	}.Of(req)
	if fail != nil {
		return nil, fail
	}
	var res *Response
	if h.config.Mode == ModeSelfSigned {
		res, fail = h.selfSigned(ctx, stage, userID, attributes, capabilities, duration)
	} else {
		res, fail = h.fromIVS(ctx, stage, userID, attributes, capabilities, duration)
	}
	if fail != nil {
		return nil, fail
	}
	return res, nil
}

// fromIVS has IVS issue the token.
func (h *Handler) fromIVS(ctx context.Context, stage, userID string, attributes map[string]string, capabilities []string, duration int) (*Response, error) {
	t, err := h.ivs.CreateParticipantToken(ctx, realtimeapi.CreateParticipantTokenInput{
		StageArn: stage, Duration: duration, UserID: userID, Attributes: attributes, Capabilities: capabilities,
	})
	if err != nil {
		log.Printf("CreateParticipantToken for %s: %v", stage, err)
		return nil, tokenapi.Fail(http.StatusServiceUnavailable, "IVSUnavailable", "IVS did not issue a token now; try again later")
	}
	caps := t.Capabilities
	if len(caps) == 0 {
		caps = capabilities
	}
	return &Response{StageArn: stage, ParticipantID: t.ParticipantID, Token: t.Token, UserID: userID,
		Capabilities: caps, ExpiresAt: t.ExpirationTime.UTC()}, nil
}

// selfSigned signs the token with the endpoint's key.
func (h *Handler) selfSigned(ctx context.Context, stage, userID string, attributes map[string]string, capabilities []string, duration int) (*Response, error) {
	signer, err := h.signerFor(ctx)
	if err != nil {
		log.Printf("reading the signing key: %v", err)
		return nil, tokenapi.Fail(http.StatusServiceUnavailable, "KeyUnavailable", "the signing key cannot be read now; try again later")
	}
	endpoints, err := h.endpoints(ctx, stage)
	if err != nil {
		log.Printf("GetStage %s: %v", stage, err)
		return nil, tokenapi.Fail(http.StatusServiceUnavailable, "StageUnavailable", "the stage's endpoints cannot be read now; try again later")
	}
	now := h.now()
	caps := make([]ivstoken.Capability, 0, len(capabilities))
	for _, c := range capabilities {
		caps = append(caps, ivstoken.Capability(c))
	}
	claims := ivstoken.ParticipantClaims{
		StageArn: stage, ParticipantID: ivstoken.NewParticipantID(), UserID: userID, Attributes: attributes,
		Capabilities: caps, EventsURL: endpoints.Events, WhipURL: endpoints.Whip,
		IssuedAt: now, ExpiresAt: now.Add(time.Duration(duration) * time.Minute).Truncate(time.Second),
	}
	token, err := signer.Sign(claims)
	if err != nil {
		log.Printf("signing: %v", err)
		return nil, tokenapi.Fail(http.StatusInternalServerError, "SigningFailed", "the endpoint's token settings are invalid")
	}
	return &Response{StageArn: stage, ParticipantID: claims.ParticipantID, Token: token, UserID: userID,
		Capabilities: capabilities, ExpiresAt: claims.ExpiresAt.UTC()}, nil
}

// signerFor returns a signer for the current key (SelfSigner.Signer).
func (h *Handler) signerFor(ctx context.Context) (*ivstoken.ParticipantSigner, error) {
	return h.self.Signer(ctx)
}

// SelfSigner gives a participant token signer for the current version of
// a signing key in Secrets Manager, made again only when the key changes:
// then, for a managed key (no PublicKeyArn), the ARN of its IVS public key
// (the token's "kid") is found by its tags. It is safe for concurrent use.
type SelfSigner struct {
	// Keys reads the private key (a managed public key's secret, or a
	// PEM of your own).
	Keys *keysecret.Source
	// PublicKeys finds a managed key's IVS public key; PublicKeyArn is
	// the key's ARN when the team brought its own.
	PublicKeys   managedkey.KeyStore
	PublicKeyArn string
	// Now is the signers' clock (time.Now when nil).
	Now func() time.Time

	mu       sync.Mutex
	signer   *ivstoken.ParticipantSigner
	signWith *ecdsa.PrivateKey
}

// Signer returns the signer of the key's current version.
func (s *SelfSigner) Signer(ctx context.Context) (*ivstoken.ParticipantSigner, error) {
	key, version, err := s.Keys.KeyVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if key == s.signWith {
		defer s.mu.Unlock()
		return s.signer, nil
	}
	s.mu.Unlock()
	kid := s.PublicKeyArn
	if kid == "" {
		if kid, err = managedkey.FindKey(ctx, s.PublicKeys, s.Keys.SecretID, version); err != nil {
			return nil, err
		}
	}
	now := s.Now
	if now == nil {
		now = time.Now
	}
	signer, err := ivstoken.NewParticipantSigner(key, kid, ivstoken.WithClock(now))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signer, s.signWith = signer, key
	return signer, nil
}

// endpoints returns the stage's endpoints from the cache, or GetStage when
// they are older than StageCacheTTL; when GetStage fails, endpoints still
// within IVS's 14 days are used.
func (h *Handler) endpoints(ctx context.Context, stage string) (realtimeapi.StageEndpoints, error) {
	now := h.now()
	h.mu.Lock()
	cached, ok := h.stages[stage]
	h.mu.Unlock()
	if ok && now.Sub(cached.fetched) < time.Duration(h.config.StageCacheTTL) {
		return cached.endpoints, nil
	}
	st, err := h.ivs.GetStage(ctx, stage)
	if err == nil && (st.Endpoints.Events == "" || st.Endpoints.Whip == "") {
		err = errors.New("GetStage returned no events or whip endpoint")
	}
	if err != nil {
		if ok && now.Sub(cached.fetched) < MaxStageCacheTTL {
			return cached.endpoints, nil
		}
		return realtimeapi.StageEndpoints{}, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stages[stage] = cachedStage{endpoints: st.Endpoints, fetched: now}
	h.stageCalls++
	return st.Endpoints, nil
}
