package l2

import (
	"fmt"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MaxStackResources is how many resources CloudFormation accepts in one
// stack's template (AWS CloudFormation User Guide, "Understand
// CloudFormation quotas": resources declared in a template, 500).
const MaxStackResources = 500

var limitedStacks sync.Map // awscdk.Stack → true, once it has its check

// checkStackLimits gives stack, once, the validation that refuses more
// resources than CloudFormation takes, at synthesis rather than at deploy
// time.
func checkStackLimits(stack awscdk.Stack) {
	if stack == nil {
		return
	}
	if _, seen := limitedStacks.LoadOrStore(stack, true); !seen {
		stack.Node().AddValidation(&stackResourceLimit{stack: stack})
	}
}

// stackResourceLimit counts the CloudFormation resources of its stack (not
// of the stacks nested in it, which have templates of their own).
type stackResourceLimit struct {
	stack awscdk.Stack
}

// Validate implements constructs.IValidation.
func (v *stackResourceLimit) Validate() *[]*string {
	path := *v.stack.Node().Path()
	n := 0
	for _, c := range *v.stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if *awscdk.CfnResource_IsCfnResource(c) && *awscdk.Stack_Of(c).Node().Path() == path {
			n++
		}
	}
	if n <= MaxStackResources {
		return &[]*string{}
	}
	return &[]*string{jsii.String(fmt.Sprintf("stack %s defines %d resources; CloudFormation takes at most %d in one stack "+
		"(CloudFormation quotas): split it, putting groups of channels, stages or rooms in stacks of their own (awscdk.NewStack, "+
		"or awscdk.NewNestedStack beside their users) and passing them between stacks as references", path, n, MaxStackResources))}
}
