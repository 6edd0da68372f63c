package main

import (
	"maps"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/signin"
	"github.com/ivscdk/ivscdk/webpage"
)

// pageSettings are the values the page's config.json holds, each read
// when the app synthesizes (the endpoints are defined after the page:
// their CORS names it).
type pageSettings struct {
	playbackTokenURL, chatTokenURL, metadataURL, sessionsURL func() *string
	signInURL, clientID, channelArn, ingestServer            func() *string
}

// eventPage hosts web/ (the event's page: video, chat, cues, past
// broadcasts and the host's controls) on CloudFront, with the IVS player,
// chat and broadcast SDKs built into it (webpage's IVSSDKs: npm, pinned
// by ivscdk's lockfile), and signin.js and ivscdk-watch.js beside it. Past broadcasts are
// listed at /recordings on the page's own distribution (the
// RecordingLibrary's behaviour). The content security policy allows the
// page's own origin, the stack's own sign-in domain, the region's API
// Gateway hosts (the endpoints' own hosts would make a cycle: their CORS
// names the page), IVS playback and real-time (*.live-video.net) and the
// region's IVS Chat messaging endpoint only; the camera and microphone
// for a host going live, from the page's own origin only.
func eventPage(stack awscdk.Stack, s pageSettings) *webpage.Page {
	region := *awscdk.Aws_REGION()
	// Beside the page's own files: signin.js (the sign-in) and
	// ivscdk-watch.js (the player, cues and past broadcasts).
	files := signin.PageFiles()
	maps.Copy(files, webpage.WatchFiles())
	return webpage.New(stack, "Page", &webpage.Props{
		Directory: "web",
		Config: map[string]any{
			"tokenUrl": s.playbackTokenURL, "chatTokenUrl": s.chatTokenURL, "metadataUrl": s.metadataURL,
			"sessionsUrl": s.sessionsURL, "authDomain": s.signInURL, "clientId": s.clientID,
			"recordingsUrl": "/recordings", "channelArn": s.channelArn, "ingestServer": s.ingestServer,
			"region": awscdk.Aws_REGION(),
		},
		IVSSDKs: true,
		Files:   files,
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com", webpage.Later(s.signInURL),
			"https://*.live-video.net", "wss://*.live-video.net", "wss://edge.ivschat." + region + ".amazonaws.com"},
		MediaSources: []string{"https://*.live-video.net"},
		Devices:      []string{"camera", "microphone"},
		WebAssembly:  true,
	})
}
