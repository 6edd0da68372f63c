package ivsops_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivsops"
)

// A recorded channel's thumbnails wake the function, which may read them,
// ask Rekognition, stop that channel's stream and tell the topic.
func TestVideoModeration(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), &awss3.BucketProps{
		Encryption: awss3.BucketEncryption_S3_MANAGED, EnforceSSL: jsii.Bool(true), BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
	})
	recording := ivs.NewRecordingConfiguration(env.Stack, "Recording", &ivs.RecordingConfigurationProps{Bucket: bucket})
	channel := ivs.NewChannel(env.Stack, "Main", &ivs.ChannelProps{RecordingConfiguration: recording})
	topic := awssns.NewTopic(env.Stack, jsii.String("Moderators"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	ivsops.NewVideoModeration(env.Stack, "Moderation", &ivsops.VideoModerationProps{
		Channels: []ivs.IChannel{channel}, Bucket: bucket, Topic: topic,
		Categories: []string{"Explicit", "Violence"}, Fallback: ivsops.FallbackStopStream,
	})
	got := env.Synth()
	cdktest.Golden(t, "testdata/golden/video-moderation.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	statements := []any{
		map[string]any{"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Moderation/FunctionLogs"), "Arn"}}},
		map[string]any{"Action": "rekognition:DetectModerationLabels", "Effect": "Allow", "Resource": "*"},
		map[string]any{"Action": "ivs:StopStream", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Main"), "Arn"}}},
		map[string]any{"Action": "sns:Publish", "Effect": "Allow", "Resource": map[string]any{"Ref": env.LogicalID("Moderators")}},
		map[string]any{"Action": "s3:GetObject", "Effect": "Allow", "Resource": map[string]any{"Fn::Join": []any{"", []any{
			map[string]any{"Fn::GetAtt": []any{env.LogicalID("Recordings"), "Arn"}}, "/ivs/v1/*/media/thumbnails/*"}}}},
	}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": statements},
	})
	template.HasResourceProperties(jsii.String("Custom::S3BucketNotifications"), map[string]any{
		"NotificationConfiguration": map[string]any{"LambdaFunctionConfigurations": []any{map[string]any{
			"Events": []any{"s3:ObjectCreated:*"},
			"Filter": map[string]any{"Key": map[string]any{"FilterRules": []any{
				map[string]any{"Name": "suffix", "Value": ".jpg"}, map[string]any{"Name": "prefix", "Value": "ivs/v1/"}}}},
			"LambdaFunctionArn": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Moderation/Function"), "Arn"}},
		}}},
	})
	b, _ := json.Marshal(got)
	for _, want := range []string{`\"minConfidence\":80`, `\"fallback\":\"STOP\"`, `\"stopStream\":true`, `\"interval\":\"1m0s\"`,
		`\"categories\":[\"Explicit\",\"Violence\"]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the function's configuration lacks %s", want)
		}
	}
	for _, f := range cdktest.NagFindings(env.App, env.Stack) {
		if strings.Contains(f, `"/TestStack/Recordings/Resource"`) && strings.Contains(f, "AwsSolutions-S1") {
			continue // the test's bucket has no access logs: the fixture's, not the construct's
		}
		t.Error(f)
	}
}

// KeepStreaming only tells: the function may not stop streams.
func TestVideoModerationThatOnlyTells(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.Bucket_FromBucketName(env.Stack, jsii.String("Recordings"), jsii.String("recordings"))
	ivsops.NewVideoModeration(env.Stack, "Moderation", &ivsops.VideoModerationProps{
		Channels: []ivs.IChannel{ivs.NewChannel(env.Stack, "Main", nil)}, Bucket: bucket,
		Topic: awssns.NewTopic(env.Stack, jsii.String("Moderators"), nil), KeepStreaming: true, Fallback: ivsops.FallbackKeepStreaming,
		Interval: 30 * time.Second, MinConfidence: 95,
	})
	got := env.Synth()
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "ivs:StopStream") || !strings.Contains(string(b), `\"stopStream\":false`) || !strings.Contains(string(b), `\"interval\":\"30s\"`) {
		t.Errorf("a moderation that only tells may stop streams, or its configuration is wrong")
	}
}

// KeepStreaming with a Library and no Topic only keeps the evidence: a
// hit does something, so it is accepted.
func TestVideoModerationThatOnlyKeepsEvidence(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	library := ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{Bucket: bucket})
	ivsops.NewVideoModeration(env.Stack, "Moderation", &ivsops.VideoModerationProps{
		Channels: []ivs.IChannel{ivs.NewChannel(env.Stack, "Main", nil)}, Bucket: bucket, Library: library,
		KeepStreaming: true, Fallback: ivsops.FallbackKeepStreaming,
	})
	got := env.Synth()
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "ivs:StopStream") || !strings.Contains(string(b), `\"indexTable\":\"`) || strings.Contains(string(b), "topicArn") {
		t.Errorf("a moderation that only keeps evidence may stop streams, or names no index, or a topic")
	}
}

// endpoint is a playback token endpoint of the channel, with or without
// a viewer log.
func endpoint(ch ivs.IChannel, recordViewers bool) *ivs.PlaybackTokenEndpoint {
	stack := awscdk.Stack_Of(ch)
	return ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{ivs.ChannelFromChannelAttributes(stack, "Served", &ivs.ChannelAttributes{ChannelArn: *ch.ChannelArn(),
			ChannelPlaybackUrl: "https://a1b2c3.us-west-2.playback.live-video.net/api/video/v1/main.m3u8"})},
		KeyPair:        ivs.NewManagedPlaybackKeyPair(stack, "Key", nil),
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"), ViewerIDClaim: "sub", RecordViewers: recordViewers,
	})
}

// With the token endpoint's viewer log and the recording library, the
// function may read the log, revoke those channels' viewer sessions, and
// write evidence to the index's evidence partitions only.
func TestVideoModerationRevokesViewersAndKeepsEvidence(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), &awss3.BucketProps{
		Encryption: awss3.BucketEncryption_S3_MANAGED, EnforceSSL: jsii.Bool(true), BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
	})
	recording := ivs.NewRecordingConfiguration(env.Stack, "Recording", &ivs.RecordingConfigurationProps{Bucket: bucket})
	channel := ivs.NewChannel(env.Stack, "Main", &ivs.ChannelProps{RecordingConfiguration: recording, Authorized: true})
	tokens := ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"), ViewerIDClaim: "sub", RecordViewers: true,
	})
	library := ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{Bucket: bucket, Retention: 30 * 24 * time.Hour})
	ivsops.NewVideoModeration(env.Stack, "Moderation", &ivsops.VideoModerationProps{
		Channels: []ivs.IChannel{channel}, Bucket: bucket, Fallback: ivsops.FallbackStopStream, RevokeViewersOf: tokens, Library: library,
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "dynamodb:Query", "Effect": "Allow", "Resource": []any{
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Tokens/Viewers"), "Arn"}}}},
			map[string]any{"Action": "ivs:StartViewerSessionRevocation", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Main"), "Arn"}}},
			map[string]any{"Action": "dynamodb:PutItem", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Library/Index"), "Arn"}},
				"Condition": map[string]any{"ForAllValues:StringLike": map[string]any{"dynamodb:LeadingKeys": []any{"moderation#*"}}}},
		})},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Description": "ivscdk: checks IVS thumbnails with Rekognition", "Timeout": 300,
	})
	b, _ := json.Marshal(got)
	for _, want := range []string{`\"viewerTable\":\"`, `\"indexTable\":\"`, `\"indexRetention\":\"720h0m0s\"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the function's configuration lacks %s", want)
		}
	}
	for _, f := range cdktest.NagFindings(env.App, env.Stack) {
		if strings.Contains(f, `"/TestStack/Recordings/Resource"`) && strings.Contains(f, "AwsSolutions-S1") ||
			strings.Contains(f, `"/TestStack/Key/`) && strings.Contains(f, "AwsSolutions-SMG4") {
			continue // the fixture's bucket without access logs, and its key without rotation
		}
		t.Error(f)
	}
}

func TestVideoModerationRefusesBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		props func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps
		want  string
	}{
		"no fallback": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b}
		}, "Fallback is not set: choose FallbackStopStream (fail closed) or FallbackKeepStreaming (fail open)"},
		"bad fallback": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: "MAYBE"}
		}, `Fallback "MAYBE"`},
		"no bucket": {func(ch ivs.IChannel, _ awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Fallback: ivsops.FallbackStopStream}
		}, "Bucket is required"},
		"no channel": {func(_ ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Bucket: b, Fallback: ivsops.FallbackStopStream}
		}, "Channels is empty"},
		"confidence": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: ivsops.FallbackStopStream, MinConfidence: 120}
		}, "MinConfidence 120 is not a percentage"},
		"interval": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: ivsops.FallbackStopStream, Interval: 1500 * time.Millisecond}
		}, "Interval 1.5s is invalid"},
		"empty category": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: ivsops.FallbackStopStream, Categories: []string{"Violence", ""}}
		}, "Categories[1] is empty"},
		"an endpoint without a viewer log": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: ivsops.FallbackStopStream, RevokeViewersOf: endpoint(ch, false)}
		}, "RevokeViewersOf Oregon/Tokens keeps no viewer log: set RecordViewers"},
		"revoking without stopping": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: ivsops.FallbackStopStream, RevokeViewersOf: endpoint(ch, true),
				KeepStreaming: true, Topic: awssns.Topic_FromTopicArn(awscdk.Stack_Of(ch), jsii.String("T"), jsii.String("arn:aws:sns:us-west-2:123456789012:t"))}
		}, "RevokeViewersOf with KeepStreaming"},
		"nothing to do": {func(ch ivs.IChannel, b awss3.IBucket) *ivsops.VideoModerationProps {
			return &ivsops.VideoModerationProps{Channels: []ivs.IChannel{ch}, Bucket: b, Fallback: ivsops.FallbackStopStream, KeepStreaming: true}
		}, "KeepStreaming without a Topic"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.NewOregon(t)
			ch := ivs.ChannelFromChannelArn(env.Stack, "Main", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
			b := awss3.Bucket_FromBucketName(env.Stack, jsii.String("Recordings"), jsii.String("recordings"))
			ivsops.NewVideoModeration(env.Stack, "Moderation", c.props(ch, b))
			if msg := env.SynthError(); !strings.Contains(msg, "Oregon/Moderation") || !strings.Contains(msg, c.want) {
				t.Errorf("synth error %q, want one naming Oregon/Moderation and %q", msg, c.want)
			}
		})
	}
}
