package ivschat

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"
)

// MetricNamespace is the CloudWatch namespace of IVS Chat metrics.
const MetricNamespace = "AWS/IVSChat"

// Metric returns the IVS Chat metric called name, account-wide in the
// stack's region, with the options given (statistic, period, dimensions).
// No unit is set, so the metric matches what IVS Chat publishes.
func Metric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	o := awscloudwatch.MetricOptions{}
	if opts != nil {
		o = *opts
	}
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace: jsii.String(MetricNamespace), MetricName: jsii.String(name),
		Account: o.Account, Color: o.Color, DimensionsMap: o.DimensionsMap, Id: o.Id, Label: o.Label, Period: o.Period,
		Region: o.Region, StackAccount: o.StackAccount, StackRegion: o.StackRegion, Statistic: o.Statistic, Unit: o.Unit, Visible: o.Visible,
	})
}

// MetricConcurrentChatConnections counts the account's open chat
// connections (Maximum by default).
func MetricConcurrentChatConnections(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	o := awscloudwatch.MetricOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Statistic == nil {
		o.Statistic = jsii.String("Maximum")
	}
	return Metric("ConcurrentChatConnections", &o)
}
