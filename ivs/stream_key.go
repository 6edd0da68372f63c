package ivs

import (
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// StreamKeyProps configures a StreamKey.
type StreamKeyProps struct {
	// Channel is the channel the key streams to. Required.
	Channel IChannel
	// Tags are added to the stream key (same limits as ChannelProps.Tags).
	// Default: none.
	Tags map[string]string
}

// IStreamKey is an IVS stream key, created in this app or imported.
type IStreamKey interface {
	awscdk.IResource
	// StreamKeyRef returns the reference CDK APIs take (interfacesawsivs.IStreamKeyRef).
	interfacesawsivs.IStreamKeyRef
	// StreamKeyArn returns the stream key's ARN.
	StreamKeyArn() *string
	// GrantRead lets grantee read the stream key, its value included
	// (ivs:GetStreamKey): the value is a secret that lets its holder
	// broadcast on the channel, so grant it only to what starts broadcasts.
	GrantRead(grantee awsiam.IGrantable) awsiam.Grant
}

func grantReadStreamKey(grantee awsiam.IGrantable, arn *string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("ivs:GetStreamKey"),
		ResourceArns: &[]*string{arn},
	})
}

// StreamKey is an AWS::IVS::StreamKey: the secret a broadcaster uses to
// stream to a channel. A channel has at most one stream key at a time.
type StreamKey struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnStreamKey
	path         cdkname.Path
}

// WarningStreamKeyForImportedChannel is the ID of the synth warning for a
// stream key created for an imported channel, which most likely has its
// key already.
const WarningStreamKeyForImportedChannel = "ivscdk:ivs:streamKeyForImportedChannel"

// NewStreamKey defines a stream key for props.Channel. Channel.AddStreamKey
// is the shorter way to write it.
func NewStreamKey(scope constructs.Construct, id string, props *StreamKeyProps) *StreamKey {
	if props == nil {
		props = &StreamKeyProps{}
	}
	k := &StreamKey{}
	path := l2.NewResource(k, &k.Construct, scope, id, nil)
	k.path = path

	var problems check.Problems
	problems.Tags("Tags", props.Tags)
	channelArn := jsii.String("")
	if props.Channel == nil {
		problems.Addf("Channel is required: give the channel this key streams to (for example ivs.NewChannel or ivs.ChannelFromChannelArn)")
	} else {
		channelArn = props.Channel.ChannelArn()
		checkOneKeyPerChannel(&problems, props.Channel, path)
		checkKeyRegion(&problems, *channelArn, path)
		if _, defined := props.Channel.(*Channel); !defined {
			check.Warn(k, WarningStreamKeyForImportedChannel, "the channel is imported: a channel made with the IVS API or console "+
				"already has a stream key (CreateChannel creates one), and IVS allows 1 stream key per channel, so creating this one "+
				"fails at deploy (IVS API reference, CreateStreamKey). Import the channel's key instead: "+
				"ivs.StreamKeyFromStreamKeyArn with the ARN that `aws ivs list-stream-keys --channel-arn <channel ARN>` prints. "+
				"Acknowledge this warning if the channel's key was deleted, or the channel came from CloudFormation, which creates none")
		}
	}
	k.cfn = awsivs.NewCfnStreamKey(k, jsii.String("Resource"), &awsivs.CfnStreamKeyProps{
		ChannelArn: channelArn,
		Tags:       l2.CfnTags(props.Tags),
	})
	problems.Report(k)
	return k
}

// StreamKeyArn returns the stream key's ARN.
func (k *StreamKey) StreamKeyArn() *string { return k.cfn.AttrArn() }

// GrantRead lets grantee read the stream key, its secret value included.
func (k *StreamKey) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return grantReadStreamKey(grantee, k.StreamKeyArn())
}

// StreamKeyValue returns the stream key's value, a secret: whoever has it can
// broadcast on the channel. It is a token that CloudFormation resolves at
// deploy time; do not put it in a tag or an environment variable. A stack
// output holding it fails synthesis unless AllowSecretOutput acknowledges
// it. Prefer reading it at run time with the IVS GetStreamKey API.
func (k *StreamKey) StreamKeyValue() *string {
	return noteSecretAttribute(k.path, "the stream key value", k.cfn, "Value", k.cfn.AttrValue())
}

// StreamKeyFromStreamKeyArn imports an existing stream key by ARN. Literal
// ARNs are checked (service "ivs", resource type "stream-key"); tokens are
// accepted as they are.
func StreamKeyFromStreamKeyArn(scope constructs.Construct, id string, streamKeyArn string) IStreamKey {
	k := &importedStreamKey{arn: streamKeyArn}
	l2.NewImported(k, &k.Construct, scope, id, streamKeyArn, "ivs", "stream-key")
	return k
}

type importedStreamKey struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (k *importedStreamKey) StreamKeyArn() *string { return jsii.String(k.arn) }

func (k *importedStreamKey) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return grantReadStreamKey(grantee, k.StreamKeyArn())
}

// keysByChannel remembers the first stream key defined for each channel:
// a *Channel by pointer, an imported channel by its stack and literal ARN.
var (
	keysMu        sync.Mutex
	keysByChannel = map[any]string{}
)

type importedChannelKey struct {
	stack awscdk.Stack
	arn   string
}

// checkOneKeyPerChannel refuses a second stream key for one channel: IVS
// allows one (IVS API reference, CreateStreamKey: "a limit of 1 stream key
// per channel"), so the second fails at deploy time.
func checkOneKeyPerChannel(problems *check.Problems, channel IChannel, path cdkname.Path) {
	var key any = channel
	channelName := ""
	switch c := channel.(type) {
	case *Channel:
		channelName = c.path.String()
	case *importedChannel:
		if cdktoken.IsUnresolved(c.arn) {
			return
		}
		key, channelName = importedChannelKey{path.Stack(), c.arn}, c.arn
	default:
		return
	}
	keysMu.Lock()
	defer keysMu.Unlock()
	if first, ok := keysByChannel[key]; ok {
		problems.Addf("channel %s already has stream key %s: IVS allows 1 stream key per channel (IVS API reference, CreateStreamKey), "+
			"so this one would fail at deploy time. Keep one key; to rotate it, replace the construct (give it a new ID)", channelName, first)
		return
	}
	keysByChannel[key] = path.String()
}

// checkKeyRegion refuses a key for a channel in another account or region:
// CloudFormation creates the key in the stack's account and region.
func checkKeyRegion(problems *check.Problems, channelArn string, path cdkname.Path) {
	l2.SameEnvironment(problems, "the channel", channelArn,
		"a stream key is created beside its stack, so define it in a stack of the channel's account and region", path.Stack())
}
