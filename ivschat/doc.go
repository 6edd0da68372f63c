// Package ivschat holds AWS CDK constructs for Amazon IVS Chat: chat rooms
// with message limits, message review by a Lambda function and logging, the
// logging configurations they write to, and chat token endpoints. Package
// github.com/ivscdk/ivscdk/handler/chatmoderation writes message review
// handlers in Go.
//
// Like package ivs, every construct is a real awscdk.Resource with its
// CloudFormation resource as default child named "Resource"; literal values
// are checked when a construct is created and problems are reported by
// `cdk synth` with the construct path, the property, the value and what is
// allowed. The awscdk.Resource methods (Node, Stack, Env,
// ApplyRemovalPolicy, ...) are callable on every construct although go doc
// does not list them (see "The CDK methods of a construct" in package ivs),
// and ivs.As gives the typed construct back from Node().FindChild or an
// aspect.
package ivschat
