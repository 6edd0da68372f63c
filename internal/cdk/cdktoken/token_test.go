package cdktoken_test

import (
	"math"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// TestAgreesWithCDK checks the Go recognition against awscdk.Token_IsUnresolved
// on real tokens and on plain strings.
func TestAgreesWithCDK(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("S"), nil)
	param := awscdk.NewCfnParameter(stack, jsii.String("P"), nil)
	listParam := awscdk.NewCfnParameter(stack, jsii.String("L"), &awscdk.CfnParameterProps{Type: jsii.String("CommaDelimitedList")})
	numParam := awscdk.NewCfnParameter(stack, jsii.String("N"), &awscdk.CfnParameterProps{Type: jsii.String("Number")})
	values := []string{
		"", "plain", "arn:aws:ivs:us-west-2:123456789012:channel/abc", "${Token[", "Token[x]", "${Token[TOKEN.1",
		*awscdk.Aws_REGION(),
		*param.ValueAsString(),
		"prefix-" + *awscdk.Aws_ACCOUNT_ID() + "-suffix",
		*awscdk.Fn_ImportValue(jsii.String("X")),
		*awscdk.Lazy_String(&producer{}, nil),
		*awscdk.Token_AsString(listParam.ValueAsList(), nil),
	}
	for _, v := range values {
		want := *awscdk.Token_IsUnresolved(v)
		if got := cdktoken.IsUnresolved(v); got != want {
			t.Errorf("IsUnresolved(%q) = %v, CDK says %v", v, got, want)
		}
	}
	list := *listParam.ValueAsList()
	var strs []string
	for _, s := range list {
		strs = append(strs, *s)
	}
	if !cdktoken.IsUnresolvedList(strs) {
		t.Errorf("IsUnresolvedList(%q) = false", strs)
	}
	if cdktoken.IsUnresolvedList([]string{"a"}) {
		t.Error("IsUnresolvedList of a plain list = true")
	}
	for _, f := range []float64{*numParam.ValueAsNumber(), *awscdk.Token_AsNumber(awscdk.Aws_REGION())} {
		if !cdktoken.IsUnresolvedNumber(f) {
			t.Errorf("IsUnresolvedNumber(%v) = false", f)
		}
	}
	for _, f := range []float64{0, 1, -1, 300, math.MaxFloat64, math.Inf(1)} {
		if cdktoken.IsUnresolvedNumber(f) {
			t.Errorf("IsUnresolvedNumber(%v) = true", f)
		}
	}
}

type producer struct{}

func (p *producer) Produce() *string { return jsii.String("x") }
