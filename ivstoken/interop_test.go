package ivstoken

import (
	"crypto/ecdsa"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Interoperability with independent JWT and ECDSA implementations: tokens
// signed here verify there, and tokens signed there verify here.

func TestInteropGolangJWT(t *testing.T) {
	signer, key := mustSigner(t)
	exp := testNow.Add(time.Minute).Truncate(time.Second)

	ours, err := signer.Sign(PlaybackClaims{ChannelArn: testChannelArn, ViewerID: "v", ExpiresAt: exp})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.Parse(ours, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"ES384"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(testClock))
	if err != nil || !parsed.Valid {
		t.Fatalf("golang-jwt does not verify our token: %v", err)
	}
	if got := parsed.Claims.(jwt.MapClaims)["aws:channel-arn"]; got != testChannelArn {
		t.Errorf("golang-jwt reads aws:channel-arn = %v", got)
	}

	theirs, err := jwt.NewWithClaims(jwt.SigningMethodES384, jwt.MapClaims{
		"aws:channel-arn": testChannelArn,
		"aws:viewer-id":   "from-golang-jwt",
		"exp":             exp.Unix(),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := VerifyPlaybackToken(theirs, &key.PublicKey, testNow)
	if err != nil {
		t.Fatalf("golang-jwt's token does not verify here: %v", err)
	}
	if claims.ViewerID != "from-golang-jwt" || !claims.ExpiresAt.Equal(exp) {
		t.Errorf("claims = %+v", claims)
	}
}

// ecdsaSignature is the ASN.1 form openssl reads and writes.
type ecdsaSignature struct{ R, S *big.Int }

func writeKeys(t *testing.T, key *ecdsa.PrivateKey) (privPath, pubPath string) {
	t.Helper()
	dir := t.TempDir()
	priv, _ := MarshalPrivateKeyPEM(key)
	pub, _ := MarshalPublicKeyPEM(&key.PublicKey)
	privPath, pubPath = filepath.Join(dir, "private.pem"), filepath.Join(dir, "public.pem")
	if err := os.WriteFile(privPath, priv, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pubPath, pub, 0o644); err != nil {
		t.Fatal(err)
	}
	return privPath, pubPath
}

func TestInteropOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	signer, key := mustSigner(t)
	privPath, pubPath := writeKeys(t, key)
	dir := t.TempDir()

	// openssl verifies our signature (converted to its DER form).
	ours, err := signer.Sign(PlaybackClaims{ChannelArn: testChannelArn, ExpiresAt: testNow.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	last := strings.LastIndexByte(ours, '.')
	raw, _ := base64.RawURLEncoding.DecodeString(ours[last+1:])
	der, _ := asn1.Marshal(ecdsaSignature{new(big.Int).SetBytes(raw[:48]), new(big.Int).SetBytes(raw[48:])})
	input, sigPath := filepath.Join(dir, "input"), filepath.Join(dir, "sig.der")
	os.WriteFile(input, []byte(ours[:last]), 0o644)
	os.WriteFile(sigPath, der, 0o644)
	if out, err := exec.Command("openssl", "dgst", "-sha384", "-verify", pubPath, "-signature", sigPath, input).CombinedOutput(); err != nil {
		t.Fatalf("openssl does not verify our token: %v: %s", err, out)
	}

	// A token whose signature openssl made verifies here.
	signingInput := playbackHeader + "." + base64.RawURLEncoding.EncodeToString(
		[]byte(`{"aws:channel-arn":"`+testChannelArn+`","exp":`+itoa(testNow.Add(time.Minute).Unix())+`}`))
	os.WriteFile(input, []byte(signingInput), 0o644)
	out, err := exec.Command("openssl", "dgst", "-sha384", "-sign", privPath, input).Output()
	if err != nil {
		t.Fatalf("openssl dgst -sign: %v", err)
	}
	var sig ecdsaSignature
	if _, err := asn1.Unmarshal(out, &sig); err != nil {
		t.Fatal(err)
	}
	var p1363 [96]byte
	sig.R.FillBytes(p1363[:48])
	sig.S.FillBytes(p1363[48:])
	theirs := signingInput + "." + base64.RawURLEncoding.EncodeToString(p1363[:])
	if _, err := VerifyPlaybackToken(theirs, &key.PublicKey, testNow); err != nil {
		t.Errorf("openssl's signature does not verify here: %v", err)
	}
}

func TestInteropNodeCrypto(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	_, key := mustSigner(t)
	privPath, _ := writeKeys(t, key)
	exp := testNow.Add(time.Minute).Unix()
	out, err := exec.Command("node", "testdata/node-sign.js", privPath, testChannelArn, itoa(exp), "1").Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	token := strings.TrimSpace(string(out))
	claims, err := VerifyPlaybackToken(token, &key.PublicKey, testNow)
	if err != nil {
		t.Fatalf("Node.js's token does not verify here: %v", err)
	}
	if claims.ChannelArn != testChannelArn || claims.ExpiresAt.Unix() != exp {
		t.Errorf("claims = %+v", claims)
	}
}
