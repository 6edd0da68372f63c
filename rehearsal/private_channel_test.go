package rehearsal

import (
	"crypto/ecdsa"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

var privateChannel = keyedEndpoint{
	example: "private-channel", stack: "IvsPrivateChannel",
	keyPrefix: "PlaybackKeys", configVar: "IVSCDK_PLAYBACK_TOKEN_CONFIG",
	ivsKeys: (*awsfake.Server).KeyPairs,
	body: func(d *deployment) any {
		return map[string]string{"channel": d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVS::Channel", "Channel"), "Arn"}})}
	},
	verify: func(token string, pub *ecdsa.PublicKey, _ string, at time.Time) error {
		_, err := ivstoken.VerifyPlaybackToken(token, pub, at)
		return err
	},
	stepOperations: map[string]string{
		"createSecret": "PutSecretValue",
		"setSecret":    "ImportPlaybackKeyPair",
		"testSecret":   "ListPlaybackKeyPairs",
		"finishSecret": "UpdateSecretVersionStage",
	},
}

// TestPrivateChannel runs the private-channel example's key function and
// token function through a managed key's whole life.
func TestPrivateChannel(t *testing.T) {
	rehearseManagedKey(t, privateChannel)
}

// TestPrivateChannelForABackend: with -c cognito=false the endpoint serves
// IAM callers (a backend) only.
func TestPrivateChannelForABackend(t *testing.T) {
	rehearseBackend(t, privateChannel)
}

// TestPrivateChannelDeadline: the key function answers CloudFormation
// before its timeout when IVS and Secrets Manager hang.
func TestPrivateChannelDeadline(t *testing.T) {
	rehearseDeadline(t, "private-channel", "IvsPrivateChannel", "PlaybackKeys", "Custom::IvsManagedPlaybackKeyPair")
}
