package cdkapp_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
)

// SuppressNag writes cdk-nag's metadata on the construct's CloudFormation
// resource, keeps the reasons already there and does not repeat a rule.
func TestSuppressNag(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Nag"), nil)
	bucket := awss3.NewBucket(stack, jsii.String("Logs"), nil)
	cdkapp.SuppressNag(bucket, "AwsSolutions-S1", "the logs' own bucket")
	cdkapp.SuppressNag(bucket.Node().DefaultChild(), "AwsSolutions-S10", "TLS is enforced elsewhere")
	cdkapp.SuppressNag(bucket, "AwsSolutions-S1", "a second reason")
	template := assertions.Template_FromStack(stack, nil).ToJSON()
	b, _ := json.Marshal((*template)["Resources"])
	var resources map[string]struct{ Metadata map[string]any }
	json.Unmarshal(b, &resources)
	for _, r := range resources {
		got, _ := json.Marshal(r.Metadata["cdk_nag"])
		want := `{"rules_to_suppress":[{"id":"AwsSolutions-S1","reason":"the logs' own bucket"},{"id":"AwsSolutions-S10","reason":"TLS is enforced elsewhere"}]}`
		if string(got) != want {
			t.Errorf("cdk_nag metadata %s, want %s", got, want)
		}
	}
}
