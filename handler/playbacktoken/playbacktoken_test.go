package playbacktoken

import (
	"context"
	"crypto/ecdsa"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const (
	channelA = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"
	channelB = "arn:aws:ivs:us-west-2:123456789012:channel/zyxwZYXWvuts"
	urlA     = "https://a1b2c3.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.abcdABCDefgh.m3u8"
	urlB     = "https://a1b2c3.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.zyxwZYXWvuts.m3u8"
)

// fixture is a Handler whose key comes, through the real Secrets Manager
// client, from a fake holding a managed key secret.
type fixture struct {
	t       testing.TB
	aws     *awsfake.Server
	secrets *secretsmanager.Client
	secret  string
	now     time.Time
	h       *Handler
	keys    *keysecret.Source
}

func newFixture(t testing.TB, config Config) *fixture {
	t.Helper()
	// A clock years ahead: every time check (the handler's, ivstoken's,
	// the key source's) must take it, not the wall clock.
	f := &fixture{t: t, aws: awsfake.New(t), now: time.Date(2038, 6, 1, 9, 30, 0, 0, time.UTC)}
	f.secrets = secretsmanager.NewFromConfig(f.aws.Config())
	f.secret = f.aws.CreateSecret("PlaybackKey")
	f.putKey("00000000-0000-4000-8000-000000000001")
	if config.Channels == nil {
		config.Channels = []Channel{{channelA, urlA}}
	}
	if config.TokenLifetime == 0 {
		config.TokenLifetime = tokenapi.Duration(5 * time.Minute)
	}
	config.SecretArn = f.secret
	f.keys = &keysecret.Source{Client: f.secrets, SecretID: f.secret, TTL: 5 * time.Minute, Now: func() time.Time { return f.now }}
	f.h = New(config, f.keys, func() time.Time { return f.now })
	return f
}

// putKey makes a new managed key the secret's AWSCURRENT version and
// returns it.
func (f *fixture) putKey(version string) *ecdsa.PrivateKey {
	f.t.Helper()
	value, _ := keysecret.New()
	_, err := f.secrets.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(f.secret), ClientRequestToken: aws.String(version), SecretString: aws.String(value),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	key, _ := keysecret.Parse(value)
	return key
}

func (f *fixture) currentKey() *ecdsa.PublicKey {
	key, err := keysecret.Parse(f.aws.SecretValue(f.secret, "AWSCURRENT"))
	if err != nil {
		f.t.Fatal(err)
	}
	return &key.PublicKey
}

var (
	get        = apigwtest.Get
	post       = apigwtest.Post
	withClaims = apigwtest.WithClaims
)

func (f *fixture) call(req events.APIGatewayV2HTTPRequest) (int, Response, tokenapi.Error) {
	f.t.Helper()
	return apigwtest.Call[Response](f.t, f.h.Handle, req)
}

func TestHandleSignsAVerifiablePlaybackURL(t *testing.T) {
	f := newFixture(t, Config{
		AllowedOrigins:          []string{"https://watch.example.com", "https://*.example.net"},
		StrictOriginEnforcement: true,
		MaximumResolution:       "HD",
	})
	status, res, _ := f.call(get(nil))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	u, err := url.Parse(res.PlaybackURL)
	if err != nil || !strings.HasPrefix(res.PlaybackURL, urlA+"?token=") || u.Query().Get("token") != res.Token {
		t.Fatalf("playbackUrl %q does not carry the token", res.PlaybackURL)
	}
	claims, err := ivstoken.VerifyPlaybackToken(res.Token, f.currentKey(), f.now)
	if err != nil {
		t.Fatal(err)
	}
	want := ivstoken.PlaybackClaims{
		ChannelArn:               channelA,
		AccessControlAllowOrigin: "https://watch.example.com,https://*.example.net",
		StrictOriginEnforcement:  true,
		MaximumResolution:        "HD",
		ExpiresAt:                f.now.Add(5 * time.Minute),
	}
	if !claims.ExpiresAt.Equal(want.ExpiresAt) || !res.ExpiresAt.Equal(want.ExpiresAt) {
		t.Errorf("expires %s / answer %s, want %s", claims.ExpiresAt, res.ExpiresAt, want.ExpiresAt)
	}
	claims.ExpiresAt = want.ExpiresAt
	if !reflect.DeepEqual(*claims, want) || res.ChannelArn != channelA {
		t.Errorf("claims %+v\nwant   %+v", *claims, want)
	}
	verifyWithOpenSSL(t, res.Token, f.currentKey())
}

func TestHandleChoosesTheChannelByArnOrID(t *testing.T) {
	f := newFixture(t, Config{Channels: []Channel{{channelA, urlA}, {channelB, urlB}}})
	for _, req := range []events.APIGatewayV2HTTPRequest{
		get(map[string]string{"channel": channelB}),
		get(map[string]string{"channel": "zyxwZYXWvuts"}),
		post(`{"channel": "zyxwZYXWvuts"}`),
		post(`{"channel": "` + channelB + `"}`),
	} {
		status, res, _ := f.call(req)
		if status != http.StatusOK || res.ChannelArn != channelB || !strings.HasPrefix(res.PlaybackURL, urlB) {
			t.Errorf("%+v: status %d, %+v", req.QueryStringParameters, status, res)
		}
	}
}

func TestHandleAnswersBadRequestsWith4xx(t *testing.T) {
	f := newFixture(t, Config{Channels: []Channel{{channelA, urlA}, {channelB, urlB}}, ViewerIDClaim: "sub"})
	sub := map[string]string{"sub": "viewer-1"}
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		code   string
	}{
		{"no channel of two", withClaims(get(nil), sub), 400, "MalformedRequest"},
		{"body not JSON", withClaims(post("channel=x"), sub), 400, "MalformedRequest"},
		{"unknown field", withClaims(post(`{"channel":"abcdABCDefgh","ttl":"1h"}`), sub), 400, "MalformedRequest"},
		{"not a channel", withClaims(get(map[string]string{"channel": "../../etc/passwd"}), sub), 400, "InvalidChannel"},
		{"stream key ARN", withClaims(get(map[string]string{"channel": "arn:aws:ivs:us-west-2:123456789012:stream-key/abc"}), sub), 400, "InvalidChannel"},
		{"another channel", withClaims(get(map[string]string{"channel": "arn:aws:ivs:us-west-2:123456789012:channel/other"}), sub), 404, "ChannelNotServed"},
		{"another channel ID", withClaims(get(map[string]string{"channel": "other"}), sub), 404, "ChannelNotServed"},
		{"method", withClaims(func() events.APIGatewayV2HTTPRequest {
			r := get(nil)
			r.RequestContext.HTTP.Method = "DELETE"
			return r
		}(), sub), 405, "MethodNotAllowed"},
		{"no authorizer", get(map[string]string{"channel": channelA}), 403, "MissingViewerId"},
		{"no claim", withClaims(get(map[string]string{"channel": channelA}), map[string]string{"email": "a@b"}), 403, "MissingViewerId"},
		{"claim too long", withClaims(get(map[string]string{"channel": channelA}), map[string]string{"sub": strings.Repeat("v", 41)}), 403, "MissingViewerId"},
	}
	for _, c := range cases {
		status, _, e := f.call(c.req)
		if status != c.status || e.Code != c.code || e.Message == "" {
			t.Errorf("%s: %d %+v, want %d %s", c.name, status, e, c.status, c.code)
		}
	}
}

func TestHandleTakesTheViewerFromTheAuthenticatedClaimAndMakesSingleUseTokens(t *testing.T) {
	f := newFixture(t, Config{ViewerIDClaim: "sub", SingleUse: true})
	var seen []string
	for i := 0; i < 2; i++ {
		req := withClaims(get(map[string]string{"viewerId": "someone-else"}), map[string]string{"sub": "4f1c9e2a-viewer"})
		status, res, _ := f.call(req)
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		claims, err := ivstoken.VerifyPlaybackToken(res.Token, f.currentKey(), f.now)
		if err != nil {
			t.Fatal(err)
		}
		if claims.ViewerID != "4f1c9e2a-viewer" {
			t.Errorf("viewer ID %q, want the authenticated sub (the query cannot choose it)", claims.ViewerID)
		}
		seen = append(seen, claims.SingleUseUUID)
	}
	if seen[0] == "" || seen[0] == seen[1] {
		t.Errorf("single-use UUIDs %q: want a fresh one per token", seen)
	}
}

func TestKeyCachePicksUpRotationsAndFailsClosed(t *testing.T) {
	f := newFixture(t, Config{})
	old := f.currentKey()
	for i := 0; i < 3; i++ {
		f.call(get(nil))
	}
	if n := f.aws.Calls("GetSecretValue"); n != 1 {
		t.Errorf("GetSecretValue called %d times for 3 requests within the TTL, want 1", n)
	}
	next := f.putKey("00000000-0000-4000-8000-000000000002")
	_, res, _ := f.call(get(nil))
	if _, err := ivstoken.VerifyPlaybackToken(res.Token, old, f.now); err != nil {
		t.Error("within the TTL the cached key should still sign")
	}
	f.now = f.now.Add(5*time.Minute + time.Second)
	_, res, _ = f.call(get(nil))
	if _, err := ivstoken.VerifyPlaybackToken(res.Token, &next.PublicKey, f.now); err != nil {
		t.Errorf("after the TTL the new key should sign: %v", err)
	}

	// The secret becomes unreadable: the key signs until one TTL after
	// the last good read, then never again until a read succeeds.
	f.aws.Fail("GetSecretValue", awsfake.Failure{Code: "AccessDeniedException", Status: 400})
	f.now = f.now.Add(4 * time.Minute)
	if status, _, _ := f.call(get(nil)); status != http.StatusOK {
		t.Errorf("within the TTL, a failed read answered %d, want the cached key", status)
	}
	for _, later := range []time.Duration{time.Minute, time.Hour, 72 * time.Hour} {
		f.now = f.now.Add(later)
		if status, _, e := f.call(get(nil)); status != http.StatusServiceUnavailable || e.Code != "KeyUnavailable" {
			t.Errorf("%s later with the secret unreadable: %d %+v, want 503 KeyUnavailable", later, status, e)
		}
	}
}

func TestKeyUnavailableIsTheOnly5xx(t *testing.T) {
	f := newFixture(t, Config{})
	f.aws.Fail("GetSecretValue", awsfake.Failure{Code: "AccessDeniedException", Status: 400})
	if status, _, e := f.call(get(nil)); status != http.StatusServiceUnavailable || e.Code != "KeyUnavailable" || strings.Contains(e.Message, "AccessDenied") {
		t.Errorf("%d %+v: want 503 KeyUnavailable without internals", status, e)
	}
}

func TestParseConfig(t *testing.T) {
	good := `{"channels":[{"arn":"` + channelA + `","playbackUrl":"` + urlA + `"}],"secretArn":"arn:x","tokenLifetime":"5m0s","keyCacheTtl":"5m0s"}`
	c, err := ParseConfig(good)
	if err != nil || time.Duration(c.TokenLifetime) != 5*time.Minute || c.Channels[0].Arn != channelA {
		t.Fatalf("%+v, %v", c, err)
	}
	round, _ := json.Marshal(c)
	if again, err := ParseConfig(string(round)); err != nil || again.TokenLifetime != c.TokenLifetime {
		t.Errorf("round trip: %s, %v", round, err)
	}
	for data, want := range map[string]string{
		"":                           "not a valid configuration",
		`{"secretArn":"x"}`:          "names no channel",
		`{"channels":[{"arn":"a"}]}`: "names no secret",
		`{"channels":[{"arn":"a"}],"secretArn":"x"}`:                        "lifetime must be positive",
		`{"channels":[{"arn":"a"}],"secretArn":"x","tokenLifetime":"soon"}`: "not a valid configuration",
	} {
		if _, err := ParseConfig(data); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", data, err, want)
		}
	}
}

// FuzzHandle sends arbitrary channels and bodies: the handler must never
// fail, panic or answer a 5xx for what a caller sends.
func FuzzHandle(f *testing.F) {
	f.Add("GET", "abcdABCDefgh", "")
	f.Add("POST", "", `{"channel":"`+channelB+`"}`)
	f.Add("POST", "", `{"channel":1}`)
	key, _ := ivstoken.GenerateKey()
	h := New(Config{Channels: []Channel{{channelA, urlA}, {channelB, urlB}}, TokenLifetime: tokenapi.Duration(time.Minute)}, staticKey{key}, nil)
	f.Fuzz(func(t *testing.T, method, channel, body string) {
		req := events.APIGatewayV2HTTPRequest{QueryStringParameters: map[string]string{"channel": channel}, Body: body}
		req.RequestContext.HTTP.Method = method
		res, err := h.Handle(context.Background(), req)
		if err != nil || res.StatusCode >= 500 || !json.Valid([]byte(res.Body)) {
			t.Fatalf("%q %q %q: %d %s %v", method, channel, body, res.StatusCode, res.Body, err)
		}
	})
}

type staticKey struct{ key *ecdsa.PrivateKey }

func (s staticKey) Key(context.Context) (*ecdsa.PrivateKey, error) { return s.key, nil }

// verifyWithOpenSSL checks the token's ES384 signature with openssl, which
// reads the signature in ASN.1 DER form.
func verifyWithOpenSSL(t *testing.T, token string, pub *ecdsa.PublicKey) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Log("openssl is not installed: not cross-checked")
		return
	}
	dir := t.TempDir()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 96 {
		t.Fatalf("signature: %v (%d bytes)", err, len(raw))
	}
	der, _ := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:48]), new(big.Int).SetBytes(raw[48:])})
	pem, _ := ivstoken.MarshalPublicKeyPEM(pub)
	files := map[string][]byte{"pub.pem": pem, "sig.der": der, "input": []byte(parts[0] + "." + parts[1])}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("openssl", "dgst", "-sha384", "-verify", "pub.pem", "-signature", "sig.der", "input")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl does not verify the token: %v: %s", err, out)
	}
}

func TestAdClaimsComeFromTheConfigurationAndTheCallersToken(t *testing.T) {
	f := newFixture(t, Config{AdsPlaybackConfigName: "premium", AdsReportingMode: "CLIENT", AdsOptOutClaim: "subscriber",
		AdsPlayerParamsClaims: map[string]string{"age": "custom:age_band", "tier": "custom:tier"}})
	claimsFor := func(jwt map[string]string) *ivstoken.PlaybackClaims {
		t.Helper()
		status, res, e := f.call(withClaims(get(nil), jwt))
		if status != http.StatusOK {
			t.Fatalf("%d %+v", status, e)
		}
		c, err := ivstoken.VerifyPlaybackToken(res.Token, f.currentKey(), f.now)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := claimsFor(map[string]string{"subscriber": "true", "custom:age_band": "25-34"})
	if !c.AdsOptOut || c.AdsPlaybackConfigName != "premium" || c.AdsReportingMode != "CLIENT" ||
		len(c.AdsPlayerParams) != 1 || c.AdsPlayerParams["age"] != "25-34" {
		t.Errorf("claims %+v", c)
	}
	if c := claimsFor(map[string]string{"subscriber": "false"}); c.AdsOptOut || c.AdsPlayerParams != nil {
		t.Errorf("a non-subscriber without parameters: %+v", c)
	}
	status, _, e := f.call(withClaims(get(nil), map[string]string{"custom:tier": strings.Repeat("x", 1001)}))
	if status != http.StatusForbidden || e.Code != "AdsPlayerParamsTooLarge" {
		t.Errorf("oversized player parameters: %d %+v", status, e)
	}
}

// TestHandleAnswersOnlyWhatAPIGatewayAuthorized: a request API Gateway did
// not authorize as the configuration says (a route changed by hand, a
// direct invocation) gets 403, never a token.
func TestHandleAnswersOnlyWhatAPIGatewayAuthorized(t *testing.T) {
	apigwtest.CheckAuthorization(t, func(kind string) apigwtest.Handler {
		return newFixture(t, Config{Authentication: kind}).h.Handle
	}, get(map[string]string{"channel": channelA}), map[string]string{"sub": "viewer-1"})
	if _, err := ParseConfig(`{"channels":[{"arn":"a"}],"secretArn":"x","tokenLifetime":"5m0s","authentication":"cookie"}`); err == nil ||
		!strings.Contains(err.Error(), `authentication "cookie"`) {
		t.Errorf("an unknown authentication: %v", err)
	}
}

// failingDB is a viewer log's table that refuses every write.
type failingDB struct{ viewerlog.DynamoDB }

func (failingDB) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return nil, errors.New("ProvisionedThroughputExceededException")
}

func TestViewerLogRecordsEachTokensViewerAndVersionsItsSession(t *testing.T) {
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, viewerlog.TableInput("viewers"))
	f := newFixture(t, Config{ViewerIDClaim: "sub", ViewerTable: "viewers", ViewerRetention: tokenapi.Duration(2 * time.Hour),
		Channels: []Channel{{channelA, urlA}, {channelB, urlB}}})
	f.h.LogViewers(db)
	for _, c := range []struct{ sub, channel string }{{"viewer-1", channelA}, {"viewer-2", channelA}, {"viewer-3", channelB}} {
		status, res, _ := f.call(withClaims(get(map[string]string{"channel": c.channel}), map[string]string{"sub": c.sub}))
		if status != http.StatusOK {
			t.Fatalf("status %d for %s", status, c.sub)
		}
		claims, err := ivstoken.VerifyPlaybackToken(res.Token, f.currentKey(), f.now)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(viewerlog.SessionVersion(f.now)); claims.ViewerSessionVersion != want {
			t.Errorf("%s: session version %d, want %d (the issue time's)", c.sub, claims.ViewerSessionVersion, want)
		}
	}
	log := &viewerlog.Log{Client: db, Table: "viewers"}
	got, err := log.Viewers(context.Background(), channelA, f.now.Add(2*time.Hour-time.Second))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := []string{"viewer-1", "viewer-2"}; !slices.Equal(got, want) {
		t.Errorf("channel A's viewers %q, want %q", got, want)
	}
	if later, _ := log.Viewers(context.Background(), channelA, f.now.Add(2*time.Hour)); len(later) != 0 {
		t.Errorf("viewers %q still listed after the 2h retention", later)
	}
}

func TestViewerLogFailsClosed(t *testing.T) {
	for name, logViewers := range map[string]func(*Handler){
		"write refused": func(h *Handler) { h.LogViewers(failingDB{}) },
		"no client":     func(*Handler) {},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, Config{ViewerIDClaim: "sub", ViewerTable: "viewers"})
			logViewers(f.h)
			status, _, body := f.call(withClaims(get(nil), map[string]string{"sub": "viewer-1"}))
			if status != http.StatusServiceUnavailable || body.Code != "ViewerNotRecorded" {
				t.Errorf("status %d, body %s; want 503 ViewerNotRecorded: a token whose viewer is not recorded could not be revoked", status, body)
			}
		})
	}
}

func TestParseConfigRefusesAViewerTableWithoutAViewerIDClaim(t *testing.T) {
	_, err := ParseConfig(`{"channels":[{"arn":"` + channelA + `","playbackUrl":"` + urlA + `"}],"secretArn":"s","tokenLifetime":"5m0s","viewerTable":"viewers"}`)
	if err == nil || !strings.Contains(err.Error(), "viewer ID claim") {
		t.Errorf("error %v, want one naming the viewer ID claim", err)
	}
}
