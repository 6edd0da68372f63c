package l2

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"
)

// Metric builds a CloudWatch metric of namespace. dimensions are merged with
// the caller's opts.DimensionsMap (the caller's win), statistic is the
// default when opts sets none. No unit is set unless the caller sets one
// (decision 14: CloudWatch matches units exactly).
func Metric(namespace, name string, dimensions map[string]*string, statistic string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	o := awscloudwatch.MetricOptions{}
	if opts != nil {
		o = *opts
	}
	dims := map[string]*string{}
	for k, v := range dimensions {
		dims[k] = v
	}
	if o.DimensionsMap != nil {
		for k, v := range *o.DimensionsMap {
			dims[k] = v
		}
	}
	if o.Statistic == nil && statistic != "" {
		o.Statistic = jsii.String(statistic)
	}
	props := &awscloudwatch.MetricProps{
		Namespace: jsii.String(namespace), MetricName: jsii.String(name),
		Account: o.Account, Color: o.Color, Id: o.Id, Label: o.Label, Period: o.Period, Region: o.Region,
		StackAccount: o.StackAccount, StackRegion: o.StackRegion, Statistic: o.Statistic, Unit: o.Unit, Visible: o.Visible,
	}
	if len(dims) > 0 {
		props.DimensionsMap = &dims
	}
	return awscloudwatch.NewMetric(props)
}
