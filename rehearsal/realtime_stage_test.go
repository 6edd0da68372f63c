package rehearsal

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

var realtimeStage = keyedEndpoint{
	example: "realtime-stage", stack: "IvsRealtimeStage",
	keyPrefix: "ParticipantKey", configVar: "IVSCDK_PARTICIPANT_TOKEN_CONFIG",
	ivsKeys: (*awsfake.Server).PublicKeys,
	body: func(d *deployment) any {
		return map[string]string{"stage": d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVS::Stage", "Stage"), "Arn"}})}
	},
	// A participant token verifies when its signature does and its kid
	// names the IVS public key, as IVS finds the key by it.
	verify: func(token string, pub *ecdsa.PublicKey, keyArn string, at time.Time) error {
		_, kid, err := ivstoken.VerifyParticipantToken(token, pub, at)
		if err == nil && kid != keyArn {
			err = fmt.Errorf("kid %s is not the key's ARN %s", kid, keyArn)
		}
		return err
	},
	stepOperations: map[string]string{
		"createSecret": "PutSecretValue",
		"setSecret":    "ImportPublicKey",
		"testSecret":   "ListPublicKeys",
		"finishSecret": "UpdateSecretVersionStage",
	},
}

// TestRealtimeStage runs the realtime-stage example's key function and
// self-signing token function through a managed public key's whole life.
func TestRealtimeStage(t *testing.T) {
	rehearseManagedKey(t, realtimeStage)
}

// TestRealtimeStageForABackend: with -c cognito=false the endpoint serves
// IAM callers (a backend) only.
func TestRealtimeStageForABackend(t *testing.T) {
	rehearseBackend(t, realtimeStage)
}

// TestRealtimeStageDeadline: the key function answers CloudFormation
// before its timeout when IVS and Secrets Manager hang.
func TestRealtimeStageDeadline(t *testing.T) {
	rehearseDeadline(t, "realtime-stage", "IvsRealtimeStage", "ParticipantKey", "Custom::IvsManagedPublicKey")
}

// TestRealtimeStageHostsByGroup synthesizes the realtime-stage example
// with JWT authentication and checks that only the hosts group's tokens
// allow publishing: in the signed token, not only in the answer.
func TestRealtimeStageHostsByGroup(t *testing.T) {
	d := deployFrom(t, synthesize(t, "realtime-stage", "-jwt", jwtContext), "IvsRealtimeStage")
	keyFn := d.start(d.spec("ParticipantKeyFunction"))
	custom := d.id("Custom::IvsManagedPublicKey", "ParticipantKey")
	if resp, err := d.cfn.Send(ctx(t), keyFn, CustomResourceRequest{RequestType: "Create", LogicalResourceID: custom,
		ResourceType: "Custom::IvsManagedPublicKey", Properties: d.properties(custom)}, time.Minute); err != nil || resp.Status != "SUCCESS" {
		t.Fatalf("Create: %+v %v", resp, err)
	}
	keys := d.aws.PublicKeys()
	if len(keys) != 1 {
		t.Fatalf("IVS holds %d public keys", len(keys))
	}
	pub, err := ivstoken.ParsePublicKeyPEM([]byte(keys[0].PublicKeyMaterial))
	if err != nil {
		t.Fatal(err)
	}
	tokens := d.start(d.spec("TokensFunction"))
	stage := d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVS::Stage", "Stage"), "Arn"}})
	signed := func(claims map[string]string) []ivstoken.Capability {
		t.Helper()
		resp, err := tokens.HTTP(ctx(t), JWTRequest(map[string]string{"stage": stage}, claims, []string{"openid", "profile"}))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v: %d %s %v", claims, resp.StatusCode, resp.Body, err)
		}
		var reply tokenReply
		json.Unmarshal([]byte(resp.Body), &reply)
		got, kid, err := ivstoken.VerifyParticipantToken(reply.Token, pub, reply.ExpiresAt.Add(-time.Minute))
		if err != nil || kid != keys[0].Arn || got.UserID != claims["sub"] {
			t.Fatalf("the token does not verify as the key's, for %s: %v (kid %s)", claims["sub"], err, kid)
		}
		return got.Capabilities
	}
	host := signed(map[string]string{"sub": "host-1", "cognito:groups": "[hosts]"})
	if !slices.Equal(host, []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe}) {
		t.Errorf("a host's token allows %v, want PUBLISH and SUBSCRIBE", host)
	}
	viewer := signed(map[string]string{"sub": "viewer-1", "cognito:groups": "[audience]"})
	if !slices.Equal(viewer, []ivstoken.Capability{ivstoken.CapabilitySubscribe}) {
		t.Errorf("a viewer's token allows %v, want SUBSCRIBE only", viewer)
	}
}
