package ivschat_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivschat"
)

func TestMetrics(t *testing.T) {
	env := cdktest.New(t)
	awscloudwatch.NewAlarm(env.Stack, jsii.String("Connections"), &awscloudwatch.AlarmProps{
		Metric:            ivschat.MetricConcurrentChatConnections(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(1))}),
		Threshold:         jsii.Number(10000),
		EvaluationPeriods: jsii.Number(1),
	})
	m := ivschat.Metric("Custom", &awscloudwatch.MetricOptions{Statistic: jsii.String("Sum")})
	if *m.Namespace() != "AWS/IVSChat" || *m.MetricName() != "Custom" || *m.Statistic() != "Sum" {
		t.Errorf("Metric = %s/%s %s", *m.Namespace(), *m.MetricName(), *m.Statistic())
	}
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVSChat", "MetricName": "ConcurrentChatConnections", "Statistic": "Maximum", "Period": 60,
	})
}

// The review handler's error metrics name the handler by its function ARN,
// the URI a room's MessageReviewHandler holds.
func TestReviewHandlerMetrics(t *testing.T) {
	env := cdktest.New(t)
	handler := awslambda.Function_FromFunctionArn(env.Stack, jsii.String("Handler"), jsii.String("arn:aws:lambda:us-west-2:123456789012:function:review"))
	for want, m := range map[string]awscloudwatch.Metric{
		"InvocationErrors":         ivschat.MetricReviewHandlerInvocationErrors(handler, nil),
		"ResponseValidationErrors": ivschat.MetricReviewHandlerResponseValidationErrors(handler, nil),
	} {
		if *m.Namespace() != "AWS/IVSChat" || *m.MetricName() != want || *m.Statistic() != "Sum" {
			t.Errorf("%s: got %s/%s %s", want, *m.Namespace(), *m.MetricName(), *m.Statistic())
		}
		if uri := (*m.Dimensions())[ivschat.DimensionUri]; uri != "arn:aws:lambda:us-west-2:123456789012:function:review" {
			t.Errorf("%s: Uri dimension %v", want, *m.Dimensions())
		}
	}
}
