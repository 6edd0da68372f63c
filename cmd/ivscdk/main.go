// Command ivscdk makes the keys and tokens of Amazon IVS private channels.
//
//	ivscdk keygen [-private ivs-private.pem] [-public ivs-public.pem] [-force]
//	ivscdk token playback -key PRIVATE.pem -channel-arn ARN [-ttl 1h] [-origin URL]... [-viewer-id ID] ...
//	ivscdk token participant -key PRIVATE.pem -public-key-arn ARN -stage-arn ARN -events-url URL -whip-url URL [-user-id ID] [-attribute K=V]... ...
//	ivscdk token verify -key PUBLIC.pem TOKEN
//	ivscdk token fetch [-jwt TOKEN | -jwt-file FILE] [-data JSON] URL
//
// Every command takes -h. Errors go to standard error; the exit code is 2
// for usage errors and 1 for other failures.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `ivscdk: keys and tokens for Amazon IVS private channels

Usage:
  ivscdk keygen [-private FILE] [-public FILE] [-force]
        write a new ECDSA P-384 key pair as PEM files
  ivscdk keygen -from PRIVATE.pem [-public FILE] [-force]
        write the public half of an existing private key
  ivscdk token playback -key PRIVATE.pem -channel-arn ARN [flags]
        sign a playback token for an authorized channel
  ivscdk token participant -key PRIVATE.pem -public-key-arn ARN -stage-arn ARN -events-url URL -whip-url URL [flags]
        sign a real-time stage participant token
  ivscdk token verify -key PUBLIC.pem TOKEN
        verify a playback or participant token and print its claims as JSON
  ivscdk token fetch [-jwt TOKEN | -jwt-file FILE] [-data JSON] URL
        call a token endpoint (SigV4-signed with your AWS credentials, or
        with a JWT) and print its answer

Run 'ivscdk COMMAND -h' for a command's flags.
`

// exit codes
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// env is what a command reads and writes, so that tests can run commands in
// process as well as through the built binary.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// now is the clock tokens are signed and verified by.
	now func() time.Time
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}.run(args)
}

// run runs the command args.
func (e env) run(args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "keygen":
		return e.keygen(rest)
	case "token":
		if len(rest) == 0 {
			fmt.Fprintf(stderr, "ivscdk token: name a command: playback, participant, verify or fetch\n\n%s", usage)
			return exitUsage
		}
		switch rest[0] {
		case "playback":
			return e.tokenPlayback(rest[1:])
		case "participant":
			return e.tokenParticipant(rest[1:])
		case "verify":
			return e.tokenVerify(rest[1:])
		case "fetch":
			return e.tokenFetch(rest[1:])
		default:
			fmt.Fprintf(stderr, "ivscdk token: unknown command %q\n\n%s", rest[0], usage)
			return exitUsage
		}
	default:
		fmt.Fprintf(stderr, "ivscdk: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// newFlags returns a flag set that reports to stderr and lets the command
// decide the exit code.
func (e env) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and returns the exit code to stop with, or -1 to go on.
func parse(fs *flag.FlagSet, args []string) int {
	switch err := fs.Parse(args); {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	default:
		return exitUsage
	}
}

// usageError reports a usage error and returns exitUsage.
func (e env) usageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}

// fail reports a failure and returns exitFailure.
func (e env) fail(name string, err error) int {
	fmt.Fprintf(e.stderr, "%s: %v\n", name, err)
	return exitFailure
}
