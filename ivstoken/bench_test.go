package ivstoken

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/internal/test/benchpair"
)

// The floor is what any ES384 signer must do: ECDSA P-384 over the SHA-384
// digest of the same signing input (bare crypto/ecdsa, digest precomputed).

func benchClaims() PlaybackClaims {
	return PlaybackClaims{
		ChannelArn:               testChannelArn,
		AccessControlAllowOrigin: "https://example.com",
		ViewerID:                 "viewer-42",
		ExpiresAt:                testNow.Add(5 * time.Minute), // the signers' pinned clock (mustSigner)
	}
}

func BenchmarkSign(b *testing.B) {
	signer, _ := mustSigner(b)
	claims := benchClaims()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signer.Sign(claims); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignFloor(b *testing.B) {
	signer, key := mustSigner(b)
	token, _ := signer.Sign(benchClaims())
	digest := sha512.Sum384([]byte(token[:strings.LastIndexByte(token, '.')]))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ecdsa.Sign(rand.Reader, key, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	signer, key := mustSigner(b)
	token, _ := signer.Sign(benchClaims())
	now := testNow
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyPlaybackToken(token, &key.PublicKey, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyFloor(b *testing.B) {
	signer, key := mustSigner(b)
	token, _ := signer.Sign(benchClaims())
	last := strings.LastIndexByte(token, '.')
	digest := sha512.Sum384([]byte(token[:last]))
	sig, _ := base64.RawURLEncoding.DecodeString(token[last+1:])
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	b.ReportAllocs()
	for b.Loop() {
		if !ecdsa.Verify(&key.PublicKey, digest[:], r, s) {
			b.Fatal("does not verify")
		}
	}
}

// BenchmarkOverhead alternates ivstoken and the floor in every iteration and
// reports ivstoken's time as a multiple of the floor's, measured in one run,
// and ivstoken's tokens per second on one core.
func BenchmarkOverhead(b *testing.B) {
	signer, key := mustSigner(b)
	claims := benchClaims()
	token, _ := signer.Sign(claims)
	last := strings.LastIndexByte(token, '.')
	digest := sha512.Sum384([]byte(token[:last]))
	sig, _ := base64.RawURLEncoding.DecodeString(token[last+1:])
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	now := testNow
	const batch = 20
	b.Run("sign", func(b *testing.B) {
		ours := benchpair.Alternate(b, batch, func() { signer.Sign(claims) }, func() { ecdsa.Sign(rand.Reader, key, digest[:]) })
		b.ReportMetric(float64(b.N*batch)/ours.Seconds(), "tokens/s")
	})
	b.Run("verify", func(b *testing.B) {
		ours := benchpair.Alternate(b, batch, func() { VerifyPlaybackToken(token, &key.PublicKey, now) }, func() { ecdsa.Verify(&key.PublicKey, digest[:], r, s) })
		b.ReportMetric(float64(b.N*batch)/ours.Seconds(), "tokens/s")
	})
}
