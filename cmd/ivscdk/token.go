package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

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
	if *keyPath == "" || *channelArn == "" {
		return e.usageError(flags, "-key and -channel-arn are required")
	}
	if !isSet(flags, "ttl") && (*viewerID != "" || *singleUse) {
		*ttl = ivstoken.MaxShortLivedTokenLifetime
	}
	pemBytes, err := os.ReadFile(*keyPath)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	key, err := ivstoken.ParsePrivateKeyPEM(pemBytes)
	if err != nil {
		return e.fail(flags.Name(), fmt.Errorf("%s: %w", *keyPath, err))
	}
	signer, err := ivstoken.NewPlaybackSigner(key)
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
		ExpiresAt:                time.Now().Add(*ttl),
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
	claims, err := ivstoken.VerifyPlaybackToken(token, pub, time.Now())
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	out, err := json.MarshalIndent(claims, "", "  ")
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}
