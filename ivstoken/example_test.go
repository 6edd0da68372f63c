package ivstoken_test

import (
	"fmt"
	"log"
	"time"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// Sign a playback token for a private channel and check it, as a
// token-vending service and a test would.
func ExamplePlaybackSigner_Sign() {
	// In a service: key, err := ivstoken.ParsePrivateKeyPEM(pemFromSecretsManager)
	key, err := ivstoken.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	signer, err := ivstoken.NewPlaybackSigner(key)
	if err != nil {
		log.Fatal(err)
	}
	token, err := signer.Sign(ivstoken.PlaybackClaims{
		ChannelArn:               "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh",
		AccessControlAllowOrigin: "https://example.com",
		ViewerID:                 "viewer-42",
		ExpiresAt:                time.Now().Add(5 * time.Minute),
	})
	if err != nil {
		log.Fatal(err)
	}
	url, err := ivstoken.PlaybackURLWithToken("https://abc.us-west-2.playback.live-video.net/api/video/v1/channel.m3u8", token)
	if err != nil {
		log.Fatal(err)
	}
	claims, err := ivstoken.VerifyPlaybackToken(token, &key.PublicKey, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(claims.ViewerID, url[:len("https://abc.us-west-2.playback.live-video.net/api/video/v1/channel.m3u8?token=")])
	// Output: viewer-42 https://abc.us-west-2.playback.live-video.net/api/video/v1/channel.m3u8?token=
}

// Make a key pair: the public half goes to IVS (ivs.NewPlaybackKeyPair's
// PublicKeyMaterial), the private half stays with the signer.
func ExampleGenerateKey() {
	key, err := ivstoken.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	public, _ := ivstoken.MarshalPublicKeyPEM(&key.PublicKey)
	private, _ := ivstoken.MarshalPrivateKeyPEM(key)
	fmt.Printf("%.26s\n%.27s\n", public, private)
	// Output:
	// -----BEGIN PUBLIC KEY-----
	// -----BEGIN PRIVATE KEY-----
}

// A private key where a public key belongs is refused.
func ExampleParsePublicKeyPEM() {
	key, _ := ivstoken.GenerateKey()
	private, _ := ivstoken.MarshalPrivateKeyPEM(key)
	_, err := ivstoken.ParsePublicKeyPEM(private)
	fmt.Println(err)
	// Output: ivstoken: this PEM holds a private key; give the public key instead (derive it with `ivscdk keygen -from private.pem` or `openssl ec -in private.pem -pubout -out public.pem`)
}

// Sign a token that lets a participant join a real-time stage, with the
// private half of an IVS public key.
func ExampleParticipantSigner_Sign() {
	key, err := ivstoken.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	publicKeyArn := "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a"
	signer, err := ivstoken.NewParticipantSigner(key, publicKeyArn)
	if err != nil {
		log.Fatal(err)
	}
	token, err := signer.Sign(ivstoken.ParticipantClaims{
		StageArn:     "arn:aws:ivs:us-west-2:123456789012:stage/AbCdEf123456",
		UserID:       "alice",
		Attributes:   map[string]string{"displayName": "Alice"},
		Capabilities: []ivstoken.Capability{ivstoken.CapabilitySubscribe},
		// The stage's endpoints, from GetStage (CloudFormation has no
		// attribute for them).
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://f99084460c35.global-bm.whip.live-video.net",
		ExpiresAt: time.Now().Add(12 * time.Hour),
	})
	if err != nil {
		log.Fatal(err)
	}
	claims, keyArn, err := ivstoken.VerifyParticipantToken(token, &key.PublicKey, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(claims.UserID, claims.Capabilities, keyArn == publicKeyArn)
	// Output: alice [SUBSCRIBE] true
}

// A service that takes a clock (for tests, or to agree with a verifier)
// hands the same one to the signer.
func ExampleWithClock() {
	key, _ := ivstoken.GenerateKey()
	now := time.Date(2040, time.January, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	signer, _ := ivstoken.NewPlaybackSigner(key, ivstoken.WithClock(clock))
	token, err := signer.Sign(ivstoken.PlaybackClaims{
		ChannelArn: "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh",
		ExpiresAt:  now.Add(5 * time.Minute),
	})
	if err != nil {
		panic(err)
	}
	claims, _ := ivstoken.VerifyPlaybackToken(token, &key.PublicKey, now)
	fmt.Println(claims.ExpiresAt.Format(time.RFC3339))
	// Output: 2040-01-01T12:05:00Z
}
