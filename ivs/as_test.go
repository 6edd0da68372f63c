package ivs_test

import (
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
)

// authorizedChannels is an aspect a user might write: it lists every
// authorized channel of the app.
type authorizedChannels struct{ paths []string }

func (a *authorizedChannels) Visit(node constructs.IConstruct) {
	if ch, ok := ivs.As[*ivs.Channel](node); ok && ch.Authorized() {
		a.paths = append(a.paths, *ch.Node().Path())
	}
}

func TestAspectsSeeTypedConstructs(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Private", &ivs.ChannelProps{Authorized: true})
	ivs.NewChannel(env.Stack, "Public", nil)
	nested := constructs.NewConstruct(env.Stack, jsii.String("Team"))
	ivs.NewChannel(nested, "AlsoPrivate", &ivs.ChannelProps{Authorized: true})
	ivs.NewPlaybackKeyPair(env.Stack, "Key", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: publicKeyPEM(t)})
	ivschat.NewRoom(env.Stack, "Room", nil)
	aspect := &authorizedChannels{}
	awscdk.Aspects_Of(env.App).Add(aspect, nil)
	env.Synth()
	sort.Strings(aspect.paths)
	if len(aspect.paths) != 2 || aspect.paths[0] != "TestStack/Private" || aspect.paths[1] != "TestStack/Team/AlsoPrivate" {
		t.Errorf("the aspect found %q", aspect.paths)
	}

	// FindChild hands back the jsii object; As gives the typed construct.
	child := env.Stack.Node().FindChild(jsii.String("Private"))
	if _, ok := child.(*ivs.Channel); ok {
		t.Log("FindChild now returns *ivs.Channel itself")
	}
	if ch, ok := ivs.As[*ivs.Channel](child); !ok || !ch.Authorized() {
		t.Error("As did not find the channel")
	}
	if _, ok := ivs.As[ivs.IPlaybackKeyPair](env.Stack.Node().FindChild(jsii.String("Key"))); !ok {
		t.Error("As did not find the key pair through its interface")
	}
	if _, ok := ivs.As[*ivschat.Room](env.Stack.Node().FindChild(jsii.String("Room"))); !ok {
		t.Error("As did not find the chat room")
	}
	if _, ok := ivs.As[*ivs.Channel](env.Stack.Node().FindChild(jsii.String("Room"))); ok {
		t.Error("a room passed for a channel")
	}
	if _, ok := ivs.As[*ivs.Channel](env.Stack); ok {
		t.Error("a stack passed for a channel")
	}
}
