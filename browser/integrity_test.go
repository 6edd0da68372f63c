package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/webpage"
)

// notUsed stands in for a token handler the test never reaches.
func notUsed(string) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 500}, nil
	}
}

// Each page runs its SDK only if the bytes served are the bytes its
// integrity attribute names: with one byte of the built script changed,
// the browser refuses it and the SDK's global never appears; with the
// script as built, it does.
func TestAPageRunsOnlyTheScriptItNames(t *testing.T) {
	for _, c := range []struct{ example, script, global string }{
		{"private-channel", "/sdk/amazon-ivs-player.js", "IVSPlayer"},
		{"chat-room", "/sdk/amazon-ivs-chat-messaging.js", "IVSChatMessaging"},
		{"realtime-stage", "/sdk/amazon-ivs-web-broadcast.js", "IVSBroadcastClient"},
	} {
		for _, tampered := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/tampered=%v", c.example, tampered), func(t *testing.T) {
				r := newPageRig(t, c.example, "/token", notUsed)
				r.headers = webpage.Headers(&webpage.Props{IVSSDKs: true, ConnectSources: []string{r.api.URL, r.oidc.URL}})
				if tampered {
					r.tamper = c.script
				}
				r.open(t, false)
				var present bool
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
					var err error
					if present, err = chromedp.Run(r.ctx, chromedp.Evaluate[bool](`typeof window.`+c.global+` !== "undefined"`)); err == nil && (present || tampered) {
						break
					}
				}
				r.mu.Lock()
				refused := strings.Contains(strings.Join(r.problems, "\n"), "integrity")
				r.mu.Unlock()
				if tampered && (present || !refused) {
					t.Errorf("a changed %s: window.%s present %v, integrity failure reported %v; want it refused", c.script, c.global, present, refused)
				}
				if !tampered && (!present || refused) {
					t.Errorf("%s as built: window.%s present %v, integrity failure reported %v; want it run", c.script, c.global, present, refused)
				}
			})
		}
	}
}

// The Permissions-Policy the deploy sends: only the stage page, which
// publishes, may use the camera and microphone, and no page may ask for
// the location.
func TestOnlyTheJoinPageMayUseTheCamera(t *testing.T) {
	for example, devices := range map[string][]string{"private-channel": nil, "chat-room": nil, "realtime-stage": {"camera", "microphone"}} {
		t.Run(example, func(t *testing.T) {
			r := newPageRig(t, example, "/token", notUsed)
			r.headers = webpage.Headers(&webpage.Props{IVSSDKs: true, Devices: devices})
			r.open(t, false)
			var allowed []bool
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
				var err error
				if allowed, err = chromedp.Run(r.ctx, chromedp.Evaluate[[]bool](
					`["camera", "microphone", "geolocation"].map(f => document.featurePolicy.allowsFeature(f))`)); err == nil {
					break
				}
			}
			want := []bool{devices != nil, devices != nil, false}
			if len(allowed) != 3 || allowed[0] != want[0] || allowed[1] != want[1] || allowed[2] != want[2] {
				t.Errorf("%s: camera, microphone, geolocation allowed %v, want %v", example, allowed, want)
			}
		})
	}
}
