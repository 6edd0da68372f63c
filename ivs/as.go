package ivs

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// As returns the ivscdk construct that c is, typed as T, such as *Channel
// or IPlaybackKeyPair. What the CDK hands back for an ivscdk construct
// (Node().FindChild, Node().Children, an aspect's Visit) is the small jsii
// object inside it (decision 16 in docs/decisions.md), not the ivscdk
// type; As finds the construct it belongs to. It works for constructs of
// package ivschat too.
//
//	func (a *authorizedChannels) Visit(node constructs.IConstruct) {
//		if ch, ok := ivs.As[*ivs.Channel](node); ok && ch.Authorized() { ... }
//	}
func As[T any](c constructs.IConstruct) (T, bool) {
	if c == nil {
		var zero T
		return zero, false
	}
	t, ok := l2.Owner(c).(T)
	return t, ok
}
