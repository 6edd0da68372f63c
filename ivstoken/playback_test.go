package ivstoken

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"
)

const testChannelArn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"

func mustSigner(t testing.TB) (*PlaybackSigner, *ecdsa.PrivateKey) {
	t.Helper()
	key := mustGenerate(t)
	s, err := NewPlaybackSigner(key, WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	return s, key
}

func decodePart(t *testing.T, part string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatalf("part %q is not base64url without padding: %v", part, err)
	}
	return string(b)
}

// TestPlaybackTokenKnownAnswer compares the header and payload with the
// token schema of the IVS user guide ("Generate and Sign IVS Playback
// Tokens"), written out by hand, and checks the signature with crypto/ecdsa
// directly.
func TestPlaybackTokenKnownAnswer(t *testing.T) {
	signer, key := mustSigner(t)
	exp := testNow.Add(5 * time.Minute).Truncate(time.Second)
	token, err := signer.Sign(PlaybackClaims{
		ChannelArn:               testChannelArn,
		AccessControlAllowOrigin: "https://example.com,https://*.example.net",
		StrictOriginEnforcement:  true,
		SingleUseUUID:            "1e760ed4-29c0-4ee3-987d-a5dc60734b58",
		ViewerID:                 "viewer-42",
		ViewerSessionVersion:     1700000000,
		MaximumResolution:        "HD",
		ExpiresAt:                exp,
	})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	if got := decodePart(t, parts[0]); got != `{"alg":"ES384","typ":"JWT"}` {
		t.Errorf("header = %s", got)
	}
	wantPayload := `{"aws:channel-arn":"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh",` +
		`"aws:access-control-allow-origin":"https://example.com,https://*.example.net",` +
		`"aws:strict-origin-enforcement":true,` +
		`"aws:single-use-uuid":"1e760ed4-29c0-4ee3-987d-a5dc60734b58",` +
		`"aws:viewer-id":"viewer-42",` +
		`"aws:viewer-session-version":1700000000,` +
		`"aws:maximum-resolution":"HD",` +
		`"exp":` + itoa(exp.Unix()) + `}`
	if got := decodePart(t, parts[1]); got != wantPayload {
		t.Errorf("payload = %s\nwant      %s", got, wantPayload)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 96 {
		t.Fatalf("signature: %d bytes, %v; want raw r||s of 96 bytes", len(sig), err)
	}
	digest := sha512.Sum384([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	if !ecdsa.Verify(&key.PublicKey, digest[:], r, s) {
		t.Error("crypto/ecdsa does not verify the signature")
	}
}

func TestPlaybackTokenMinimalClaims(t *testing.T) {
	signer, key := mustSigner(t)
	exp := testNow.Add(time.Hour).Truncate(time.Second)
	token, err := signer.Sign(PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: exp})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := decodePart(t, strings.Split(token, ".")[1]),
		`{"aws:channel-arn":"`+testChannelArn+`","exp":`+itoa(exp.Unix())+`}`; got != want {
		t.Errorf("payload = %s, want %s", got, want)
	}
	claims, err := VerifyPlaybackToken(token, &key.PublicKey, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if claims.ChannelArn != testChannelArn || !claims.ExpiresAt.Equal(exp) {
		t.Errorf("claims = %+v", claims)
	}
}

func TestPlaybackRoundTrip(t *testing.T) {
	signer, key := mustSigner(t)
	in := PlaybackClaims{
		ChannelArn:               testChannelArn,
		AccessControlAllowOrigin: "https://a.example.com",
		ViewerID:                 "v1",
		ViewerSessionVersion:     7,
		SingleUseUUID:            NewUUID(),
		AdsOptOut:                true,
		AdsPlayerParams:          map[string]string{"tier": "gold", "lang": "de"},
		AdsPlaybackConfigName:    "europe",
		AdsReportingMode:         "CLIENT",
		ExpiresAt:                testNow.Add(9 * time.Minute).Truncate(time.Second).UTC(),
	}
	token, err := signer.Sign(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := VerifyPlaybackToken(token, &key.PublicKey, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*out, in) {
		t.Errorf("round trip changed the claims:\n got %+v\nwant %+v", *out, in)
	}
	// The ad claims carry the names of the IVS SSAI guide.
	payload, _ := in.MarshalJSON()
	for _, name := range []string{`"aws:ads-opt-out":true`, `"aws:ads-player-params":{"lang":"de","tier":"gold"}`,
		`"aws:ads-playback-config-name":"europe"`, `"aws:ads-reporting-mode":"CLIENT"`} {
		if !strings.Contains(string(payload), name) {
			t.Errorf("payload %s lacks %s", payload, name)
		}
	}
}

func TestSignRefusesBadClaims(t *testing.T) {
	signer, _ := mustSigner(t)
	now := testNow
	soon := now.Add(5 * time.Minute)
	sixOrigins := "https://a.com,https://b.com,https://c.com,https://d.com,https://e.com,https://f.com"
	cases := []struct {
		name   string
		claims PlaybackClaims
		want   string
	}{
		{"no channel", PlaybackClaims{ExpiresAt: soon}, "ChannelArn is required"},
		{"stream key ARN", PlaybackClaims{ChannelArn: "arn:aws:ivs:us-west-2:123456789012:stream-key/abc", ExpiresAt: soon}, `want a "channel"`},
		{"token in ARN", PlaybackClaims{ChannelArn: "${Token[TOKEN.1]}", ExpiresAt: soon}, "is not an ARN"},
		{"no expiry", PlaybackClaims{ChannelArn: testChannelArn}, "ExpiresAt is required"},
		{"expired", PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: now.Add(-time.Second)}, "not in the future"},
		{"viewer id too long", PlaybackClaims{ChannelArn: testChannelArn, ViewerID: strings.Repeat("v", 41), ExpiresAt: soon}, "ViewerID is 41 characters"},
		{"viewer id long-lived", PlaybackClaims{ChannelArn: testChannelArn, ViewerID: "v", ExpiresAt: now.Add(11 * time.Minute)}, "at most 10m0s"},
		{"single use long-lived", PlaybackClaims{ChannelArn: testChannelArn, SingleUseUUID: NewUUID(), ExpiresAt: now.Add(time.Hour)}, "at most 10m0s"},
		{"bad uuid", PlaybackClaims{ChannelArn: testChannelArn, SingleUseUUID: "not-a-uuid", ExpiresAt: soon}, "is not a UUID"},
		{"session version alone", PlaybackClaims{ChannelArn: testChannelArn, ViewerSessionVersion: 3, ExpiresAt: soon}, "needs ViewerID"},
		{"strict with six origins", PlaybackClaims{ChannelArn: testChannelArn, StrictOriginEnforcement: true, AccessControlAllowOrigin: sixOrigins, ExpiresAt: soon}, "names 6 origins: at most 5"},
		{"origin with path", PlaybackClaims{ChannelArn: testChannelArn, AccessControlAllowOrigin: "https://example.com/player", ExpiresAt: soon}, "is not an origin"},
		{"origin without scheme", PlaybackClaims{ChannelArn: testChannelArn, AccessControlAllowOrigin: "example.com", ExpiresAt: soon}, "is not an origin"},
		{"bad resolution", PlaybackClaims{ChannelArn: testChannelArn, MaximumResolution: "4K", ExpiresAt: soon}, `MaximumResolution "4K"`},
		{"big player params", PlaybackClaims{ChannelArn: testChannelArn, AdsPlayerParams: map[string]string{"k": strings.Repeat("v", 1000)}, ExpiresAt: soon}, "AdsPlayerParams hold 1001 bytes: at most 1000"},
		{"bad reporting mode", PlaybackClaims{ChannelArn: testChannelArn, AdsReportingMode: "BOTH", ExpiresAt: soon}, `AdsReportingMode "BOTH" is invalid`},
	}
	for _, c := range cases {
		_, err := signer.Sign(c.claims)
		if !errors.Is(err, ErrClaims) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Sign = %v, want ErrClaims containing %q", c.name, err, c.want)
		}
	}
	// Six origins are fine without strict enforcement, and wildcards and ports are origins.
	if _, err := signer.Sign(PlaybackClaims{ChannelArn: testChannelArn, AccessControlAllowOrigin: sixOrigins + ",https://*.example.com:8443,*", ExpiresAt: soon}); err != nil {
		t.Errorf("valid origins refused: %v", err)
	}
}

func TestNewPlaybackSignerRefusesWrongKeys(t *testing.T) {
	if _, err := NewPlaybackSigner(nil); err == nil {
		t.Error("nil key accepted")
	}
	p256, _ := ecdsa.GenerateKey(p256Curve(), randReader())
	if _, err := NewPlaybackSigner(p256); !errors.Is(err, ErrNotP384) {
		t.Errorf("P-256 key: %v", err)
	}
}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestVerifyRefusesBadTokens(t *testing.T) {
	signer, key := mustSigner(t)
	other := mustGenerate(t)
	now := testNow
	good, err := signer.Sign(PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: now.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	payload := parts[1]
	// alg confusion: an HS384 token keyed with the public key's bytes.
	pubPEM, _ := MarshalPublicKeyPEM(&key.PublicKey)
	hsInput := enc(`{"alg":"HS384","typ":"JWT"}`) + "." + payload
	mac := hmac.New(sha512.New384, pubPEM)
	mac.Write([]byte(hsInput))
	hsToken := hsInput + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	noExp := func() string {
		tok, _ := signES384(key, playbackHeader, []byte(`{"aws:channel-arn":"`+testChannelArn+`"}`))
		return tok
	}()
	noChannel := func() string {
		tok, _ := signES384(key, playbackHeader, []byte(`{"exp":`+itoa(now.Add(time.Minute).Unix())+`}`))
		return tok
	}()
	cases := []struct {
		name  string
		token string
		key   *ecdsa.PublicKey
		now   time.Time
		is    error
	}{
		{"alg none", enc(`{"alg":"none","typ":"JWT"}`) + "." + payload + ".", &key.PublicKey, now, ErrAlgorithm},
		{"alg HS384 (confusion)", hsToken, &key.PublicKey, now, ErrAlgorithm},
		{"alg ES256", enc(`{"alg":"ES256","typ":"JWT"}`) + "." + payload + "." + parts[2], &key.PublicKey, now, ErrAlgorithm},
		{"wrong key", good, &other.PublicKey, now, ErrSignature},
		{"tampered payload", parts[0] + "." + enc(`{"aws:channel-arn":"`+testChannelArn+`","exp":9999999999}`) + "." + parts[2], &key.PublicKey, now, ErrSignature},
		{"expired", good, &key.PublicKey, now.Add(2 * time.Minute), ErrExpired},
		{"two parts", parts[0] + "." + parts[1], &key.PublicKey, now, ErrMalformed},
		{"four parts", good + ".x", &key.PublicKey, now, ErrMalformed},
		{"empty", "", &key.PublicKey, now, ErrMalformed},
		{"header not base64", "%%%." + payload + "." + parts[2], &key.PublicKey, now, ErrMalformed},
		{"header not JSON", enc("nope") + "." + payload + "." + parts[2], &key.PublicKey, now, ErrMalformed},
		{"short signature", parts[0] + "." + parts[1] + "." + enc("short"), &key.PublicKey, now, ErrMalformed},
		{"padded signature", good + "==", &key.PublicKey, now, ErrMalformed},
		{"too long", strings.Repeat("a", MaxTokenLength+1), &key.PublicKey, now, ErrMalformed},
		{"no exp", noExp, &key.PublicKey, now, ErrClaims},
		{"no channel", noChannel, &key.PublicKey, now, ErrClaims},
	}
	for _, c := range cases {
		claims, err := VerifyPlaybackToken(c.token, c.key, c.now)
		if claims != nil || !errors.Is(err, c.is) {
			t.Errorf("%s: VerifyPlaybackToken = %v, %v; want %v", c.name, claims, err, c.is)
		}
	}
	if _, err := VerifyPlaybackToken(good, nil, now); err == nil {
		t.Error("nil key accepted")
	}
}

func TestPlaybackURLWithToken(t *testing.T) {
	url := "https://b37c565f6d79.us-west-2.playback.live-video.net/api/video/v1/aws.ivs.us-west-2.123456789.channel.fbc789c1.m3u8"
	got, err := PlaybackURLWithToken(url, "a.b.c")
	if err != nil || got != url+"?token=a.b.c" {
		t.Errorf("PlaybackURLWithToken = %q, %v", got, err)
	}
	got, err = PlaybackURLWithToken(url+"?x=1&token=old", "new")
	if err != nil || got != url+"?token=new&x=1" {
		t.Errorf("with a query = %q, %v", got, err)
	}
	if _, err := PlaybackURLWithToken("not a url", "t"); err == nil {
		t.Error("bad URL accepted")
	}
}

func TestNewUUID(t *testing.T) {
	a, b := NewUUID(), NewUUID()
	if !isUUID(a) || a == b || a[14] != '4' {
		t.Errorf("NewUUID = %q, %q", a, b)
	}
}

func FuzzVerifyPlaybackToken(f *testing.F) {
	key, _ := GenerateKey()
	signer, _ := NewPlaybackSigner(key, WithClock(testClock))
	good, _ := signer.Sign(PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: testNow.Add(time.Minute)})
	f.Add(good)
	f.Add("a.b.c")
	f.Add(enc(`{"alg":"ES384"}`) + "." + enc(`{}`) + "." + enc(strings.Repeat("x", 96)))
	f.Add("..")
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := VerifyPlaybackToken(token, &key.PublicKey, testNow)
		if err == nil && token != good {
			t.Errorf("accepted a token it did not sign: %q (%+v)", token, claims)
		}
	})
}

// TestSignersUseTheirClock: the signing time comes from WithClock, both in
// the past and in the future of the wall clock, for both kinds of signer.
func TestSignersUseTheirClock(t *testing.T) {
	key := mustGenerate(t)
	for _, now := range []time.Time{time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC), testNow} {
		clock := func() time.Time { return now }
		playback, _ := NewPlaybackSigner(key, WithClock(clock))
		if _, err := playback.Sign(PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: now.Add(time.Minute)}); err != nil {
			t.Errorf("%s: a token expiring a minute after the signer's clock: %v", now, err)
		}
		_, err := playback.Sign(PlaybackClaims{ChannelArn: testChannelArn, ViewerID: "v", ExpiresAt: now.Add(11 * time.Minute)})
		if err == nil || !strings.Contains(err.Error(), "at most 10m0s") {
			t.Errorf("%s: the 10-minute limit is not measured from the signer's clock: %v", now, err)
		}
		participant, _ := NewParticipantSigner(key, testPublicKeyArn, WithClock(clock))
		token, err := participant.Sign(ParticipantClaims{StageArn: testStageArn, EventsURL: testEventsURL, WhipURL: testWhipURL, Capabilities: both, ExpiresAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatalf("%s: %v", now, err)
		}
		claims, _, err := VerifyParticipantToken(token, &key.PublicKey, now)
		if err != nil || !claims.IssuedAt.Equal(now) {
			t.Errorf("%s: iat = %v (%v), want the signer's clock", now, claims, err)
		}
	}
}
