package ivstoken

import (
	"crypto/ecdsa"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testStageArn     = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdEf123456"
	testPublicKeyArn = "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a"
)

func mustParticipantSigner(t testing.TB) (*ParticipantSigner, *ecdsa.PrivateKey) {
	t.Helper()
	key := mustGenerate(t)
	s, err := NewParticipantSigner(key, testPublicKeyArn, WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	return s, key
}

// TestParticipantTokenKnownAnswer checks the header and payload against the
// self-signed token format of IVS Real-Time (header kid = public key ARN;
// resource, topic, jti, capabilities, version "1.0", exp, iat), written out
// by hand, and the signature with crypto/ecdsa directly.
func TestParticipantTokenKnownAnswer(t *testing.T) {
	signer, key := mustParticipantSigner(t)
	iat := testNow.Truncate(time.Second)
	exp := iat.Add(2 * time.Hour)
	token, err := signer.Sign(ParticipantClaims{
		StageArn:      testStageArn,
		ParticipantID: "p-1",
		UserID:        "alice",
		Attributes:    map[string]string{"displayName": "Alice"},
		Capabilities:  []Capability{CapabilitySubscribe},
		EventsURL:     "wss://global.events.live-video.net",
		WhipURL:       "https://f99cde61c2b0.global-bm.whip.live-video.net",
		IssuedAt:      iat,
		ExpiresAt:     exp,
	})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	if got, want := decodePart(t, parts[0]), `{"alg":"ES384","typ":"JWT","kid":"`+testPublicKeyArn+`"}`; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	want := `{"exp":` + itoa(exp.Unix()) + `,"iat":` + itoa(iat.Unix()) + `,"jti":"p-1",` +
		`"resource":"` + testStageArn + `","topic":"AbCdEf123456",` +
		`"events_url":"wss://global.events.live-video.net","whip_url":"https://f99cde61c2b0.global-bm.whip.live-video.net",` +
		`"user_id":"alice","attributes":{"displayName":"Alice"},` +
		`"capabilities":{"allow_publish":false,"allow_subscribe":true},"version":"1.0"}`
	if got := decodePart(t, parts[1]); got != want {
		t.Errorf("payload = %s\nwant      %s", got, want)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	digest := sha512.Sum384([]byte(parts[0] + "." + parts[1]))
	if len(sig) != 96 || !ecdsa.Verify(&key.PublicKey, digest[:], new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])) {
		t.Error("crypto/ecdsa does not verify the signature")
	}
}

// both is what a participant who publishes and subscribes may do.
var both = []Capability{CapabilityPublish, CapabilitySubscribe}

func TestParticipantDefaultsAndRoundTrip(t *testing.T) {
	signer, key := mustParticipantSigner(t)
	before := testNow.Truncate(time.Second)
	token, err := signer.Sign(ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Capabilities: both, ExpiresAt: testNow.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	claims, kid, err := VerifyParticipantToken(token, &key.PublicKey, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if kid != testPublicKeyArn {
		t.Errorf("kid = %q", kid)
	}
	if len(claims.ParticipantID) != 12 || strings.Trim(claims.ParticipantID, participantIDAlphabet) != "" {
		t.Errorf("default participant ID = %q, want 12 letters and digits", claims.ParticipantID)
	}
	if !reflect.DeepEqual(claims.Capabilities, both) {
		t.Errorf("capabilities = %v, want publish and subscribe", claims.Capabilities)
	}
	if claims.IssuedAt.Before(before) || claims.IssuedAt.After(testNow) {
		t.Errorf("iat = %v", claims.IssuedAt)
	}
	in := ParticipantClaims{
		StageArn: testStageArn, ParticipantID: "x_y-z", UserID: "bob", Attributes: map[string]string{"a": "b"},
		EventsURL: testEventsURL, WhipURL: testWhipURL,
		Capabilities: []Capability{CapabilityPublish}, IssuedAt: before.UTC(), ExpiresAt: before.Add(24 * time.Hour).UTC(),
	}
	token, err = signer.Sign(in)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := VerifyParticipantToken(token, &key.PublicKey, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*out, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", *out, in)
	}
}

func TestParticipantSignRefusesBadClaims(t *testing.T) {
	signer, _ := mustParticipantSigner(t)
	soon := testNow.Add(time.Hour)
	big := map[string]string{"k": strings.Repeat("v", 1024)}
	cases := []struct {
		name   string
		claims ParticipantClaims
		want   string
	}{
		{"no stage", ParticipantClaims{ExpiresAt: soon}, "StageArn is required"},
		{"channel ARN", ParticipantClaims{StageArn: testChannelArn, ExpiresAt: soon}, `want a "stage"`},
		{"no expiry", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL}, "ExpiresAt is required"},
		{"past expiry", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, ExpiresAt: testNow.Add(-time.Minute)}, "not in the future"},
		{"15 days", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, ExpiresAt: testNow.Add(15 * 24 * time.Hour)}, "at most 336h0m0s"},
		{"bad participant id", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, ParticipantID: "a b", ExpiresAt: soon}, `ParticipantID "a b" is invalid`},
		{"long user id", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, UserID: strings.Repeat("u", 129), ExpiresAt: soon}, "UserID is 129 characters"},
		{"big attributes", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Attributes: big, ExpiresAt: soon}, "Attributes hold 1025 bytes"},
		{"bad capability", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Capabilities: []Capability{"SPEAK"}, ExpiresAt: soon}, `Capability "SPEAK" is invalid`},
		{"twice", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Capabilities: []Capability{CapabilityPublish, CapabilityPublish}, ExpiresAt: soon}, "given twice"},
		{"no endpoints", ParticipantClaims{StageArn: testStageArn, ExpiresAt: soon}, "EventsURL and WhipURL are required"},
		// A list built by appending what a caller may do is nil when they
		// may do nothing: never read as both, as CreateParticipantToken does.
		{"capabilities nil", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, ExpiresAt: soon}, "Capabilities is nil"},
		{"bad whip url", ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: "ftp://x", ExpiresAt: soon}, "WhipURL"},
	}
	for _, c := range cases {
		if _, err := signer.Sign(c.claims); !errors.Is(err, ErrClaims) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Sign = %v, want ErrClaims containing %q", c.name, err, c.want)
		}
	}
	if _, err := NewParticipantSigner(mustGenerate(t), testStageArn); err == nil || !strings.Contains(err.Error(), `want a "public-key"`) {
		t.Errorf("stage ARN as key ARN: %v", err)
	}
	if _, err := NewParticipantSigner(nil, testPublicKeyArn); err == nil {
		t.Error("nil key accepted")
	}
}

func TestVerifyParticipantRefusesBadTokens(t *testing.T) {
	signer, key := mustParticipantSigner(t)
	exp := testNow.Add(time.Hour)
	good, _ := signer.Sign(ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Capabilities: both, ExpiresAt: exp})
	playback, _ := NewPlaybackSigner(key, WithClock(testClock))
	playbackToken, _ := playback.Sign(PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: exp})
	sign := func(header jwtHeader, payload string) string {
		tok, err := signES384(key, encodedHeader(header), []byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	kidHeader := jwtHeader{Alg: "ES384", Typ: "JWT", Kid: testPublicKeyArn}
	base := `"exp":` + itoa(exp.Unix()) + `,"iat":` + itoa(testNow.Unix()) + `,"jti":"p","resource":"` + testStageArn + `"`
	cases := []struct {
		name  string
		token string
		now   time.Time
		is    error
	}{
		{"expired", good, exp.Add(time.Second), ErrExpired},
		{"playback token (no kid)", playbackToken, testNow, ErrClaims},
		{"wrong topic", sign(kidHeader, `{`+base+`,"topic":"other","capabilities":{"allow_publish":true,"allow_subscribe":true},"version":"1.0"}`), testNow, ErrMalformed},
		{"no version", sign(kidHeader, `{`+base+`,"topic":"AbCdEf123456","capabilities":{"allow_publish":true,"allow_subscribe":true}}`), testNow, ErrMalformed},
		{"no capabilities", sign(kidHeader, `{`+base+`,"topic":"AbCdEf123456","version":"1.0"}`), testNow, ErrMalformed},
		{"alg none", enc(`{"alg":"none","kid":"`+testPublicKeyArn+`"}`) + "." + strings.Split(good, ".")[1] + ".", testNow, ErrAlgorithm},
	}
	for _, c := range cases {
		if claims, _, err := VerifyParticipantToken(c.token, &key.PublicKey, c.now); claims != nil || !errors.Is(err, c.is) {
			t.Errorf("%s: VerifyParticipantToken = %v, %v; want %v", c.name, claims, err, c.is)
		}
	}
	if _, _, err := VerifyParticipantToken(good, &mustGenerate(t).PublicKey, testNow); !errors.Is(err, ErrSignature) {
		t.Errorf("wrong key: %v", err)
	}
}

func TestParticipantInteropGolangJWT(t *testing.T) {
	signer, key := mustParticipantSigner(t)
	ours, _ := signer.Sign(ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, UserID: "u", Capabilities: both, ExpiresAt: testNow.Add(time.Hour)})
	parsed, err := jwt.Parse(ours, func(tok *jwt.Token) (any, error) {
		if tok.Header["kid"] != testPublicKeyArn {
			t.Errorf("golang-jwt reads kid %v", tok.Header["kid"])
		}
		return &key.PublicKey, nil
	}, jwt.WithValidMethods([]string{"ES384"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(testClock), jwt.WithIssuedAt())
	if err != nil || !parsed.Valid {
		t.Fatalf("golang-jwt does not verify our participant token: %v", err)
	}
	theirs := jwt.NewWithClaims(jwt.SigningMethodES384, jwt.MapClaims{
		"exp": testNow.Add(time.Hour).Unix(), "iat": testNow.Unix(), "jti": "abc",
		"resource": testStageArn, "topic": "AbCdEf123456", "version": "1.0",
		"capabilities": map[string]bool{"allow_publish": true, "allow_subscribe": false},
	})
	theirs.Header["kid"] = testPublicKeyArn
	signed, err := theirs.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	claims, kid, err := VerifyParticipantToken(signed, &key.PublicKey, testNow)
	if err != nil || kid != testPublicKeyArn || !reflect.DeepEqual(claims.Capabilities, []Capability{CapabilityPublish}) {
		t.Errorf("golang-jwt's participant token: %+v, %q, %v", claims, kid, err)
	}
}

func FuzzVerifyParticipantToken(f *testing.F) {
	key, _ := GenerateKey()
	signer, _ := NewParticipantSigner(key, testPublicKeyArn, WithClock(testClock))
	good, _ := signer.Sign(ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Capabilities: both, ExpiresAt: testNow.Add(time.Hour)})
	f.Add(good)
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, token string) {
		if _, _, err := VerifyParticipantToken(token, &key.PublicKey, testNow); err == nil && token != good {
			t.Errorf("accepted a token it did not sign: %q", token)
		}
	})
}

// The stage endpoints of the tests, in the form GetStage returns them.
const (
	testEventsURL = "wss://global.events.live-video.net"
	testWhipURL   = "https://f99084460c35.global-bm.whip.live-video.net"
)
