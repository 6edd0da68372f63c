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

// construct is the awscdk.Resource inside every ivscdk construct, embedded
// as its first field.
//
// Why not embed awscdk.Resource and register the construct itself with
// awscdk.NewResource_Override, as the CDK's Go examples do? Because the
// jsii runtime then checks, by reflection, every interface of every loaded
// CDK module against the construct's method set, on every construct
// created: with the modules ivscdk needs (IAM, CloudWatch, EventBridge, S3,
// custom resources) that scan cost more than the jsii round trips
// themselves (the benchmark went from 1.7x to 2.2x the raw L1). The runtime
// skips the scan for its own generated proxy types, whose names start with
// "jsiiProxy_", so the registered object is this small struct of that name.
//
// It must be the first field of the construct: the jsii runtime finds an
// object by its address, and a first field shares the address of the struct
// that holds it, so the construct can be passed as a scope wherever a
// constructs.Construct is wanted. Values the CDK hands back (e.g. from
// Node().FindChild) are this struct, not the ivscdk type.
type construct = jsiiProxy_ivscdkResource

// jsiiProxy_ivscdkResource is construct's type; its name is the point.
type jsiiProxy_ivscdkResource struct {
	awscdk.Resource
}

// newResource creates the jsii Resource behind an ivscdk construct (at
// r.construct) with the given id in scope, and records the construct's path
// for naming its children.
func newResource(r constructs.Construct, c *construct, scope constructs.Construct, id string, props *awscdk.ResourceProps) cdkname.Path {
	awscdk.NewResource_Override(c, scope, jsii.String(id), props)
	path := cdkname.Of(scope).Child(id)
	cdkname.Remember(r, path)
	return path
}

// newImported registers r, a struct embedding awscdk.Resource, as the
// construct that stands for an existing resource with the given ARN. A
// literal ARN that is not of the expected IVS resource type is reported as a
// validation error of the construct.
func newImported(r constructs.Construct, c *construct, scope constructs.Construct, id, arn, resourceType string) {
	err := ivsarn.Check(arn, "ivs", resourceType)
	props := &awscdk.ResourceProps{}
	if err == nil && !cdktoken.IsUnresolved(arn) {
		props.EnvironmentFromArn = jsii.String(arn)
	}
	newResource(r, c, scope, id, props)
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
