package l2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// TestStackResourceLimit: 500 resources synthesize; 501 fail synthesis
// naming the stack, the count, the limit and the fix; resources of a
// nested stack count in its own template.
func TestStackResourceLimit(t *testing.T) {
	fill := func(scope awscdk.Stack, n int) {
		for i := range n {
			awsivs.NewCfnChannel(scope, jsii.String(fmt.Sprintf("Raw%d", i)), nil)
		}
	}
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", nil) // an ivscdk construct gives the stack its check
	fill(env.Stack, l2.MaxStackResources-1)
	env.Synth()

	over := cdktest.New(t)
	ivs.NewChannel(over.Stack, "Channel", nil)
	fill(over.Stack, l2.MaxStackResources)
	msg := over.SynthError()
	for _, want := range []string{"stack TestStack defines 501 resources", "at most 500", "split it"} {
		if !strings.Contains(msg, want) {
			t.Errorf("synthesis error %q does not say %q", msg, want)
		}
	}

	nested := cdktest.New(t)
	ivs.NewChannel(nested.Stack, "Channel", nil)
	inner := awscdk.NewNestedStack(nested.Stack, jsii.String("Inner"), nil)
	fill(inner, l2.MaxStackResources-10)
	fill(nested.Stack, 100)
	nested.Synth() // 102 in the parent (the nested stack's own resource included), 490 in the nested one
}
