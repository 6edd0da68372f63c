package rehearsal

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestTimedMetadata runs the private-channel example's timed metadata
// function, exactly as built, as deployed by default (the pool's hosts put
// cues) and with -c cognito=false (a backend does), and checks what
// reaches IVS. The limits' timing (5 a second) is the handler's unit
// tests', on a pinned clock; here the function runs on its own.
func TestTimedMetadata(t *testing.T) {
	t.Run("hosts", func(t *testing.T) {
		d := deploy(t, "private-channel", "IvsPrivateChannel")
		host := func(body any) events.APIGatewayV2HTTPRequest {
			return JWTRequest(body, map[string]string{"sub": "host-sub", "cognito:groups": "[hosts]", "token_use": "id"}, nil)
		}
		viewer := func(body any) events.APIGatewayV2HTTPRequest {
			return JWTRequest(body, map[string]string{"sub": "viewer-sub", "token_use": "id"}, nil)
		}
		rehearseTimedMetadata(t, d, host, viewer)
	})
	t.Run("backend", func(t *testing.T) {
		d := deployFrom(t, synthesize(t, "private-channel", "-iam", iamContext), "IvsPrivateChannel")
		rehearseTimedMetadata(t, d, backend, signedInUser)
	})
}

// rehearseTimedMetadata: putter's cues reach the live channel's stream;
// other's are refused, as are a cue over 1 KB and one for an offline
// channel, none of them reaching IVS.
func rehearseTimedMetadata(t *testing.T, d *deployment, putter, other func(body any) events.APIGatewayV2HTTPRequest) {
	fn := d.start(d.spec("CuesFunction"))
	channel := d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVS::Channel", "Channel"), "Arn"}})
	d.aws.SetLive(channel, true)
	call := func(req events.APIGatewayV2HTTPRequest) (int, string) {
		t.Helper()
		resp, err := fn.HTTP(ctx(t), req)
		if err != nil {
			t.Fatalf("the function failed: %v\n%s", err, fn.Log())
		}
		var body struct{ Error struct{ Code string } }
		json.Unmarshal([]byte(resp.Body), &body)
		return resp.StatusCode, body.Error.Code
	}
	cue := `{"text":"Quiz time"}`
	if status, code := call(putter(map[string]any{"metadata": cue})); status != http.StatusOK {
		t.Fatalf("a cue: %d %s", status, code)
	}
	if got := d.aws.Metadata(channel); len(got) != 1 || got[0].Metadata != cue {
		t.Errorf("the stream carries %+v, want the cue", got)
	}
	if signed := d.aws.SignedFor("PutMetadata"); signed != "ivs" {
		t.Errorf("PutMetadata signed for %q, want ivs", signed)
	}
	for _, c := range []struct {
		what   string
		req    events.APIGatewayV2HTTPRequest
		status int
		code   string
	}{
		{"another caller", other(map[string]any{"metadata": cue}), http.StatusForbidden, ""},
		{"over 1 KB", putter(map[string]any{"metadata": strings.Repeat("x", 1025)}), http.StatusRequestEntityTooLarge, "MetadataTooLarge"},
		{"another channel", putter(map[string]any{"channel": strings.Replace(channel, "channel/", "channel/other", 1), "metadata": cue}), http.StatusNotFound, "ChannelNotServed"},
	} {
		if status, code := call(c.req); status != c.status || (c.code != "" && code != c.code) {
			t.Errorf("%s: %d %s, want %d %s", c.what, status, code, c.status, c.code)
		}
	}
	if n := d.aws.Calls("PutMetadata"); n != 1 {
		t.Errorf("%d PutMetadata calls, want 1: refused requests must not reach IVS", n)
	}
	d.aws.SetLive(channel, false)
	if status, code := call(putter(map[string]any{"metadata": cue})); status != http.StatusConflict || code != "ChannelNotLive" {
		t.Errorf("an offline channel: %d %s, want 409 ChannelNotLive", status, code)
	}
}
