package keysecret

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestParse(t *testing.T) {
	good, _ := New()
	if _, err := Parse(good); err != nil {
		t.Fatal(err)
	}
	other, _ := ivstoken.GenerateKey()
	otherPub, _ := ivstoken.MarshalPublicKeyPEM(&other.PublicKey)
	var v Value
	_ = json.Unmarshal([]byte(good), &v)
	v.PublicKeyPEM = string(otherPub)
	mismatched, _ := json.Marshal(v)
	for value, want := range map[string]string{
		"Zx9-random":            "does not hold an ivscdk managed key",
		string(mismatched):      "not the public half",
		`{"privateKeyPem":"x"}`: "privateKeyPem",
	} {
		if _, err := Parse(value); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.20s: %v, want %q", value, err, want)
		}
	}
}

func TestReadPrivateKeyTakesManagedAndBarePEM(t *testing.T) {
	managed, _ := New()
	want, err := Parse(managed)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ReadPrivateKey(managed); err != nil || !got.Equal(want) {
		t.Errorf("managed: %v", err)
	}
	pem, _ := ivstoken.MarshalPrivateKeyPEM(want)
	if got, err := ReadPrivateKey(string(pem)); err != nil || !got.Equal(want) {
		t.Errorf("bare PEM: %v", err)
	}
	public, _ := ivstoken.MarshalPublicKeyPEM(&want.PublicKey)
	if _, err := ReadPrivateKey(string(public)); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Errorf("public key: %v", err)
	}
}
