package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdktoken"
	"github.com/ivscdk/ivscdk/internal/check"
	"github.com/ivscdk/ivscdk/internal/ivsarn"
)

// optional returns nil for the empty string, so that unset properties are
// left out of the template.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

// cfnTags turns a tag map into CloudFormation tags, sorted by key so that
// templates are stable. Tags given this way merge with tags applied by
// awscdk.Tags_Of, without the per-tag aspect that costs jsii round trips.
func cfnTags(tags map[string]string) *[]*awscdk.CfnTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]*awscdk.CfnTag, 0, len(tags))
	for _, k := range check.SortedKeys(tags) {
		out = append(out, &awscdk.CfnTag{Key: jsii.String(k), Value: jsii.String(tags[k])})
	}
	return &out
}

// newResource registers r, a struct embedding awscdk.Resource, as the
// construct id in scope, and records its path for naming its children.
func newResource(r awscdk.Resource, scope constructs.Construct, id string, props *awscdk.ResourceProps) cdkname.Path {
	awscdk.NewResource_Override(r, scope, jsii.String(id), props)
	path := cdkname.Of(scope).Child(id)
	cdkname.Remember(r, path)
	return path
}

// newImported registers r, a struct embedding awscdk.Resource, as the
// construct that stands for an existing resource with the given ARN. A
// literal ARN that is not of the expected IVS resource type is reported as a
// validation error of the construct.
func newImported(r awscdk.Resource, scope constructs.Construct, id, arn, resourceType string) {
	err := ivsarn.Check(arn, "ivs", resourceType)
	props := &awscdk.ResourceProps{}
	if err == nil && !cdktoken.IsUnresolved(arn) {
		props.EnvironmentFromArn = jsii.String(arn)
	}
	newResource(r, scope, id, props)
	if err != nil {
		var problems check.Problems
		problems.Addf("cannot import %s: ARN %v", resourceType, err)
		problems.Report(r)
	}
}

// arnResourceID returns the part of an IVS ARN after "type/": computed in
// Go for literal ARNs, with Fn::Select/Fn::Split for tokens.
func arnResourceID(arn *string) *string {
	if arn == nil {
		return nil
	}
	if !cdktoken.IsUnresolved(*arn) {
		if a, err := ivsarn.Parse(*arn); err == nil {
			return jsii.String(a.ResourceID)
		}
	}
	return awscdk.Fn_Select(jsii.Number(1), awscdk.Fn_Split(jsii.String("/"), arn, nil))
}
