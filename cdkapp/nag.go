package cdkapp

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// SuppressNag records why a cdk-nag rule does not apply to a resource, in
// the "cdk_nag" metadata cdk-nag reads, so that an app needs no cdk-nag
// dependency to state its reasons. resource is a CfnResource or a
// construct whose default child is one (a bucket, a function); the reasons
// already recorded on it are kept, and a rule already suppressed there is
// left as it is. It panics if resource has no CloudFormation resource,
// which is a mistake in the app's code, not in its input.
func SuppressNag(resource constructs.IConstruct, rule, reason string) {
	cfn, ok := resource.(awscdk.CfnResource)
	if !ok {
		cfn = resource.Node().DefaultChild().(awscdk.CfnResource)
	}
	rules := []any{}
	if existing, ok := cfn.GetMetadata(jsii.String("cdk_nag")).(map[string]any); ok {
		if r, ok := existing["rules_to_suppress"].([]any); ok {
			rules = r
		}
	}
	for _, r := range rules {
		if m, ok := r.(map[string]any); ok && m["id"] == rule {
			return
		}
	}
	rules = append(rules, map[string]any{"id": rule, "reason": reason})
	cfn.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": rules})
}
