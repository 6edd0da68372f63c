package ivsops_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
	"github.com/ivscdk/ivscdk/ivsops"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestConstructIsFirstField(t *testing.T) {
	if !l2.StartsWithConstruct(ivsops.Dashboard{}) {
		t.Errorf("%s does not start with an embedded l2.Construct", reflect.TypeOf(ivsops.Dashboard{}).Name())
	}
}

// A show's dashboard: two channels, a stage, a reviewed room, a topic.
func TestDashboard(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Main", nil)
	backup := ivs.ChannelFromChannelArn(env.Stack, "Backup", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
	stage := ivs.NewStage(env.Stack, "Studio", nil)
	handler := awslambda.Function_FromFunctionArn(env.Stack, jsii.String("Review"), jsii.String("arn:aws:lambda:us-east-1:123456789012:function:review"))
	room := ivschat.NewRoom(env.Stack, "Chat", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{Handler: handler}})
	topic := awssns.NewTopic(env.Stack, jsii.String("OnCall"), nil)
	dashboard := ivsops.NewDashboard(env.Stack, "Dashboard", &ivsops.DashboardProps{
		DashboardName: "the-show",
		Channels:      []ivs.IChannel{channel, backup}, Stages: []ivs.IStage{stage}, Rooms: []ivschat.IRoom{room},
		AlarmTopic: topic,
		Alarms:     ivsops.DashboardAlarms{ConcurrentViewsPerChannel: 5000, ConcurrentStreamsQuota: 100},
	})
	got := env.Synth()
	cdktest.Golden(t, "testdata/golden/dashboard.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Dashboard"), map[string]any{"DashboardName": "the-show"})
	topicRef := map[string]any{"Ref": env.LogicalID("OnCall")}
	mainID := map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::GetAtt": []any{env.LogicalID("Main"), "Arn"}}}}}}
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "IngestVideoBitrate", "Statistic": "Average", "Period": 60,
		"Dimensions":         []any{map[string]any{"Name": "Channel", "Value": mainID}},
		"ComparisonOperator": "LessThanThreshold", "Threshold": 500000, "EvaluationPeriods": 3,
		"TreatMissingData": "notBreaching", "AlarmActions": []any{topicRef},
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"MetricName": "KeyframeInterval", "Dimensions": []any{map[string]any{"Name": "Channel", "Value": "abcdABCDefgh"}},
		"ComparisonOperator": "GreaterThanThreshold", "Threshold": 2,
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"MetricName": "ConcurrentViews", "Statistic": "Maximum", "Threshold": 5000, "ComparisonOperator": "GreaterThanThreshold",
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "ConcurrentStreams", "Threshold": 80, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVSChat", "MetricName": "ConcurrentChatConnections", "Threshold": 40000,
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVSChat", "MetricName": "InvocationErrors", "Statistic": "Sum",
		"Dimensions": []any{map[string]any{"Name": "Uri", "Value": "arn:aws:lambda:us-east-1:123456789012:function:review"}},
	})
	// Stream failures: the channels' events go to the topic, and the
	// rule's invocations are alarmed on.
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{
			"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stream State Change"},
			"resources": []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Main"), "Arn"}}, "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"},
			"detail":    map[string]any{"event_name": []any{"Stream Failure"}},
		},
		"Targets": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{"Arn": topicRef})}),
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/Events", "MetricName": "Invocations", "Statistic": "Sum", "Threshold": 1,
		"Dimensions": []any{map[string]any{"Name": "RuleName", "Value": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("DashboardStreamFailures"))}}},
	})
	if n := len(dashboard.Alarms()); n != 11 {
		t.Errorf("%d alarms, want 11 (3 per channel, streams and chat quotas, 2 for the review handler, stream failures)", n)
	}
	body := fmt.Sprint(got["Resources"].(map[string]any)[env.LogicalID("Dashboard")].(map[string]any)["Properties"])
	for _, want := range []string{"Main: stream state", "Backup: ingest bitrate", "Studio: participants", "Chat: message review errors",
		"IF(FILL(bitrate, 0) > 0, 1, 0)", `"label":"quota","value":100`, `"label":"quota","value":50000`, `"title":"Alarms"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard body has no %s", want)
		}
	}
}

// Without a topic there is no stream failure rule (EventBridge counts a
// rule's events only when it has a target), alarms have no actions, and
// negative thresholds leave their alarms out.
func TestDashboardWithoutTopicOrOptionalAlarms(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Main", nil)
	dashboard := ivsops.NewDashboard(env.Stack, "Dashboard", &ivsops.DashboardProps{
		Channels: []ivs.IChannel{channel},
		Alarms:   ivsops.DashboardAlarms{IngestVideoBitrateFloor: -1, KeyframeInterval: 1500 * time.Millisecond},
		Period:   5 * time.Minute,
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(0))
	template.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"MetricName": "KeyframeInterval", "Threshold": 1.5, "Period": 300, "AlarmActions": assertions.Match_Absent(),
	})
	if n := len(dashboard.Alarms()); n != 1 {
		t.Errorf("%d alarms, want 1", n)
	}
	body := fmt.Sprint(got["Resources"].(map[string]any)[env.LogicalID("Dashboard")].(map[string]any)["Properties"])
	if strings.Contains(body, "Chat:") || strings.Contains(body, "real-time") {
		t.Errorf("a dashboard of one channel shows chat or real-time widgets: %s", body)
	}
}

func TestDashboardRefusesBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		props *ivsops.DashboardProps
		want  string
	}{
		"nothing to show":                  {&ivsops.DashboardProps{}, "Channels, Stages and Rooms are all empty"},
		"period":                           {&ivsops.DashboardProps{Period: 90 * time.Second}, "Period 1m30s is not a whole number of minutes"},
		"short period":                     {&ivsops.DashboardProps{Period: 10 * time.Second}, "Period 10s is not a whole number of minutes"},
		"views":                            {&ivsops.DashboardProps{Alarms: ivsops.DashboardAlarms{ConcurrentViewsPerChannel: -3}}, "Alarms.ConcurrentViewsPerChannel -3 is negative"},
		"quota":                            {&ivsops.DashboardProps{Alarms: ivsops.DashboardAlarms{ConcurrentStreamsQuota: -1}}, "Alarms.ConcurrentStreamsQuota -1 is negative"},
		"name":                             {&ivsops.DashboardProps{DashboardName: "a show"}, `DashboardName "a show"`},
		"long name":                        {&ivsops.DashboardProps{DashboardName: strings.Repeat("a", 256)}, "has 256 characters: CloudWatch allows at most 255"},
		"name of 200 is fine but this one": {&ivsops.DashboardProps{DashboardName: strings.Repeat("a", 200) + "!"}, "is invalid: use only letters"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			if name != "nothing to show" {
				c.props.Channels = []ivs.IChannel{ivs.NewChannel(env.Stack, "Main", nil)}
			}
			ivsops.NewDashboard(env.Stack, "Dashboard", c.props)
			msg := env.SynthError()
			if !strings.Contains(msg, "TestStack/Dashboard") || !strings.Contains(msg, c.want) {
				t.Errorf("synth error %q, want one naming TestStack/Dashboard and %q", msg, c.want)
			}
		})
	}
}

func TestNilScopePanicsNamingTheConstructor(t *testing.T) {
	defer func() {
		if msg := fmt.Sprint(recover()); !strings.HasPrefix(msg, "ivsops.NewDashboard: scope is nil") {
			t.Errorf("panic %q, want one starting %q", msg, "ivsops.NewDashboard: scope is nil")
		}
	}()
	ivsops.NewDashboard(nil, "X", nil)
}
