package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/webpage"
)

// broadcastSDK is the origin of the Amazon IVS Web Broadcast SDK's CDN,
// from which web/index.html loads a pinned version (1.41.0), as the IVS
// docs show.
const broadcastSDK = "https://web-broadcast.live-video.net"

// stagePage hosts web/ (the join page) on CloudFront. Its config.json
// holds the token endpoint's URL, the hosted sign-in's URL and the app
// client's ID, read when the app synthesizes. The content security policy
// allows the broadcast SDK, the stack's own sign-in domain, the region's
// API Gateway hosts (the endpoint's own host would make a cycle: its CORS
// names the page) and IVS real-time (*.live-video.net, over HTTPS and
// WebSocket) only.
func stagePage(stack awscdk.Stack, tokenURL, signInURL, clientID func() *string) *webpage.Page {
	region := *awscdk.Aws_REGION()
	return webpage.New(stack, "Page", &webpage.Props{
		Directory:     "web",
		Config:        map[string]any{"tokenUrl": tokenURL, "authDomain": signInURL, "clientId": clientID},
		ScriptSources: []string{broadcastSDK},
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com",
			webpage.Later(signInURL), "https://*.live-video.net", "wss://*.live-video.net"},
		MediaSources:  []string{"https://*.live-video.net"},
		WorkerSources: []string{broadcastSDK},
		WebAssembly:   true,
	})
}
