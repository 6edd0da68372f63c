package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/signin"
	"github.com/ivscdk/ivscdk/webpage"
)

// chatPage hosts web/ (the chat page) on CloudFront, with the chat SDK
// built into it (webpage's IVSSDKs: npm, pinned by ivscdk's lockfile). Its
// config.json holds the token endpoint's URL, the hosted sign-in's URL, the
// app client's ID and the region (the chat messaging endpoint's), read when
// the app synthesizes. The content security policy allows the page's own
// origin, the stack's own sign-in domain, the region's API Gateway hosts
// (the endpoint's own host would make a cycle: its CORS names the page) and
// the region's IVS Chat messaging endpoint only.
func chatPage(stack awscdk.Stack, tokenURL, signInURL, clientID func() *string) *webpage.Page {
	region := *awscdk.Aws_REGION()
	return webpage.New(stack, "Page", &webpage.Props{
		Directory: "web",
		Config: map[string]any{"tokenUrl": tokenURL, "authDomain": signInURL, "clientId": clientID,
			"region": awscdk.Aws_REGION()},
		IVSSDKs: true,               // the IVS web SDKs, built into the page under sdk/
		Files:   signin.PageFiles(), // signin.js: the sign-in app.js uses
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com",
			webpage.Later(signInURL), "wss://edge.ivschat." + region + ".amazonaws.com"},
	})
}
