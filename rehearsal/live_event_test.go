package rehearsal

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestLiveEvent deploys the live-event example's stack locally (every
// resource of it brought up as the rehearsal's CloudFormation does) and
// runs its functions that the page calls, exactly as built: the chat's
// moderator, the chat tokens of a signed-in viewer, and a host's cues
// reaching the live channel while a viewer's are refused.
func TestLiveEvent(t *testing.T) {
	d := deploy(t, "live-event", "IvsLiveEvent")
	t.Run("chat moderator", func(t *testing.T) { rehearseModerator(t, d, "ChatModerator", "Chat") })
	t.Run("chat tokens", func(t *testing.T) { rehearseChatTokens(t, d, "ChatTokens", "Chat", signedInUser, "alice-sub") })
	t.Run("cues", func(t *testing.T) {
		host := func(body any) events.APIGatewayV2HTTPRequest {
			return JWTRequest(body, map[string]string{"sub": "host-sub", "cognito:groups": "[hosts]", "token_use": "id"}, nil)
		}
		rehearseTimedMetadata(t, d, host, signedInUser)
	})
}
