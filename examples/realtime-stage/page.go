package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/signin"
	"github.com/ivscdk/ivscdk/webpage"
)

// stagePage hosts web/ (the join page) on CloudFront, with the broadcast
// and player SDKs built into it (webpage's IVSSDKs: npm, pinned by ivscdk's lockfile). Its
// config.json holds the token endpoint's URL, the shows' (sessions) URL, the hosted sign-in's URL and
// the app client's ID, read when the app synthesizes, and where hosts find
// the stage's recordings: /recordings on the page's own distribution (the
// RecordingLibrary's behaviour), for the stage's ARN. The content security policy
// allows the page's own origin, the stack's own sign-in domain, the
// region's API Gateway hosts (the endpoint's own host would make a cycle:
// its CORS names the page) and IVS real-time (*.live-video.net, over HTTPS
// and WebSocket) only.
func stagePage(stack awscdk.Stack, tokenURL, sessionsURL, signInURL, clientID, stageArn func() *string) *webpage.Page {
	region := *awscdk.Aws_REGION()
	return webpage.New(stack, "Page", &webpage.Props{
		Directory: "web",
		Config: map[string]any{"tokenUrl": tokenURL, "sessionsUrl": sessionsURL, "authDomain": signInURL, "clientId": clientID,
			"recordingsUrl": "/recordings", "stageArn": stageArn},
		IVSSDKs: true,               // the IVS web SDKs, built into the page under sdk/
		Files:   signin.PageFiles(), // signin.js: the sign-in app.js uses
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com",
			webpage.Later(signInURL), "https://*.live-video.net", "wss://*.live-video.net"},
		MediaSources: []string{"https://*.live-video.net"},
		Devices:      []string{"camera", "microphone"},
		WebAssembly:  true,
	})
}
