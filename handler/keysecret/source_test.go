package keysecret

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// stubSecrets answers GetSecretValue with its value, or err when set.
type stubSecrets struct {
	value, version string
	err            error
	calls          int
}

func (s *stubSecrets) GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(s.value), VersionId: aws.String(s.version)}, nil
}

// TestSourceFailsClosedWithinOneTTL: a read key is used for at most one TTL
// after the read that returned it. A failing read inside that TTL keeps the
// key; after it, every call fails until the secret is readable again, days
// later included.
func TestSourceFailsClosedWithinOneTTL(t *testing.T) {
	const ttl = 10 * time.Minute
	now := time.Date(2043, 7, 1, 0, 0, 0, 0, time.UTC)
	first, _ := New()
	secrets := &stubSecrets{value: first, version: "v1"}
	src := &Source{Client: secrets, SecretID: "s", TTL: ttl, Now: func() time.Time { return now }}
	ctx := context.Background()

	want, _ := Parse(first)
	if key, version, err := src.KeyVersion(ctx); err != nil || !key.Equal(want) || version != "v1" {
		t.Fatalf("first read: %v %q %v", key, version, err)
	}
	now = now.Add(ttl/2 - time.Second)
	if _, err := src.Key(ctx); err != nil || secrets.calls != 1 {
		t.Fatalf("within TTL/2: %v, %d reads, want the cached key and 1 read", err, secrets.calls)
	}

	secrets.err = errors.New("AccessDeniedException")
	now = now.Add(2 * time.Second) // past TTL/2: reads again, fails, keeps the key
	if key, err := src.Key(ctx); err != nil || !key.Equal(want) {
		t.Fatalf("a failed read within the TTL: %v, want the cached key", err)
	}
	if secrets.calls != 2 {
		t.Errorf("%d reads, want a read after TTL/2", secrets.calls)
	}
	now = now.Add(ttl/2 - 2*time.Second) // one second before the TTL of the last good read
	if _, err := src.Key(ctx); err != nil {
		t.Fatalf("just within the TTL: %v", err)
	}
	now = now.Add(time.Second) // exactly one TTL after the last good read
	if key, err := src.Key(ctx); err == nil || key != nil {
		t.Fatalf("one TTL after the last good read the key still signs (%v)", err)
	}
	for _, later := range []time.Duration{time.Minute, time.Hour, 72 * time.Hour} {
		if _, err := src.Key(ctx); err == nil {
			t.Fatalf("%s later the key signs again without a good read", later)
		}
		now = now.Add(later)
	}

	second, _ := New()
	secrets.value, secrets.version, secrets.err = second, "v2", nil
	want, _ = Parse(second)
	if key, version, err := src.KeyVersion(ctx); err != nil || !key.Equal(want) || version != "v2" {
		t.Fatalf("readable again: %v %q %v", key, version, err)
	}
}

// TestSourcePicksUpARotationWithinHalfATTL: the new version signs at most
// TTL/2 after AWSCURRENT moved.
func TestSourcePicksUpARotationWithinHalfATTL(t *testing.T) {
	const ttl = 4 * time.Minute
	now := time.Date(2043, 7, 1, 0, 0, 0, 0, time.UTC)
	first, _ := New()
	secrets := &stubSecrets{value: first, version: "v1"}
	src := &Source{Client: secrets, SecretID: "s", TTL: ttl, Now: func() time.Time { return now }}
	if _, err := src.Key(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, _ := New()
	secrets.value, secrets.version = second, "v2"
	now = now.Add(ttl / 2)
	if _, version, _ := src.KeyVersion(context.Background()); version != "v2" {
		t.Errorf("TTL/2 after the rotation the source still has %s", version)
	}
}
