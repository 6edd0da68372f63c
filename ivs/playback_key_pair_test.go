package ivs_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivstoken"
)

func TestPlaybackKeyPairAttributesAndTags(t *testing.T) {
	env := cdktest.New(t)
	pair := ivs.NewPlaybackKeyPair(env.Stack, "PlaybackKeyPair", &ivs.PlaybackKeyPairProps{
		PublicKeyMaterial: publicKeyPEM(t),
		Tags:              map[string]string{"purpose": "viewers"},
	})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Arn"), &awscdk.CfnOutputProps{Value: pair.PlaybackKeyPairArn()})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Fingerprint"), &awscdk.CfnOutputProps{Value: pair.PlaybackKeyPairFingerprint()})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::PlaybackKeyPair"), map[string]any{
		"Tags": []any{map[string]any{"Key": "purpose", "Value": "viewers"}},
	})
	template.HasOutput(jsii.String("Arn"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"PlaybackKeyPairBE17315B", "Arn"}}})
	template.HasOutput(jsii.String("Fingerprint"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"PlaybackKeyPairBE17315B", "Fingerprint"}}})
}

func pemOf(t *testing.T, blockType string, der []byte, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}))
}

func TestPlaybackKeyPairRejectsWrongKeys(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	privatePKCS8, _ := ivstoken.MarshalPrivateKeyPEM(p384)
	sec1, err := x509.MarshalECPrivateKey(p384)
	p256Der, err256 := x509.MarshalPKIXPublicKey(&p256.PublicKey)
	rsaDer, errRSA := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	edDer, errEd := x509.MarshalPKIXPublicKey(edPub)
	cases := []struct {
		name     string
		material string
		want     string
	}{
		{"missing", "", "PublicKeyMaterial is required"},
		{"private PKCS8", string(privatePKCS8), "PublicKeyMaterial holds a PRIVATE key"},
		{"private SEC1", pemOf(t, "EC PRIVATE KEY", sec1, err), "PublicKeyMaterial holds a PRIVATE key"},
		{"public then private", publicKeyPEM(t) + string(privatePKCS8), "PublicKeyMaterial holds a PRIVATE key"},
		{"P-256", pemOf(t, "PUBLIC KEY", p256Der, err256), "curve P-256"},
		{"RSA", pemOf(t, "PUBLIC KEY", rsaDer, errRSA), "needs an ECDSA key on curve P-384 (secp384r1); got an RSA public key"},
		{"Ed25519", pemOf(t, "PUBLIC KEY", edDer, errEd), "Ed25519 public key"},
		{"garbage", "hello", "no PEM block found"},
		{"corrupt body", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "PUBLIC KEY block does not parse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewPlaybackKeyPair(env.Stack, "Key", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: c.material})
			msgs := validationMessages(t, env, "Key")
			wantMessages(t, msgs, c.want)
			for _, m := range msgs {
				if strings.Count(m, "IVS needs") > 1 {
					t.Errorf("the message says twice what IVS needs: %q", m)
				}
				if strings.Contains(m, "PRIVATE KEY-----") || strings.Contains(m, c.material[min(len(c.material), 40):]) && len(c.material) > 80 {
					t.Errorf("the message repeats the key material: %q", m)
				}
			}
		})
	}
}

func TestPlaybackKeyPairRejectsBadName(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewPlaybackKeyPair(env.Stack, "Key", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: publicKeyPEM(t), PlaybackKeyPairName: "no spaces"})
	wantMessages(t, validationMessages(t, env, "Key"), `PlaybackKeyPairName "no spaces" is invalid`)
}

func TestPlaybackKeyPairImport(t *testing.T) {
	env := cdktest.New(t)
	arn := "arn:aws:ivs:us-west-2:123456789012:playback-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a"
	pair := ivs.PlaybackKeyPairFromPlaybackKeyPairArn(env.Stack, "Key", arn)
	if got := *pair.PlaybackKeyPairArn(); got != arn {
		t.Errorf("PlaybackKeyPairArn() = %q", got)
	}
	ivs.PlaybackKeyPairFromPlaybackKeyPairArn(env.Stack, "Bad", "arn:aws:ivs:us-west-2:123456789012:channel/abc")
	wantMessages(t, validationMessages(t, env, "Bad"), `want a "playback-key"`)
}
