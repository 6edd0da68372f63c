package cdkname_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// TestMatchesCDK compares the Go computation with the CDK's own
// Names.uniqueResourceName for constructs in several places.
func TestMatchesCDK(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("TestStack"), nil)
	named := awscdk.NewStack(app, jsii.String("Id"), &awscdk.StackProps{StackName: jsii.String("Custom-Name")})
	stage := awscdk.NewStage(app, jsii.String("Prod"), nil)
	staged := awscdk.NewStack(stage, jsii.String("Video"), nil)
	nested := awscdk.NewNestedStack(stack, jsii.String("Nested"), nil)
	deep := constructs.NewConstruct(constructs.NewConstruct(stack, jsii.String("Level1")), jsii.String("Level_2.x"))
	long := constructs.NewConstruct(stack, jsii.String(strings.Repeat("VeryLongConstructName", 8)))
	dupes := constructs.NewConstruct(stack, jsii.String("Stack"))

	cases := []struct {
		scope constructs.Construct
		id    string
	}{
		{stack, "Channel"},
		{stack, "my-channel_1"},
		{named, "Channel"},
		{staged, "Channel"},
		{nested, "Channel"},
		{deep, "Channel"},
		{long, "Channel"},
		{dupes, "Channel"},
		{stack, "Default"},
		{stack, "Ünïcode Channel"},
	}
	for _, c := range cases {
		for _, max := range []int{128, 32} {
			child := constructs.NewConstruct(c.scope, jsii.String(c.id+"x"+string(rune('A'+max%26))))
			want := *awscdk.Names_UniqueResourceName(child, &awscdk.UniqueResourceNameOptions{
				MaxLength: jsii.Number(max), AllowedSpecialCharacters: jsii.String("-_"),
			})
			got := cdkname.Of(c.scope).Child(*child.Node().Id()).UniqueName(max, "-_")
			if got != want {
				t.Errorf("%s (max %d): got %q, CDK gives %q", *child.Node().Path(), max, got, want)
			}
			if cached := cdkname.Of(child).UniqueName(max, "-_"); cached != want {
				t.Errorf("%s looked up: got %q, want %q", *child.Node().Path(), cached, want)
			}
		}
	}
}

func TestUniqueResourceNameAlphaExample(t *testing.T) {
	// The name the TypeScript alpha gives a Channel in stack TestStack.
	if got := cdkname.UniqueResourceName([]string{"TestStack", "Channel"}, 128, "-_"); got != "TestStackChannel4A2C4B0C" {
		t.Errorf("got %q", got)
	}
}
