package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const channelArn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"

// testNow is the clock of the in-process runs: years from today, so that
// no test depends on the date.
var testNow = time.Date(2039, 7, 1, 12, 0, 0, 0, time.UTC)

type result struct {
	code           int
	stdout, stderr string
}

// ivscdk runs the command in process, in dir, with the clock at testNow.
func ivscdk(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr, now: func() time.Time { return testNow }}
	code := e.run(args)
	return result{code, stdout.String(), stderr.String()}
}

// TestBinary runs the built command as a user does: exit codes, files and
// the streams, with the machine's clock (a token it signs now, it verifies
// now).
func TestBinary(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "ivscdk")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := func(stdin string, args ...string) result {
		t.Helper()
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return result{code, stdout.String(), stderr.String()}
	}
	if r := run(""); r.code != exitUsage || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no arguments: %+v, want exit 2 and the usage on standard error", r)
	}
	if r := run("", "keygen"); r.code != exitOK {
		t.Fatalf("keygen: %+v", r)
	}
	r := run("", "token", "playback", "-key", "ivs-private.pem", "-channel-arn", channelArn)
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("token playback: %+v", r)
	}
	if v := run(r.stdout, "token", "verify", "-key", "ivs-public.pem"); v.code != exitOK || !strings.Contains(v.stdout, channelArn) {
		t.Errorf("token verify from standard input: %+v", v)
	}
	if v := run("", "token", "verify", "-key", "ivs-public.pem", "not.a.token"); v.code != exitFailure {
		t.Errorf("verifying garbage: %+v, want exit 1", v)
	}
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	r := ivscdk(t, dir, "", "keygen")
	if r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	info, err := os.Stat(filepath.Join(dir, "ivs-private.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("private key mode = %o, want 600", perm)
	}
	priv, _ := os.ReadFile(filepath.Join(dir, "ivs-private.pem"))
	pub, _ := os.ReadFile(filepath.Join(dir, "ivs-public.pem"))
	key, err := ivstoken.ParsePrivateKeyPEM(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubKey, err := ivstoken.ParsePublicKeyPEM(pub)
	if err != nil || !pubKey.Equal(&key.PublicKey) {
		t.Fatalf("public key does not match the private key: %v", err)
	}

	// Refuses to overwrite, and leaves the files alone.
	r = ivscdk(t, dir, "", "keygen")
	if r.code != 1 || !strings.Contains(r.stderr, "exists; use -force") {
		t.Errorf("second keygen: %+v", r)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "ivs-private.pem")); !bytes.Equal(again, priv) {
		t.Error("the private key changed without -force")
	}

	// -force overwrites and restores 0600 even on a file that had other modes.
	os.Chmod(filepath.Join(dir, "ivs-private.pem"), 0o644)
	r = ivscdk(t, dir, "", "keygen", "-force")
	if r.code != 0 {
		t.Fatalf("keygen -force: %+v", r)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "ivs-private.pem")); bytes.Equal(again, priv) {
		t.Error("-force did not write a new key")
	}
	if info, _ := os.Stat(filepath.Join(dir, "ivs-private.pem")); info.Mode().Perm() != 0o600 {
		t.Errorf("overwritten private key mode = %o, want 600", info.Mode().Perm())
	}

	r = ivscdk(t, dir, "", "keygen", "-private", "a.pem", "-public", "b.pem")
	if r.code != 0 || !strings.Contains(r.stdout, "a.pem") {
		t.Errorf("keygen with names: %+v", r)
	}
}

func TestPlaybackTokenEndToEnd(t *testing.T) {
	dir := t.TempDir()
	if r := ivscdk(t, dir, "", "keygen"); r.code != 0 {
		t.Fatal(r)
	}
	r := ivscdk(t, dir, "", "token", "playback", "-key", "ivs-private.pem", "-channel-arn", channelArn,
		"-origin", "https://example.com", "-origin", "https://*.example.net", "-strict-origin", "-viewer-id", "v-1",
		"-viewer-session-version", "5", "-max-resolution", "HD")
	if r.code != 0 {
		t.Fatalf("token playback: %+v", r)
	}
	token := strings.TrimSpace(r.stdout)

	pub, _ := os.ReadFile(filepath.Join(dir, "ivs-public.pem"))
	pubKey, _ := ivstoken.ParsePublicKeyPEM(pub)
	claims, err := ivstoken.VerifyPlaybackToken(token, pubKey, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if claims.AccessControlAllowOrigin != "https://example.com,https://*.example.net" || !claims.StrictOriginEnforcement ||
		claims.ViewerID != "v-1" || claims.ViewerSessionVersion != 5 || claims.MaximumResolution != "HD" {
		t.Errorf("claims = %+v", claims)
	}
	// With a viewer ID the default lifetime is IVS's maximum for it.
	if life := claims.ExpiresAt.Sub(testNow); life != 10*time.Minute {
		t.Errorf("lifetime = %s, want 10m", life)
	}

	for _, input := range []struct{ arg, stdin string }{{token, ""}, {"-", token + "\n"}, {"", token}} {
		args := []string{"token", "verify", "-key", "ivs-public.pem"}
		if input.arg != "" {
			args = append(args, input.arg)
		}
		r = ivscdk(t, dir, input.stdin, args...)
		if r.code != 0 {
			t.Fatalf("token verify %q: %+v", input.arg, r)
		}
		var printed map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &printed); err != nil {
			t.Fatalf("verify output is not JSON: %v\n%s", err, r.stdout)
		}
		if printed["aws:channel-arn"] != channelArn || printed["aws:viewer-id"] != "v-1" || printed["exp"] == nil {
			t.Errorf("printed claims = %v", printed)
		}
	}

	r = ivscdk(t, dir, "", "token", "playback", "-key", "ivs-private.pem", "-channel-arn", channelArn,
		"-playback-url", "https://abc.us-west-2.playback.live-video.net/api/video/v1/x.m3u8", "-single-use")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "https://abc.us-west-2.playback.live-video.net/api/video/v1/x.m3u8?token=ey") {
		t.Errorf("-playback-url: %+v", r)
	}
}

func TestOpenSSLKeysWork(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{"ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "priv.pem"},
		{"ec", "-in", "priv.pem", "-pubout", "-out", "public.pem"},
	} {
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v %s", args, err, out)
		}
	}
	r := ivscdk(t, dir, "", "token", "playback", "-key", "priv.pem", "-channel-arn", channelArn)
	if r.code != 0 {
		t.Fatalf("token with an openssl key: %+v", r)
	}
	if v := ivscdk(t, dir, "", "token", "verify", "-key", "public.pem", strings.TrimSpace(r.stdout)); v.code != 0 {
		t.Errorf("verify with the openssl public key: %+v", v)
	}
}

func TestFailuresAndUsage(t *testing.T) {
	dir := t.TempDir()
	if r := ivscdk(t, dir, "", "keygen"); r.code != 0 {
		t.Fatal(r)
	}
	other := t.TempDir()
	if r := ivscdk(t, other, "", "keygen"); r.code != 0 {
		t.Fatal(r)
	}
	token := strings.TrimSpace(ivscdk(t, dir, "", "token", "playback", "-key", "ivs-private.pem", "-channel-arn", channelArn).stdout)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"token without kind", []string{"token"}, 2, "name a command: playback, participant, verify or fetch"},
		{"unknown token kind", []string{"token", "bogus"}, 2, `unknown command "bogus"`},
		{"missing flags", []string{"token", "playback"}, 2, "missing -key and -channel-arn (required)"},
		{"unknown flag", []string{"token", "playback", "-nope"}, 2, "flag provided but not defined: -nope"},
		{"extra args", []string{"keygen", "extra"}, 2, "unexpected arguments"},
		{"same file twice", []string{"keygen", "-private", "x.pem", "-public", "x.pem"}, 2, "same file"},
		{"verify without key", []string{"token", "verify", token}, 2, "-key is required"},
		{"missing key file", []string{"token", "playback", "-key", "nope.pem", "-channel-arn", channelArn}, 1, "nope.pem"},
		{"public key to sign", []string{"token", "playback", "-key", "ivs-public.pem", "-channel-arn", channelArn}, 1, "signing needs the private key"},
		{"bad channel ARN", []string{"token", "playback", "-key", "ivs-private.pem", "-channel-arn", "arn:aws:ivs:us-west-2:123456789012:stream-key/x"}, 1, `want a "channel"`},
		{"too long with viewer id", []string{"token", "playback", "-key", "ivs-private.pem", "-channel-arn", channelArn, "-viewer-id", "v", "-ttl", "1h"}, 1, "at most 10m0s"},
		{"private key to verify", []string{"token", "verify", "-key", "ivs-private.pem", token}, 1, "holds a private key"},
		{"wrong key", []string{"token", "verify", "-key", filepath.Join(other, "ivs-public.pem"), token}, 1, "signature does not verify"},
		{"garbage token", []string{"token", "verify", "-key", "ivs-public.pem", "garbage"}, 1, "malformed token"},
	}
	for _, c := range cases {
		r := ivscdk(t, dir, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", c.name, r.code, r.stderr, c.code, c.want)
		}
	}
	for _, args := range [][]string{{"-h"}, {"keygen", "-h"}, {"token", "playback", "-h"}, {"token", "verify", "-h"}} {
		r := ivscdk(t, dir, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "Usage") {
			t.Errorf("%v: exit %d, output %q", args, r.code, r.stdout+r.stderr)
		}
	}
}

func TestParticipantTokenEndToEnd(t *testing.T) {
	const (
		stageArn = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdEf123456"
		keyArn   = "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61"
	)
	// The stage's endpoints, as GetStage returns them.
	endpoints := []string{"-events-url", "wss://global.events.live-video.net", "-whip-url", "https://f99084460c35.global-bm.whip.live-video.net"}
	dir := t.TempDir()
	if r := ivscdk(t, dir, "", "keygen"); r.code != 0 {
		t.Fatal(r)
	}
	r := ivscdk(t, dir, "", "token", "participant", "-key", "ivs-private.pem", "-public-key-arn", keyArn,
		"-stage-arn", stageArn, "-events-url", endpoints[1], "-whip-url", endpoints[3],
		"-user-id", "alice", "-attribute", "displayName=Alice", "-attribute", "role=host",
		"-capabilities", "subscribe", "-ttl", "2h")
	if r.code != 0 {
		t.Fatalf("token participant: %+v", r)
	}
	token := strings.TrimSpace(r.stdout)
	pub, _ := os.ReadFile(filepath.Join(dir, "ivs-public.pem"))
	pubKey, _ := ivstoken.ParsePublicKeyPEM(pub)
	claims, kid, err := ivstoken.VerifyParticipantToken(token, pubKey, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if kid != keyArn || claims.UserID != "alice" || claims.Attributes["role"] != "host" ||
		len(claims.Capabilities) != 1 || claims.Capabilities[0] != ivstoken.CapabilitySubscribe {
		t.Errorf("claims = %+v, kid %q", claims, kid)
	}
	if life := claims.ExpiresAt.Sub(testNow); life != 2*time.Hour {
		t.Errorf("lifetime = %s", life)
	}
	v := ivscdk(t, dir, "", "token", "verify", "-key", "ivs-public.pem", token)
	if v.code != 0 || !strings.Contains(v.stdout, `"resource": "`+stageArn+`"`) || !strings.Contains(v.stderr, keyArn) {
		t.Errorf("verify participant token: %+v", v)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"token", "participant", "-key", "ivs-private.pem"}, 2, "missing -public-key-arn, -stage-arn, -events-url and -whip-url (required)"},
		{[]string{"token", "participant", "-key", "ivs-private.pem", "-public-key-arn", keyArn, "-stage-arn", stageArn}, 2, "missing -events-url and -whip-url (required)"},
		{append([]string{"token", "participant", "-key", "ivs-private.pem", "-public-key-arn", keyArn, "-stage-arn", stageArn, "-ttl", "400h"}, endpoints...), 1, "at most 336h"},
		{append([]string{"token", "participant", "-key", "ivs-private.pem", "-public-key-arn", stageArn, "-stage-arn", stageArn}, endpoints...), 1, `want a "public-key"`},
		{[]string{"token", "participant", "-key", "ivs-private.pem", "-public-key-arn", keyArn, "-stage-arn", stageArn, "-attribute", "novalue"}, 2, "want KEY=VALUE"},
		{[]string{"token", "participant", "-h"}, 0, "Usage"},
	} {
		r := ivscdk(t, dir, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
}

// keygen -from writes the public half of a private key it did not make.
func TestKeygenFromAPrivateKey(t *testing.T) {
	dir := t.TempDir()
	if r := ivscdk(t, dir, "", "keygen", "-private", "mine.pem", "-public", "first.pem"); r.code != 0 {
		t.Fatal(r)
	}
	r := ivscdk(t, dir, "", "keygen", "-from", "mine.pem", "-public", "derived.pem")
	if r.code != 0 || !strings.Contains(r.stdout, "wrote derived.pem (the public key of mine.pem)") {
		t.Fatalf("keygen -from: %+v", r)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "first.pem"))
	derived, _ := os.ReadFile(filepath.Join(dir, "derived.pem"))
	if !bytes.Equal(first, derived) {
		t.Error("the derived public key differs from the one keygen wrote with the pair")
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"keygen", "-from", "mine.pem", "-public", "derived.pem"}, 1, "derived.pem exists; use -force"},
		{[]string{"keygen", "-from", "mine.pem", "-public", "mine.pem", "-force"}, 1, "would overwrite the private key"},
		{[]string{"keygen", "-from", "first.pem"}, 1, "first.pem"},
		{[]string{"keygen", "-from", "mine.pem", "-private", "x.pem"}, 2, "-private has no use"},
	} {
		r := ivscdk(t, dir, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "mine.pem")); !bytes.Contains(again, []byte("PRIVATE KEY")) {
		t.Error("the private key was overwritten")
	}
}

// token verify prints exp and iat in RFC 3339 beside the Unix seconds.
func TestVerifyPrintsTimesInRFC3339(t *testing.T) {
	dir := t.TempDir()
	ivscdk(t, dir, "", "keygen")
	token := strings.TrimSpace(ivscdk(t, dir, "", "token", "participant", "-key", "ivs-private.pem",
		"-public-key-arn", "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61", "-stage-arn", "arn:aws:ivs:us-west-2:123456789012:stage/AbCdEf123456",
		"-events-url", "wss://global.events.live-video.net", "-whip-url", "https://f99cde61.global-bm.whip.live-video.net", "-ttl", "2h").stdout)
	r := ivscdk(t, dir, "", "token", "verify", "-key", "ivs-public.pem", token)
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{
		fmt.Sprintf(`"exp": %d`, testNow.Add(2*time.Hour).Unix()), `"exp (RFC 3339)": "2039-07-01T14:00:00Z"`,
		fmt.Sprintf(`"iat": %d`, testNow.Unix()), `"iat (RFC 3339)": "2039-07-01T12:00:00Z"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("verify output lacks %s:\n%s", want, r.stdout)
		}
	}
}

// token verify without a token refuses to wait on a terminal, and reads a
// pipe or file.
func TestVerifyRefusesToWaitOnATerminal(t *testing.T) {
	tty := openPseudoTerminal(t)
	var stdout, stderr bytes.Buffer
	e := env{stdin: tty, stdout: &stdout, stderr: &stderr, now: func() time.Time { return testNow }}
	dir := t.TempDir()
	t.Chdir(dir)
	ivscdk(t, dir, "", "keygen")
	if code := e.run([]string{"token", "verify", "-key", "ivs-public.pem"}); code != exitUsage ||
		!strings.Contains(stderr.String(), "standard input is a terminal") {
		t.Errorf("exit %d, stderr %q; want 2 and a word about the terminal", code, stderr.String())
	}
	f, _ := os.Create(filepath.Join(dir, "token.txt"))
	f.WriteString("not-a-token")
	f.Seek(0, 0)
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file counts as a terminal")
	}
}

// openPseudoTerminal opens the terminal side of a new pseudo-terminal
// (Linux /dev/ptmx), or skips.
func openPseudoTerminal(t *testing.T) *os.File {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("naming the pseudo-terminal: %v", err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}
