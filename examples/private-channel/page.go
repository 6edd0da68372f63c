package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/webpage"
)

// playerSDK is the origin of the Amazon IVS Player Web SDK's CDN, from
// which web/index.html loads a pinned version (1.56.1), as the IVS docs
// show.
const playerSDK = "https://player.live-video.net"

// viewerPage hosts web/ (the viewer page) on CloudFront. Its config.json
// holds the token endpoint's URL, the hosted sign-in's URL and the app
// client's ID, read when the app synthesizes. The content security policy
// allows the player SDK, the stack's own sign-in domain, the region's API
// Gateway hosts (the endpoint's own host would make a cycle: its CORS names
// the page) and IVS playback (*.live-video.net) only.
func viewerPage(stack awscdk.Stack, tokenURL, signInURL, clientID func() *string) *webpage.Page {
	region := *awscdk.Aws_REGION()
	return webpage.New(stack, "Page", &webpage.Props{
		Directory:     "web",
		Config:        map[string]any{"tokenUrl": tokenURL, "authDomain": signInURL, "clientId": clientID},
		ScriptSources: []string{playerSDK},
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com",
			webpage.Later(signInURL), "https://*.live-video.net"},
		MediaSources:  []string{"https://*.live-video.net"},
		WorkerSources: []string{playerSDK},
		WebAssembly:   true,
	})
}
