// Package l2 holds what every ivscdk L2 construct is made of, in the ivs
// and ivschat packages alike: the jsii object behind a construct, imports by
// ARN, and the conversions of plain Go property values to CloudFormation's.
package l2

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/ivsarn"
)

// Optional returns nil for the empty string, so that unset properties are
// left out of the template.
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

// CfnTags turns a tag map into CloudFormation tags, sorted by key so that
// templates are stable. Tags given this way merge with tags applied by
// awscdk.Tags_Of, without the per-tag aspect that costs jsii round trips.
func CfnTags(tags map[string]string) *[]*awscdk.CfnTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]*awscdk.CfnTag, 0, len(tags))
	for _, k := range check.SortedKeys(tags) {
		out = append(out, &awscdk.CfnTag{Key: jsii.String(k), Value: jsii.String(tags[k])})
	}
	return &out
}

// Construct is the awscdk.Resource inside every ivscdk construct, embedded
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
// Node().FindChild) are this struct, not the ivscdk type. See decision 16
// in docs/decisions.md.
type Construct = jsiiProxy_ivscdkResource

// jsiiProxy_ivscdkResource is Construct's type; its name is the point.
type jsiiProxy_ivscdkResource struct {
	awscdk.Resource
}

// NewResource creates the jsii Resource behind an ivscdk construct r (at
// its embedded Construct c) with the given id in scope, and records r's path
// for naming its children.
func NewResource(r constructs.Construct, c *Construct, scope constructs.Construct, id string, props *awscdk.ResourceProps) cdkname.Path {
	cdkname.CheckScope(scope)
	awscdk.NewResource_Override(c, scope, jsii.String(id), props)
	owners.Store(c, r)
	path := cdkname.Of(scope).Child(id)
	cdkname.Remember(r, path)
	return path
}

// owners maps each registered jsii object to the ivscdk construct it is
// the first field of.
var owners sync.Map // map[*Construct]constructs.Construct

// Owner returns the ivscdk construct behind c, when c is the jsii object of
// one (what Node().FindChild, Node().Children and aspects hand back), or
// c itself otherwise.
func Owner(c constructs.IConstruct) any {
	if inner, ok := c.(*Construct); ok {
		if owner, ok := owners.Load(inner); ok {
			return owner
		}
	}
	return c
}

// NewImported registers r as the construct that stands for an existing
// resource with the given ARN. A literal ARN that is not of the expected
// service ("ivs", "ivschat") and resource type is reported as a validation
// error of the construct.
func NewImported(r constructs.Construct, c *Construct, scope constructs.Construct, id, arn, service, resourceType string) {
	err := check.ARN(arn, service, resourceType)
	props := &awscdk.ResourceProps{}
	if err == nil && !cdktoken.IsUnresolved(arn) {
		props.EnvironmentFromArn = jsii.String(arn)
	}
	NewResource(r, c, scope, id, props)
	if err != nil {
		var problems check.Problems
		problems.Addf("cannot import %s: ARN %v", resourceType, err)
		problems.Report(r)
	}
}

// ARNResourceID returns the part of an IVS ARN after "type/": computed in
// Go for literal ARNs, with Fn::Select/Fn::Split for tokens.
func ARNResourceID(arn *string) *string {
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

// SameEnvironmentARNs is the ARN pattern of every IVS resource of
// resourceType ("composition", "encoder-configuration") in the partition,
// account and region of arn: computed in Go for a literal ARN, with
// Fn::Select/Fn::Split for a token, as ARNResourceID does.
func SameEnvironmentARNs(arn *string, resourceType string) *string {
	if !cdktoken.IsUnresolved(*arn) {
		if a, err := ivsarn.Parse(*arn); err == nil {
			return jsii.String("arn:" + a.Partition + ":ivs:" + a.Region + ":" + a.Account + ":" + resourceType + "/*")
		}
	}
	part := func(i float64) *string {
		return awscdk.Fn_Select(jsii.Number(i), awscdk.Fn_Split(jsii.String(":"), arn, nil))
	}
	return awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("arn:"), part(1), jsii.String(":ivs:"), part(3), jsii.String(":"), part(4),
		jsii.String(":" + resourceType + "/*"),
	})
}

// WholeSeconds converts d to the seconds CloudFormation takes, checking the
// range; zero means "not set".
func WholeSeconds(problems *check.Problems, prop string, d time.Duration, min, max int) *float64 {
	if d == 0 {
		return nil
	}
	if d%time.Second != 0 || d < time.Duration(min)*time.Second || d > time.Duration(max)*time.Second {
		hint := ""
		if d > 0 && d < time.Second {
			// RecordingReconnectWindow: 30 is 30 nanoseconds in Go.
			hint = fmt.Sprintf(" (a bare number is nanoseconds in Go: write %d * time.Second)", int64(d))
		}
		problems.Addf("%s %s is invalid: use whole seconds from %d to %d%s", prop, d, min, max, hint)
	}
	return jsii.Number(d.Seconds())
}

// IntInRange returns v for CloudFormation, checking the range; 0 means
// "not set".
func IntInRange(problems *check.Problems, prop string, v, min, max int) *float64 {
	if v == 0 {
		return nil
	}
	if v < min || v > max {
		problems.Addf("%s %d is invalid: use %d to %d", prop, v, min, max)
	}
	return jsii.Number(float64(v))
}

// StringList returns a CDK string list, or nil for an empty one.
func StringList(values []string) *[]*string {
	if len(values) == 0 {
		return nil
	}
	return jsii.Strings(values...)
}

// Rule defines an EventBridge rule in scope for events of source with the
// detail type (all when "") about resources (any when nil), merged with
// the user's options.
func Rule(scope constructs.Construct, id, source, detailType string, resources []*string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return rule(scope, id, source, detailType, resources, nil, opts)
}

// rule is Rule with detail (field → allowed values) merged into the
// detail pattern of opts.
func rule(scope constructs.Construct, id, source, detailType string, resources []*string, detail map[string]any, opts *awsevents.OnEventOptions) awsevents.Rule {
	o := awsevents.OnEventOptions{}
	if opts != nil {
		o = *opts
	}
	pattern := awsevents.EventPattern{}
	if o.EventPattern != nil {
		pattern = *o.EventPattern
	}
	if detail != nil {
		merged := map[string]any{}
		if pattern.Detail != nil {
			for k, v := range *pattern.Detail {
				merged[k] = v
			}
		}
		for k, v := range detail {
			merged[k] = v
		}
		pattern.Detail = &merged
	}
	pattern.Source = jsii.Strings(source)
	if detailType != "" {
		pattern.DetailType = jsii.Strings(detailType)
	}
	if resources != nil {
		pattern.Resources = &resources
	}
	props := &awsevents.RuleProps{
		Description:     o.Description,
		RuleName:        o.RuleName,
		CrossStackScope: o.CrossStackScope,
		EventPattern:    &pattern,
	}
	if o.Target != nil {
		props.Targets = &[]awsevents.IRuleTarget{o.Target}
	}
	return awsevents.NewRule(scope, jsii.String(id), props)
}

// SameEnvironment reports, as a problem, a literal ARN (any service) of
// another account or region than stack's, when those are literal too. what
// names the referenced resource and reason says why it must be local. Only
// a literal ARN costs jsii round trips (to read the stack's environment).
func SameEnvironment(problems *check.Problems, what, arn, reason string, stack awscdk.Stack) {
	if stack == nil || cdktoken.IsUnresolved(arn) {
		return
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return
	}
	for _, c := range []struct{ dimension, resource, stack string }{
		{"region", parts[3], *stack.Region()},
		{"account", parts[4], *stack.Account()},
	} {
		if c.resource != "" && !cdktoken.IsUnresolved(c.stack) && c.resource != c.stack {
			problems.Addf("%s %s is in %s %s but this stack deploys to %s: %s", what, arn, c.dimension, c.resource, c.stack, reason)
		}
	}
}

// RuleMatchingDetail is Rule for events that name the resource in their
// detail rather than in resources: detail (field → allowed values) is
// merged into the detail pattern of opts.
func RuleMatchingDetail(scope constructs.Construct, id, source, detailType string, detail map[string]any, opts *awsevents.OnEventOptions) awsevents.Rule {
	return rule(scope, id, source, detailType, nil, detail, opts)
}

// StartsWithConstruct reports whether v, a construct struct value, has the
// layout Construct relies on: an embedded Construct as its first field.
// Tests of every L2 package check their types with it.
func StartsWithConstruct(v any) bool {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Struct || t.NumField() == 0 {
		return false
	}
	first := t.Field(0)
	return first.Anonymous && first.Offset == 0 && first.Type == reflect.TypeOf(Construct{}) &&
		strings.HasPrefix(first.Type.Name(), "jsiiProxy_")
}
