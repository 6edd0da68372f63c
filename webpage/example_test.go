package webpage_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/webpage"
)

// A page on CloudFront whose config.json carries a deploy-time value.
func ExampleNew() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Site"), nil)

	page := webpage.New(stack, "Page", &webpage.Props{
		Directory: "testdata/site",
		Config:    map[string]any{"region": stack.Region()},
	})
	awscdk.NewCfnOutput(stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url()})

	template := assertions.Template_FromStack(stack, nil)
	for _, t := range []string{"AWS::S3::Bucket", "AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl",
		"AWS::CloudFront::ResponseHeadersPolicy", "Custom::CDKBucketDeployment"} {
		fmt.Println(t, len(*template.FindResources(jsii.String(t), nil)))
	}
	// Output:
	// AWS::S3::Bucket 1
	// AWS::CloudFront::Distribution 1
	// AWS::CloudFront::OriginAccessControl 1
	// AWS::CloudFront::ResponseHeadersPolicy 1
	// Custom::CDKBucketDeployment 1
}

// A viewer page for a private channel: the token endpoint is defined after
// the page (its CORS and the tokens' allowed origin name the page), so the
// page's config.json reads the endpoint's URL when the app synthesizes.
// The IVS SDKs and the page's own scripts are built from npm at synthesis
// (testdata/scripts stands in for a package.json, lockfile and build of
// your own), and its index.html names their integrity.
func ExampleNew_viewerPage() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Viewers"), nil)
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})
	keys := ivs.NewManagedPlaybackKeyPair(stack, "PlaybackKeys", nil)
	region := *awscdk.Aws_REGION()

	var tokens *ivs.PlaybackTokenEndpoint // defined after the page: its CORS names the page
	page := webpage.New(stack, "Page", &webpage.Props{
		Directory: "testdata/viewer",  // index.html and the rest, as they are
		IVSSDKs:   true,               // the IVS player, chat and broadcast SDKs, built from ivscdk's lockfile: served under /sdk/
		Scripts:   "testdata/scripts", // your own npm packages: npm ci, then npm run build: served under /scripts/
		Config: map[string]any{ // written as config.json at deploy time
			"tokenUrl": func() *string { return tokens.Url() }, // read at synthesis, once the endpoint exists
		},
		ConnectSources: []string{"https://*.execute-api." + region + ".amazonaws.com", "https://*.live-video.net"},
		MediaSources:   []string{"https://*.live-video.net"},
		WebAssembly:    true, // the IVS player compiles WebAssembly
	})
	tokens = ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels:       []ivs.IChannel{channel},
		KeyPair:        keys,
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_EXAMPLE", "exampleclientid"),
		ViewerIDClaim:  "sub",
		AllowedOrigins: []string{*page.Origin()}, // CORS, and the tokens play on the page only
	})
	awscdk.NewCfnOutput(stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url()})

	template := assertions.Template_FromStack(stack, nil)
	apis := template.FindResources(jsii.String("AWS::ApiGatewayV2::Api"), nil)
	for _, api := range *apis {
		cors := (*api)["Properties"].(map[string]any)["CorsConfiguration"].(map[string]any)
		fmt.Println("CORS:", cors["AllowOrigins"])
	}
	// Output:
	// CORS: [map[Fn::Join:[ [https:// map[Fn::GetAtt:[PageDistributionFBB4E0B8 DomainName]]]]]]
}
