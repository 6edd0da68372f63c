package cfnvalidate_test

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp/cfnvalidate"
)

func ExampleNewApp() {
	outdir, _ := os.MkdirTemp("", "cdk.out")
	defer os.RemoveAll(outdir)
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(outdir),
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := awscdk.NewStack(app, jsii.String("MyStack"), nil)
	awss3.NewBucket(stack, jsii.String("Bucket"), nil)
	template := assertions.Template_FromStack(stack, nil) // synthesized and validated
	template.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(1))
	// The CDK writes the report as for its built-in plugin.
	findings, err := cfnvalidate.Findings(outdir)
	fmt.Println("findings:", len(findings), err)
	// Output: findings: 0 <nil>
}

func ExampleFindings() {
	outdir, _ := os.MkdirTemp("", "cdk.out")
	defer os.RemoveAll(outdir)
	app := cfnvalidate.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := awscdk.NewStack(app, jsii.String("MyStack"), nil)
	bucket := awss3.NewBucket(stack, jsii.String("Bucket"), nil)
	bucket.Node().DefaultChild().(awscdk.CfnResource).AddPropertyOverride(jsii.String("NotAProperty"), "x")
	app.Synth(nil) // not strict: the engine's errors are warnings, and synthesis goes on
	findings, err := cfnvalidate.Findings(outdir)
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	// Output: CloudFormation Validate warning F3002: NotAProperty: Additional properties are not allowed ('NotAProperty' was unexpected) (at MyStack/Bucket/Resource)
}
