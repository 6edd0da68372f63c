// Package ivs holds AWS CDK constructs for Amazon Interactive Video Service
// (IVS) low-latency streaming: channels, stream keys and playback key pairs.
//
// Every construct is a real awscdk.Resource whose CloudFormation resource is
// its default child, named "Resource" (reach it with Node().DefaultChild() to
// set what the construct does not expose). Properties are plain Go values
// whose zero value means the documented default. Literal values are checked
// when a construct is created; problems are reported by `cdk synth`, all at
// once, with the construct path, the property, the bad value and what is
// allowed. Values holding CDK tokens are only checked at deploy time.
package ivs
