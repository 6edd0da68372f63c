package cfnvalidate_test

import (
	"encoding/json"
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
	// The CDK writes the report as for its built-in plugin: a plugin with
	// findings would be listed here.
	data, _ := os.ReadFile(outdir + "/validation-report.json")
	var report struct{ PluginReports []any }
	json.Unmarshal(data, &report)
	fmt.Println("plugins with findings:", len(report.PluginReports))
	// Output: plugins with findings: 0
}
