package ivs_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivschat"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
)

// channelArnOf is what a CDK API or another library typed on the CDK's
// reference interface does with a channel.
func channelArnOf(ref interfacesawsivs.IChannelRef) *string { return ref.ChannelRef().ChannelArn }

// An ivscdk channel, made here or imported, goes wherever the CDK takes an
// interfacesawsivs.IChannelRef, and its reference is its ARN.
func TestChannelsAreTheCDKsChannelRefs(t *testing.T) {
	env := cdktest.New(t)
	made := ivs.NewChannel(env.Stack, "Channel", nil)
	var asInterface ivs.IChannel = made
	want := fmt.Sprint(env.Stack.Resolve(made.ChannelArn()))
	for name, got := range map[string]*string{"made": channelArnOf(made), "as ivs.IChannel": channelArnOf(asInterface)} {
		if got == nil || fmt.Sprint(env.Stack.Resolve(got)) != want {
			t.Errorf("%s: ChannelRef().ChannelArn resolves to %v, want the channel's ARN %s", name, env.Stack.Resolve(got), want)
		}
	}
	imported := ivs.ChannelFromChannelArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
	if got := channelArnOf(imported); got == nil || *got != "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh" {
		t.Errorf("imported: ChannelRef().ChannelArn is %v", got)
	}
	// Environment-aware, as the CDK's references are.
	if region := made.Env().Region; region == nil || *region != *awscdk.Stack_Of(made).Region() {
		t.Errorf("the channel's environment region is %v", region)
	}
	// The same for the other resource types, through their interfaces.
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	var stageRef interfacesawsivs.IStageRef = ivs.IStage(stage)
	room := ivschat.NewRoom(env.Stack, "Room", nil)
	var roomRef interfacesawsivschat.IRoomRef = ivschat.IRoom(room)
	if fmt.Sprint(env.Stack.Resolve(stageRef.StageRef().StageArn)) != fmt.Sprint(env.Stack.Resolve(stage.StageArn())) ||
		fmt.Sprint(env.Stack.Resolve(roomRef.RoomRef().RoomArn)) != fmt.Sprint(env.Stack.Resolve(room.RoomArn())) {
		t.Error("a stage's or room's reference is not its ARN")
	}
}

// Where ivscdk takes a bucket it takes what the CDK's own constructs take,
// a bucket reference: an L1 awss3.CfnBucket too.
func TestRecordingTakesAnyBucketReference(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewCfnBucket(env.Stack, jsii.String("Recordings"), nil)
	ivs.NewRecordingConfiguration(env.Stack, "Recording", &ivs.RecordingConfigurationProps{Bucket: bucket})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::RecordingConfiguration"), map[string]any{
		"DestinationConfiguration": map[string]any{"S3": map[string]any{"BucketName": map[string]any{"Ref": "Recordings"}}},
	})
}
