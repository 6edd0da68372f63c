package rehearsal

import (
	"crypto/ecdsa"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/cfcookie"
)

// cookieKey is the library's managed cookie key after its custom
// resource's Create: the key group's one public key, as CloudFront holds
// it.
type cookieKey struct {
	// PEM is the public key as the key group holds it (for openssl).
	PEM string
	// Trusted is the key group for cfcookie.Check: the key's ID and key.
	Trusted map[string]*ecdsa.PublicKey
	// SecretArn is the secret the key function keeps the private key in.
	SecretArn string
}

// createCookieKey runs the example's cookie key function (its exact asset)
// as CloudFormation's Create of the LibraryCookieKey custom resource does,
// and checks that it made one key in one key group, answering the group's
// ID.
func createCookieKey(t *testing.T, d *deployment) cookieKey {
	t.Helper()
	keySpec := d.spec("LibraryCookieKeyFunction")
	if keySpec.Env["KEY_KIND"] != "cloudfront-public-key" {
		t.Fatalf("the cookie key function's KEY_KIND is %q", keySpec.Env["KEY_KIND"])
	}
	custom := d.id("Custom::IvsManagedCookieKey", "LibraryCookieKey")
	resp, err := d.cfn.Send(ctx(t), d.start(keySpec), CustomResourceRequest{RequestType: "Create", LogicalResourceID: custom,
		ResourceType: d.stack.Resources[custom].Type, Properties: d.properties(custom)}, 5*time.Minute)
	if err != nil || resp.Status != "SUCCESS" {
		t.Fatalf("the cookie key's Create: %+v, %v", resp, err)
	}
	groups, keys := d.aws.KeyGroups(), d.aws.CloudFrontKeys()
	if len(groups) != 1 || len(keys) != 1 || resp.Data["KeyGroupId"] != groups[0].ID || groups[0].Items[0] != keys[0].ID {
		t.Fatalf("after Create: groups %+v, keys %d, data %v; want one key in one group, the group's ID answered", groups, len(keys), resp.Data)
	}
	public, err := cfcookie.ParsePublicKeyPEM([]byte(keys[0].EncodedKey))
	if err != nil {
		t.Fatal(err)
	}
	return cookieKey{PEM: keys[0].EncodedKey, Trusted: map[string]*ecdsa.PublicKey{keys[0].ID: public}, SecretArn: keySpec.Env["SECRET_ARN"]}
}
