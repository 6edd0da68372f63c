package ivs_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func newRole(env *cdktest.Env, id string) awsiam.Role {
	return awsiam.NewRole(env.Stack, jsii.String(id), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
}

func TestChannelGrants(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	key := ch.AddStreamKey("StreamKey")
	imported := ivs.ChannelFromChannelArn(env.Stack, "Imported", referenceChannelArn)
	role := newRole(env, "Role")
	ch.GrantPutMetadata(role)
	ch.GrantStopStream(role)
	ch.GrantRead(role)
	imported.Grant(role, "ivs:GetChannel")
	key.GrantRead(role)
	got := env.Synth()
	channelArn := map[string]any{"Fn::GetAtt": []any{"Channel4048F119", "Arn"}}
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": "ivs:PutMetadata", "Effect": "Allow", "Resource": channelArn},
			map[string]any{"Action": "ivs:StopStream", "Effect": "Allow", "Resource": channelArn},
			map[string]any{"Action": []any{"ivs:GetChannel", "ivs:GetStream", "ivs:GetStreamSession", "ivs:ListStreamSessions"}, "Effect": "Allow", "Resource": channelArn},
			map[string]any{"Action": "ivs:GetChannel", "Effect": "Allow", "Resource": referenceChannelArn},
			map[string]any{"Action": "ivs:GetStreamKey", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{"ChannelStreamKey60BDC2BE", "Arn"}}},
		}},
	})
}

func TestChannelMetrics(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	imported := ivs.ChannelFromChannelArn(env.Stack, "Imported", referenceChannelArn)
	alarm := func(id string, m awscloudwatch.Metric) {
		awscloudwatch.NewAlarm(env.Stack, jsii.String(id), &awscloudwatch.AlarmProps{Metric: m, Threshold: jsii.Number(1), EvaluationPeriods: jsii.Number(1)})
	}
	alarm("Views", ch.MetricConcurrentViews(nil))
	alarm("Bitrate", imported.MetricIngestVideoBitrate(&awscloudwatch.MetricOptions{Statistic: jsii.String("Minimum"), Period: awscdk.Duration_Minutes(jsii.Number(1))}))
	alarm("Streams", ivs.MetricAccountConcurrentStreams(nil))
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "ConcurrentViews", "Statistic": "Maximum",
		"Dimensions": []any{map[string]any{"Name": "Channel", "Value": map[string]any{
			"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::GetAtt": []any{"Channel4048F119", "Arn"}}}}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "IngestVideoBitrate", "Statistic": "Minimum", "Period": 60,
		"Dimensions": []any{map[string]any{"Name": "Channel", "Value": "abcdABCDefgh"}},
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "ConcurrentStreams", "Dimensions": assertions.Match_Absent(),
	})
	starving := ivs.MetricAccountConcurrentStreamsByHealth(ivs.StreamHealthStarving, nil)
	if d := *starving.Dimensions(); len(d) != 1 || d[ivs.DimensionHealth] != "STARVING" || *starving.Statistic() != "Maximum" {
		t.Errorf("ConcurrentStreams by health: dimensions %v, statistic %s", d, *starving.Statistic())
	}
	track := ch.MetricIngestBitrate(&awscloudwatch.MetricOptions{DimensionsMap: &map[string]*string{ivs.DimensionTrack: jsii.String("video1")}})
	if d := *track.Dimensions(); len(d) != 2 || d[ivs.DimensionTrack] == nil || d[ivs.DimensionChannel] == nil {
		t.Errorf("IngestBitrate by track: dimensions %v, want Channel and Track", d)
	}
	for name, m := range map[string]awscloudwatch.Metric{
		"IngestBitrate":      ch.MetricIngestBitrate(nil),
		"IngestAudioBitrate": ch.MetricIngestAudioBitrate(nil), "IngestFramerate": ch.MetricIngestFramerate(nil),
		"KeyframeInterval": ch.MetricKeyframeInterval(nil), "LiveDeliveredTime": ch.MetricLiveDeliveredTime(nil),
		"LiveInputTime": ch.MetricLiveInputTime(nil), "RecordedTime": ch.MetricRecordedTime(nil),
		"Custom": ch.Metric("Custom", nil),
	} {
		if *m.MetricName() != name || *m.Namespace() != "AWS/IVS" {
			t.Errorf("%s: got %s/%s", name, *m.Namespace(), *m.MetricName())
		}
	}
}

func TestChannelEvents(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	ch.OnStreamStateChange("StreamState", &awsevents.OnEventOptions{
		Description:  jsii.String("stream starts and ends"),
		EventPattern: &awsevents.EventPattern{Detail: &map[string]any{"event_name": []any{"Stream Start"}}},
	})
	ch.OnStreamHealthChange("Health", nil)
	ch.OnRecordingStateChange("Recording", nil)
	ivs.OnLimitBreach(env.Stack, "Limits", nil)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	channelArn := map[string]any{"Fn::GetAtt": []any{"Channel4048F119", "Arn"}}
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"Description": "stream starts and ends",
		"EventPattern": map[string]any{
			"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stream State Change"},
			"resources": []any{channelArn}, "detail": map[string]any{"event_name": []any{"Stream Start"}},
		},
	})
	for _, detailType := range []string{"IVS Stream Health Change", "IVS Recording State Change"} {
		template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
			"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{detailType}, "resources": []any{channelArn}},
		})
	}
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Limit Breach"}, "resources": assertions.Match_Absent()},
	})
}
