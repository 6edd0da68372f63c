package webpage_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/webpage"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestPageIsPrivateBehindCloudFront(t *testing.T) {
	env := cdktest.New(t)
	var signIn *string
	page := webpage.New(env.Stack, "Page", &webpage.Props{
		Directory:      "testdata/site",
		Config:         map[string]any{"tokenUrl": "https://abc123.execute-api.us-west-2.amazonaws.com/playback-token", "region": env.Stack.Region()},
		ScriptSources:  []string{"https://player.live-video.net"},
		ConnectSources: []string{"https://abc123.execute-api.us-west-2.amazonaws.com", webpage.Later(func() *string { return signIn })},
		MediaSources:   []string{"https://*.live-video.net"},
		WebAssembly:    true,
	})
	awscdk.NewCfnOutput(env.Stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url()})
	// A source defined after the page: the stack's region in a host name.
	signIn = awscdk.Fn_Join(jsii.String(""), jsii.Strings("https://signin.", *env.Stack.Region(), ".example.com"))
	awscdk.Aspects_Of(env.App).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))

	template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
	})
	template.ResourceCountIs(jsii.String("AWS::CloudFront::OriginAccessControl"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{
			"DefaultRootObject":    "index.html",
			"DefaultCacheBehavior": assertions.Match_ObjectLike(&map[string]any{"ViewerProtocolPolicy": "redirect-to-https"}),
		}),
	})
	// Only CloudFront, through origin access control, may read the bucket.
	template.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Action": "s3:GetObject", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
		})})},
	})
	b, _ := json.Marshal(got)
	raw := string(b)
	for _, want := range []string{
		`script-src 'self' https://player.live-video.net 'wasm-unsafe-eval'`,
		`connect-src 'self' https://abc123.execute-api.us-west-2.amazonaws.com https://signin.",{"Ref":"AWS::Region"},".example.com`,
		`media-src 'self' blob: https://*.live-video.net`,
		"frame-ancestors 'none'", "object-src 'none'",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("the content security policy lacks %s", want)
		}
	}
	// The files and config.json, whose deploy-time values (here the
	// region) are filled in by the deployment.
	template.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), map[string]any{
		"SourceObjectKeys": assertions.Match_AnyValue(),
		"SourceMarkers":    assertions.Match_ArrayWith(&[]any{map[string]any{}, assertions.Match_ObjectLike(&map[string]any{})}),
		"Prune":            true,
	})
	if !strings.Contains(raw, `"Ref":"AWS::Region"`) {
		t.Error("config.json's deploy-time value is not passed to the deployment")
	}
	annotations := assertions.Annotations_FromStack(env.Stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
		b, _ := json.Marshal(f)
		t.Errorf("unsuppressed cdk-nag finding: %s", b)
	}
}

func TestPageRefusesBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		props webpage.Props
		want  string
	}{
		"no folder":     {webpage.Props{Directory: "testdata/missing"}, `Directory "testdata/missing" is not a folder`},
		"no index":      {webpage.Props{Directory: "testdata"}, `Directory "testdata" has no index.html`},
		"source quoted": {webpage.Props{Directory: "testdata/site", ScriptSources: []string{"'unsafe-inline'"}}, `source "'unsafe-inline'" is invalid`},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props := c.props
			webpage.New(env.Stack, "Page", &props)
			var messages []string
			for _, m := range *env.Stack.Node().FindChild(jsii.String("Page")).Node().Validate() {
				messages = append(messages, *m)
			}
			if !strings.Contains(strings.Join(messages, "\n"), c.want) {
				t.Errorf("messages %q lack %q", messages, c.want)
			}
		})
	}
}
