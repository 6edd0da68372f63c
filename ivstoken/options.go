package ivstoken

import "time"

// SignerOption configures NewPlaybackSigner and NewParticipantSigner.
type SignerOption func(*signerConfig)

type signerConfig struct {
	now func() time.Time
}

// WithClock makes the signer read the time from now instead of time.Now:
// the signing time decides whether ExpiresAt lies in the future, how long
// the token lives, and a participant token's default "iat". Services that
// take a clock for testing pass the same one here, so that every part of
// them agrees on the time.
func WithClock(now func() time.Time) SignerOption {
	return func(c *signerConfig) {
		if now != nil {
			c.now = now
		}
	}
}

func newSignerConfig(opts []SignerOption) signerConfig {
	c := signerConfig{now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	return c
}
