// Package ivs holds AWS CDK constructs for Amazon Interactive Video Service
// (IVS): low-latency channels, stream keys, playback key pairs (imported or
// managed, with rotation), playback token endpoints, recording, playback
// restriction policies and ads; real-time stages, their storage, encoder,
// public key (imported or managed) and ingest configurations, and
// participant token endpoints.
//
// Every construct is a real awscdk.Resource whose CloudFormation resource is
// its default child, named "Resource" (reach it with Node().DefaultChild() to
// set what the construct does not expose). Properties are plain Go values
// whose zero value means the documented default. Literal values are checked
// when a construct is created; problems are reported by `cdk synth`, all at
// once, with the construct path, the property, the bad value and what is
// allowed. Values holding CDK tokens are only checked at deploy time.
// docs/service-rules.md lists the IVS rules checked beyond the
// CloudFormation schemas.
//
// # The CDK methods of a construct
//
// A construct embeds, as its first field, a small internal struct that is
// its jsii object (see As and decision 16 in docs/decisions.md). go doc
// lists that field, not the methods it brings, which are those of
// awscdk.Resource and all callable on the construct: Node(), Stack(),
// Env(), PhysicalName(), ApplyRemovalPolicy(policy), GetResourceArnAttribute
// and GetResourceNameAttribute, ToString(), and, through Node(), children,
// dependencies, metadata and validations. For example:
//
//	channel := ivs.NewChannel(stack, "Channel", nil)
//	channel.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)
//	channel.Node().AddDependency(otherConstruct)
//	awscdk.Tags_Of(channel).Add(jsii.String("team"), jsii.String("video"), nil)
package ivs
