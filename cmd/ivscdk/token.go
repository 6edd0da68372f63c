package main

import (
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// listFlag collects a repeatable flag; each value may also hold a
// comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

func (e env) tokenPlayback(args []string) int {
	flags := e.newFlags("ivscdk token playback", "ivscdk token playback -key PRIVATE.pem -channel-arn ARN [flags]")
	keyPath := flags.String("key", "", "`file` with the playback key pair's private key (PEM: PKCS #8 or EC PRIVATE KEY); required")
	channelArn := flags.String("channel-arn", "", "`ARN` of the authorized channel; required")
	ttl := flags.Duration("ttl", time.Hour, "how long the token can start playback; default 10m with -viewer-id or -single-use, the most IVS allows then")
	var origins listFlag
	flags.Var(&origins, "origin", "allowed `origin` (https://host[:port], \"*.\" allowed); repeat or comma-separate; default all")
	strict := flags.Bool("strict-origin", false, "enforce the origins on every playback request (at most 5 origins)")
	viewerID := flags.String("viewer-id", "", "viewer `ID` for revocation (at most 40 characters, no personal data)")
	sessionVersion := flags.Int64("viewer-session-version", 0, "viewer session `version` for revocation (needs -viewer-id)")
	singleUse := flags.Bool("single-use", false, "make the token single-use (adds a random aws:single-use-uuid)")
	maxResolution := flags.String("max-resolution", "", "cap the viewer's resolution: SD, HD or FULL_HD")
	playbackURL := flags.String("playback-url", "", "print this playback `URL` with the token added, instead of the bare token")
	if code := parse(flags, args); code >= 0 {
		return code
	}
	if flags.NArg() > 0 {
		return e.usageError(flags, "unexpected arguments %q", flags.Args())
	}
	if missing := missingFlags("-key", *keyPath, "-channel-arn", *channelArn); missing != "" {
		return e.usageError(flags, "missing %s", missing)
	}
	if !isSet(flags, "ttl") && (*viewerID != "" || *singleUse) {
		*ttl = ivstoken.MaxShortLivedTokenLifetime
	}
	key, err := readPrivateKey(*keyPath)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	signer, err := ivstoken.NewPlaybackSigner(key, ivstoken.WithClock(e.now))
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	claims := ivstoken.PlaybackClaims{
		ChannelArn:               *channelArn,
		AccessControlAllowOrigin: origins.String(),
		StrictOriginEnforcement:  *strict,
		ViewerID:                 *viewerID,
		ViewerSessionVersion:     *sessionVersion,
		MaximumResolution:        *maxResolution,
		ExpiresAt:                e.now().Add(*ttl),
	}
	if *singleUse {
		claims.SingleUseUUID = ivstoken.NewUUID()
	}
	token, err := signer.Sign(claims)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	if *playbackURL != "" {
		if token, err = ivstoken.PlaybackURLWithToken(*playbackURL, token); err != nil {
			return e.fail(flags.Name(), err)
		}
	}
	fmt.Fprintln(e.stdout, token)
	return exitOK
}

// missingFlags names the required flags left empty, in the order given
// (flag name, value, flag name, value, ...): "-events-url and -whip-url
// (required)"; "" when none is.
func missingFlags(namesAndValues ...string) string {
	var missing []string
	for i := 0; i+1 < len(namesAndValues); i += 2 {
		if namesAndValues[i+1] == "" {
			missing = append(missing, namesAndValues[i])
		}
	}
	switch len(missing) {
	case 0:
		return ""
	case 1:
		return missing[0] + " (required)"
	}
	return strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1] + " (required)"
}

func isSet(flags *flag.FlagSet, name string) bool {
	set := false
	flags.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func (e env) tokenVerify(args []string) int {
	flags := e.newFlags("ivscdk token verify", "ivscdk token verify -key PUBLIC.pem TOKEN   (TOKEN - or none: read standard input)")
	keyPath := flags.String("key", "", "`file` with the public key (PEM); required")
	if code := parse(flags, args); code >= 0 {
		return code
	}
	if *keyPath == "" {
		return e.usageError(flags, "-key is required")
	}
	if flags.NArg() > 1 {
		return e.usageError(flags, "give one token")
	}
	token := flags.Arg(0)
	if token == "" || token == "-" {
		if isTerminal(e.stdin) {
			return e.usageError(flags, "give the token as an argument, or pipe it in (standard input is a terminal)")
		}
		b, err := io.ReadAll(io.LimitReader(e.stdin, ivstoken.MaxTokenLength+1))
		if err != nil {
			return e.fail(flags.Name(), err)
		}
		token = string(b)
	}
	token = strings.TrimSpace(token)
	pemBytes, err := os.ReadFile(*keyPath)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	pub, err := ivstoken.ParsePublicKeyPEM(pemBytes)
	if err != nil {
		return e.fail(flags.Name(), fmt.Errorf("%s: %w", *keyPath, err))
	}
	var claims any
	if kid := unverifiedKeyID(token); kid != "" {
		participant, keyArn, err := ivstoken.VerifyParticipantToken(token, pub, e.now())
		if err != nil {
			return e.fail(flags.Name(), err)
		}
		fmt.Fprintf(e.stderr, "valid participant token, signed with the key of %s\n", keyArn)
		claims = participant
	} else {
		playback, err := ivstoken.VerifyPlaybackToken(token, pub, e.now())
		if err != nil {
			return e.fail(flags.Name(), err)
		}
		claims = playback
	}
	out, err := withTimes(claims)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}

// withTimes returns the claims as indented JSON, with "exp" and "iat" (Unix
// seconds) followed by the same instants in RFC 3339 ("exp (RFC 3339)").
func withTimes(claims any) ([]byte, error) {
	raw, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	for _, name := range []string{"exp", "iat"} {
		var seconds int64
		if v, ok := fields[name]; ok && json.Unmarshal(v, &seconds) == nil {
			fields[name+" (RFC 3339)"], _ = json.Marshal(time.Unix(seconds, 0).UTC().Format(time.RFC3339))
		}
	}
	return json.MarshalIndent(fields, "", "  ")
}

// isTerminal reports whether r is an interactive terminal, from which
// reading would wait for someone to type.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// unverifiedKeyID returns the "kid" of the token's header, without checking
// anything: participant tokens have one, playback tokens do not. The chosen
// verification then checks everything.
func unverifiedKeyID(token string) string {
	header, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil {
		return ""
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if json.Unmarshal(raw, &h) != nil {
		return ""
	}
	return h.Kid
}

// mapFlag collects repeatable KEY=VALUE flags.
type mapFlag map[string]string

func (m mapFlag) String() string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}

func (m mapFlag) Set(v string) error {
	key, value, ok := strings.Cut(v, "=")
	if !ok || key == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", v)
	}
	m[key] = value
	return nil
}

func (e env) tokenParticipant(args []string) int {
	flags := e.newFlags("ivscdk token participant", "ivscdk token participant -key PRIVATE.pem -public-key-arn ARN -stage-arn ARN -events-url URL -whip-url URL [flags]")
	keyPath := flags.String("key", "", "`file` with the private half of the IVS public key (PEM); required")
	publicKeyArn := flags.String("public-key-arn", "", "`ARN` of the IVS public key (AWS::IVS::PublicKey) that verifies the token; required")
	stageArn := flags.String("stage-arn", "", "`ARN` of the stage to join; required")
	ttl := flags.Duration("ttl", 12*time.Hour, "token lifetime, at most 336h (14 days)")
	userID := flags.String("user-id", "", "user `ID` shown to every participant (at most 128 characters, no personal data)")
	participantID := flags.String("participant-id", "", "participant `ID` (jti); default 12 random letters and digits")
	attributes := mapFlag{}
	flags.Var(attributes, "attribute", "`KEY=VALUE` attribute shown to every participant; repeat for more (1 KB in all)")
	var capabilities listFlag
	flags.Var(&capabilities, "capabilities", "comma-separated `list` of PUBLISH and SUBSCRIBE; default both; \"none\" for neither")
	eventsURL := flags.String("events-url", "", "the stage's events endpoint `URL` (aws ivs-realtime get-stage: endpoints.events); required")
	whipURL := flags.String("whip-url", "", "the stage's WHIP endpoint `URL` (aws ivs-realtime get-stage: endpoints.whip); required")
	if code := parse(flags, args); code >= 0 {
		return code
	}
	if flags.NArg() > 0 {
		return e.usageError(flags, "unexpected arguments %q", flags.Args())
	}
	if missing := missingFlags("-key", *keyPath, "-public-key-arn", *publicKeyArn, "-stage-arn", *stageArn,
		"-events-url", *eventsURL, "-whip-url", *whipURL); missing != "" {
		return e.usageError(flags, "missing %s", missing)
	}
	key, err := readPrivateKey(*keyPath)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	signer, err := ivstoken.NewParticipantSigner(key, *publicKeyArn, ivstoken.WithClock(e.now))
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	claims := ivstoken.ParticipantClaims{
		StageArn:      *stageArn,
		ParticipantID: *participantID,
		UserID:        *userID,
		EventsURL:     *eventsURL,
		WhipURL:       *whipURL,
		ExpiresAt:     e.now().Add(*ttl),
	}
	if len(attributes) > 0 {
		claims.Attributes = attributes
	}
	claims.Capabilities = []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe} // the flag's default
	if isSet(flags, "capabilities") {
		claims.Capabilities = []ivstoken.Capability{}
		for _, c := range capabilities {
			if !strings.EqualFold(c, "none") {
				claims.Capabilities = append(claims.Capabilities, ivstoken.Capability(strings.ToUpper(c)))
			}
		}
	}
	token, err := signer.Sign(claims)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	fmt.Fprintln(e.stdout, token)
	return exitOK
}

// readPrivateKey reads an ECDSA P-384 private key from a PEM file.
func readPrivateKey(path string) (*ecdsa.PrivateKey, error) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := ivstoken.ParsePrivateKeyPEM(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}
