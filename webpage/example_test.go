package webpage_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/webpage"
)

// A page on CloudFront whose config.json carries a deploy-time value, and
// whose content security policy allows one SDK's CDN.
func ExampleNew() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Site"), nil)

	page := webpage.New(stack, "Page", &webpage.Props{
		Directory:     "testdata/site",
		Config:        map[string]any{"region": stack.Region()},
		ScriptSources: []string{"https://player.live-video.net"},
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
