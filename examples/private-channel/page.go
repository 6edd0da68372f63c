package main

import (
	"maps"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/signin"
	"github.com/ivscdk/ivscdk/webpage"
)

// viewerPage hosts web/ (the viewer page) on CloudFront, with the player
// SDK built into it (webpage's IVSSDKs: npm, pinned by ivscdk's lockfile). Its
// config.json holds the token endpoint's URL, the hosted sign-in's URL and
// the app client's ID, read when the app synthesizes, and where the past
// broadcasts are listed: /recordings on the page's own distribution (the
// RecordingLibrary's behaviour), for the channel's ARN. The content security
// policy allows the page's own origin, the stack's own sign-in domain, the
// region's API Gateway hosts (the endpoint's own host would make a cycle:
// its CORS names the page) and IVS playback (*.live-video.net) only. Hosts
// put cues on the timed metadata endpoint (metadataUrl).
func viewerPage(stack awscdk.Stack, tokenURL, signInURL, clientID, channelArn, metadataURL func() *string) *webpage.Page {
	region := *awscdk.Aws_REGION()
	// Beside the page's own files: signin.js (the sign-in) and
	// ivscdk-watch.js (the player, cues and past broadcasts) that app.js
	// uses.
	files := signin.PageFiles()
	maps.Copy(files, webpage.WatchFiles())
	return webpage.New(stack, "Page", &webpage.Props{
		Directory: "web",
		Config: map[string]any{"tokenUrl": tokenURL, "authDomain": signInURL, "clientId": clientID,
			"recordingsUrl": "/recordings", "channelArn": channelArn, "metadataUrl": metadataURL},
		IVSSDKs: true, // the IVS web SDKs, built into the page under sdk/
		Files:   files,
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com",
			webpage.Later(signInURL), "https://*.live-video.net"},
		MediaSources: []string{"https://*.live-video.net"},
		WebAssembly:  true,
	})
}
