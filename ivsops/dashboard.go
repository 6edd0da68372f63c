package ivsops

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
)

// Defaults of DashboardAlarms.
const (
	// DefaultIngestVideoBitrateFloor is the ingest video bitrate, in bits
	// per second, under which a live channel's alarm goes off: ivscdk's
	// choice, 500 kbps. Set the floor near what your encoders send.
	DefaultIngestVideoBitrateFloor = 500_000
	// DefaultKeyframeInterval is the keyframe interval IVS recommends for
	// low-latency streaming: 2 seconds, or 1 for even lower latency (IVS
	// Low-Latency user guide, "Streaming Configuration").
	DefaultKeyframeInterval = 2 * time.Second
	// QuotaAlarmShare is the share of an account quota at which the quota
	// alarms go off: at 80%, there is still time to ask for more.
	QuotaAlarmShare = 0.8
)

// DashboardAlarms sets the alarms of a Dashboard. The zero value is the
// defaults: a low ingest bitrate and a keyframe interval over IVS's
// recommendation on every channel, chat connections near IVS Chat's default
// quota, and stream failures when the dashboard has an AlarmTopic.
type DashboardAlarms struct {
	// IngestVideoBitrateFloor, in bits per second: a channel's alarm goes
	// off when its ingest video bitrate averages under it for three
	// minutes in a row while it is live. An offline channel publishes no
	// data and does not alarm. Default: DefaultIngestVideoBitrateFloor.
	// Negative: no alarm.
	IngestVideoBitrateFloor int
	// KeyframeInterval is the longest keyframe interval a channel may
	// average for three minutes in a row. Default: DefaultKeyframeInterval.
	// Negative: no alarm.
	KeyframeInterval time.Duration
	// ConcurrentViewsPerChannel: a channel's alarm goes off when its
	// concurrent views exceed it. Default: no alarm.
	ConcurrentViewsPerChannel int
	// ConcurrentStreamsQuota is the account's quota of concurrent streams
	// in the region (the Service Quotas console shows it). When set, the
	// account widget draws it and an alarm goes off at QuotaAlarmShare of
	// it. Default: neither.
	ConcurrentStreamsQuota int
	// ConcurrentChatConnectionsQuota is the account's quota of concurrent
	// chat connections, drawn and alarmed at QuotaAlarmShare when the
	// dashboard has rooms. Default:
	// ivschat.DefaultConcurrentChatConnectionsQuota. Negative: no alarm.
	ConcurrentChatConnectionsQuota int
	// NoStreamFailureAlarm leaves out the stream failure rule and alarm
	// (see DashboardProps.AlarmTopic).
	NoStreamFailureAlarm bool
}

// DashboardProps configures a Dashboard. Give it at least one channel,
// stage or room.
type DashboardProps struct {
	// DashboardName is the CloudWatch dashboard's name: letters, digits,
	// '-' and '_', at most 255 characters. Default: a name CloudFormation
	// makes.
	DashboardName string
	// Channels get a row each: live or not, ingest video and audio
	// bitrate, frame rate and keyframe interval, concurrent views and live
	// delivered time; and their alarms.
	Channels []ivs.IChannel
	// Stages get a row each: publishers and subscribers, publish and
	// subscribe bitrate, dropped frames and download packet loss; and the
	// account's real-time row.
	Stages []ivs.IStage
	// Rooms add the chat row. IVS Chat publishes its metrics for the
	// account, not per room, so the row shows the account's connections
	// and messaging; per room with a message review handler
	// (ivschat.Room.ReviewHandler), the messages allowed and denied as
	// ivscdk's chatmoderation handler counts them (Options.Metrics), and
	// the handler's errors, with an alarm on each.
	Rooms []ivschat.IRoom
	// Period of every widget and alarm: a whole number of minutes.
	// Default: 1 minute.
	Period time.Duration
	// AlarmTopic receives every alarm, and each stream failure event of the
	// channels as it happens. IVS reports stream failures only as events,
	// and EventBridge counts a rule's events (AWS/Events Invocations) only
	// when the rule has a target, so without a topic there is no stream
	// failure alarm. Default: alarms without actions.
	AlarmTopic awssns.ITopic
	// Alarms sets the alarms. Default: see DashboardAlarms.
	Alarms DashboardAlarms
}

// Dashboard is a CloudWatch dashboard with alarms for the channels, stages
// and chat rooms of a show. Its default child is the awscloudwatch.Dashboard.
type Dashboard struct {
	l2.Construct // first field: see l2.Construct
	dashboard    awscloudwatch.Dashboard
	alarms       []awscloudwatch.IAlarm
	period       awscdk.Duration
	alarmTopic   awssns.ITopic
}

// NewDashboard defines the dashboard, its alarms and, with an AlarmTopic,
// the rule that sends the channels' stream failures to it.
func NewDashboard(scope constructs.Construct, id string, props *DashboardProps) *Dashboard {
	if props == nil {
		props = &DashboardProps{}
	}
	d := &Dashboard{alarmTopic: props.AlarmTopic}
	l2.NewResource(d, &d.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	name := props.DashboardName
	// CloudWatch's PutDashboard: letters, digits, '-' and '_', at most 255
	// (the CDK's Dashboard checks the same, by panicking).
	if !cdktoken.IsUnresolved(name) {
		if strings.IndexFunc(name, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) >= 0 {
			problems.Addf("DashboardName %q is invalid: use only letters, digits, hyphens (-) and underscores (_)", name)
		}
		if len(name) > 255 {
			problems.Addf("DashboardName %q has %d characters: CloudWatch allows at most 255", name, len(name))
		}
	}
	if len(problems.Messages()) > 0 {
		name = "" // the CDK's Dashboard panics on a bad name: report it instead
	}
	if len(props.Channels)+len(props.Stages)+len(props.Rooms) == 0 {
		problems.Addf("Channels, Stages and Rooms are all empty: give the dashboard at least one channel, stage or room")
	}
	period := props.Period
	if period == 0 {
		period = time.Minute
	}
	if period < time.Minute || period%time.Minute != 0 {
		problems.Addf("Period %s is not a whole number of minutes: use 1 minute or more, in whole minutes", props.Period)
		period = time.Minute
	}
	a := props.Alarms
	if a.ConcurrentViewsPerChannel < 0 {
		problems.Addf("Alarms.ConcurrentViewsPerChannel %d is negative: give a number of views, or 0 for no alarm", a.ConcurrentViewsPerChannel)
	}
	if a.ConcurrentStreamsQuota < 0 {
		problems.Addf("Alarms.ConcurrentStreamsQuota %d is negative: give the account's quota, or 0 for no alarm", a.ConcurrentStreamsQuota)
	}
	d.period = awscdk.Duration_Minutes(jsii.Number(period.Minutes()))
	d.dashboard = awscloudwatch.NewDashboard(d, jsii.String("Resource"), &awscloudwatch.DashboardProps{
		DashboardName: l2.Optional(name),
	})

	for _, ch := range props.Channels {
		d.addChannel(ch, a)
	}
	for _, st := range props.Stages {
		d.addStage(st)
	}
	d.addAccount(props, a)
	if len(props.Rooms) > 0 {
		d.addChat(props.Rooms, a)
	}
	if props.AlarmTopic != nil && !a.NoStreamFailureAlarm && len(props.Channels) > 0 {
		d.addStreamFailures(props.Channels)
	}
	if len(d.alarms) > 0 {
		refs := make([]interfacesawscloudwatch.IAlarmRef, len(d.alarms))
		for i, alarm := range d.alarms {
			refs[i] = alarm
		}
		d.dashboard.AddWidgets(awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
			Title: jsii.String("Alarms"), Alarms: &refs, Width: jsii.Number(24),
		}))
	}
	problems.Report(d)
	return d
}

// CloudWatchDashboard returns the awscloudwatch.Dashboard, to add widgets.
func (d *Dashboard) CloudWatchDashboard() awscloudwatch.Dashboard { return d.dashboard }

// Alarms returns every alarm the dashboard made, in the order of its rows.
func (d *Dashboard) Alarms() []awscloudwatch.IAlarm { return d.alarms }

func (d *Dashboard) opts() *awscloudwatch.MetricOptions {
	return &awscloudwatch.MetricOptions{Period: d.period}
}

func (d *Dashboard) labelled(label string) *awscloudwatch.MetricOptions {
	return &awscloudwatch.MetricOptions{Period: d.period, Label: jsii.String(label)}
}

// graph is a quarter-width graph widget.
func (d *Dashboard) graph(title string, left, right []awscloudwatch.IMetric, annotations ...*awscloudwatch.HorizontalAnnotation) awscloudwatch.IWidget {
	props := &awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Left: &left, Width: jsii.Number(6), Height: jsii.Number(6), Period: d.period}
	if len(right) > 0 {
		props.Right = &right
	}
	if len(annotations) > 0 {
		props.LeftAnnotations = &annotations
	}
	return awscloudwatch.NewGraphWidget(props)
}

// alarm defines an alarm in the dashboard's scope, sent to the topic.
func (d *Dashboard) alarm(id string, props *awscloudwatch.AlarmProps) {
	alarm := awscloudwatch.NewAlarm(d, jsii.String(id), props)
	if d.alarmTopic != nil {
		alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(d.alarmTopic))
	}
	d.alarms = append(d.alarms, alarm)
}

func limitLine(label string, value int) *awscloudwatch.HorizontalAnnotation {
	return &awscloudwatch.HorizontalAnnotation{Value: jsii.Number(float64(value)), Label: jsii.String(label)}
}

func (d *Dashboard) addChannel(ch ivs.IChannel, a DashboardAlarms) {
	name := *ch.Node().Id()
	video := ch.MetricIngestVideoBitrate(d.labelled("video"))
	// IVS publishes ingest metrics only while the channel is live, so
	// "some bitrate in the period" is the channel's stream state.
	live := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   jsii.String("IF(FILL(bitrate, 0) > 0, 1, 0)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{"bitrate": ch.MetricIngestVideoBitrate(d.opts())},
		Label:        jsii.String("live (1) or not (0)"),
		Period:       d.period,
	})
	var viewsLines []*awscloudwatch.HorizontalAnnotation
	if a.ConcurrentViewsPerChannel > 0 {
		viewsLines = append(viewsLines, limitLine("alarm", a.ConcurrentViewsPerChannel))
	}
	d.dashboard.AddWidgets(
		d.graph(name+": stream state", []awscloudwatch.IMetric{live}, nil),
		d.graph(name+": ingest bitrate", []awscloudwatch.IMetric{video, ch.MetricIngestAudioBitrate(d.labelled("audio"))}, nil),
		d.graph(name+": frame rate, keyframe interval",
			[]awscloudwatch.IMetric{ch.MetricIngestFramerate(d.labelled("frames per second"))},
			[]awscloudwatch.IMetric{ch.MetricKeyframeInterval(d.labelled("keyframe interval (s)"))}),
		d.graph(name+": viewers",
			[]awscloudwatch.IMetric{ch.MetricConcurrentViews(d.labelled("concurrent views"))},
			[]awscloudwatch.IMetric{ch.MetricLiveDeliveredTime(d.labelled("live delivered time (s)"))}, viewsLines...),
	)
	if floor := orDefault(a.IngestVideoBitrateFloor, DefaultIngestVideoBitrateFloor); floor > 0 {
		d.alarm(name+"IngestBitrateLow", &awscloudwatch.AlarmProps{
			Metric:             ch.MetricIngestVideoBitrate(d.opts()),
			Threshold:          jsii.Number(float64(floor)),
			ComparisonOperator: awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD,
			EvaluationPeriods:  jsii.Number(3),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
			AlarmDescription:   jsii.String(fmt.Sprintf("%s: the ingest video bitrate averaged under %d bits/s for 3 periods while live. Check the encoder's uplink and bitrate.", name, floor)),
		})
	}
	keyframe := a.KeyframeInterval
	if keyframe == 0 {
		keyframe = DefaultKeyframeInterval
	}
	if keyframe > 0 {
		d.alarm(name+"KeyframeIntervalHigh", &awscloudwatch.AlarmProps{
			Metric:             ch.MetricKeyframeInterval(d.opts()),
			Threshold:          jsii.Number(keyframe.Seconds()),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			EvaluationPeriods:  jsii.Number(3),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
			AlarmDescription:   jsii.String(fmt.Sprintf("%s: the keyframe interval averaged over %gs for 3 periods. IVS recommends 2 s (or 1 s): set the encoder's keyframe (IDR) interval.", name, keyframe.Seconds())),
		})
	}
	if a.ConcurrentViewsPerChannel > 0 {
		d.alarm(name+"ViewersHigh", &awscloudwatch.AlarmProps{
			Metric:             ch.MetricConcurrentViews(d.opts()),
			Threshold:          jsii.Number(float64(a.ConcurrentViewsPerChannel)),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			EvaluationPeriods:  jsii.Number(1),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
			AlarmDescription:   jsii.String(fmt.Sprintf("%s: more than %d concurrent views.", name, a.ConcurrentViewsPerChannel)),
		})
	}
}

func (d *Dashboard) addStage(st ivs.IStage) {
	name := *st.Node().Id()
	d.dashboard.AddWidgets(
		d.graph(name+": participants", []awscloudwatch.IMetric{
			st.MetricPublishers(d.labelled("publishers")), st.MetricSubscribers(d.labelled("subscribers")),
		}, nil),
		d.graph(name+": bitrate", []awscloudwatch.IMetric{
			st.MetricPublishBitrate(d.labelled("publish")), st.MetricSubscribeBitrate(d.labelled("subscribe")),
		}, nil),
		d.graph(name+": quality (%)", []awscloudwatch.IMetric{
			st.MetricDroppedFrames(d.labelled("dropped frames")), st.MetricDownloadPacketLoss(d.labelled("download packet loss")),
		}, nil),
	)
}

func (d *Dashboard) addAccount(props *DashboardProps, a DashboardAlarms) {
	var widgets []awscloudwatch.IWidget
	if len(props.Channels) > 0 {
		streams := ivs.MetricAccountConcurrentStreams(d.labelled("live streams"))
		var lines []*awscloudwatch.HorizontalAnnotation
		if a.ConcurrentStreamsQuota > 0 {
			lines = append(lines, limitLine("quota", a.ConcurrentStreamsQuota))
			d.alarm("ConcurrentStreamsNearQuota", &awscloudwatch.AlarmProps{
				Metric:             ivs.MetricAccountConcurrentStreams(d.opts()),
				Threshold:          jsii.Number(QuotaAlarmShare * float64(a.ConcurrentStreamsQuota)),
				ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
				EvaluationPeriods:  jsii.Number(1),
				TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
				AlarmDescription:   jsii.String(fmt.Sprintf("The account's live streams reached %g%% of its quota of %d concurrent streams: ask for more in Service Quotas.", 100*QuotaAlarmShare, a.ConcurrentStreamsQuota)),
			})
		}
		widgets = append(widgets,
			d.graph("Account: live streams", []awscloudwatch.IMetric{
				streams, ivs.MetricAccountConcurrentStreamsByHealth(ivs.StreamHealthStarving, d.labelled("starving")),
			}, nil, lines...),
			d.graph("Account: viewers", []awscloudwatch.IMetric{ivs.MetricAccountConcurrentViews(d.labelled("concurrent views"))}, nil),
		)
	}
	if len(props.Stages) > 0 {
		widgets = append(widgets, d.graph("Account: real-time", []awscloudwatch.IMetric{
			ivs.MetricAccountConcurrentPublishers(d.labelled("publishers")),
			ivs.MetricAccountConcurrentSubscriptions(d.labelled("subscriptions")),
		}, nil))
	}
	if len(widgets) > 0 {
		d.dashboard.AddWidgets(widgets...)
	}
}

// reviewed is a room that can tell its message review handler
// (ivschat.Room).
type reviewed interface {
	ReviewHandler() awslambda.IFunction
}

func (d *Dashboard) addChat(rooms []ivschat.IRoom, a DashboardAlarms) {
	var lines []*awscloudwatch.HorizontalAnnotation
	if quota := orDefault(a.ConcurrentChatConnectionsQuota, ivschat.DefaultConcurrentChatConnectionsQuota); quota > 0 {
		lines = append(lines, limitLine("quota", quota))
		d.alarm("ChatConnectionsNearQuota", &awscloudwatch.AlarmProps{
			Metric:             ivschat.MetricConcurrentChatConnections(d.opts()),
			Threshold:          jsii.Number(QuotaAlarmShare * float64(quota)),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			EvaluationPeriods:  jsii.Number(1),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
			AlarmDescription:   jsii.String(fmt.Sprintf("The account's chat connections reached %g%% of its quota of %d: ask for more in Service Quotas.", 100*QuotaAlarmShare, quota)),
		})
	}
	widgets := []awscloudwatch.IWidget{
		d.graph("Chat: connections", []awscloudwatch.IMetric{ivschat.MetricConcurrentChatConnections(d.labelled("connections"))}, nil, lines...),
		d.graph("Chat: messaging", []awscloudwatch.IMetric{
			ivschat.MetricMessagingRequests(d.labelled("requests")), ivschat.MetricMessagingDeliveries(d.labelled("deliveries")),
		}, nil),
	}
	// Per reviewed room, its verdicts, as ivscdk's chatmoderation handler
	// publishes them (IVS Chat counts none per room).
	for _, room := range rooms {
		if r, ok := room.(reviewed); ok && r.ReviewHandler() != nil {
			widgets = append(widgets, d.graph(*room.Node().Id()+": messages reviewed", []awscloudwatch.IMetric{
				ivschat.MetricMessagesAllowed(room, d.labelled("allowed")),
				ivschat.MetricMessagesDenied(room, d.labelled("denied")),
				ivschat.MetricReviewFallbacks(room, d.labelled("fallbacks")),
			}, nil))
		}
	}
	// Rooms may share a handler: one widget and alarm pair per handler.
	seen := map[awslambda.IFunction]bool{}
	for _, room := range rooms {
		r, ok := room.(reviewed)
		if !ok || r.ReviewHandler() == nil || seen[r.ReviewHandler()] {
			continue
		}
		handler := r.ReviewHandler()
		seen[handler] = true
		name := *room.Node().Id()
		widgets = append(widgets, d.graph(name+": message review errors", []awscloudwatch.IMetric{
			ivschat.MetricReviewHandlerInvocationErrors(handler, d.labelled("invocation errors")),
			ivschat.MetricReviewHandlerResponseValidationErrors(handler, d.labelled("invalid answers")),
		}, nil))
		for _, m := range []struct {
			id, what string
			metric   awscloudwatch.Metric
		}{
			{"ReviewInvocationErrors", "could not invoke", ivschat.MetricReviewHandlerInvocationErrors(handler, d.opts())},
			{"ReviewInvalidAnswers", "found invalid answers of", ivschat.MetricReviewHandlerResponseValidationErrors(handler, d.opts())},
		} {
			d.alarm(name+m.id, &awscloudwatch.AlarmProps{
				Metric:             m.metric,
				Threshold:          jsii.Number(1),
				ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
				EvaluationPeriods:  jsii.Number(1),
				TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
				AlarmDescription:   jsii.String(fmt.Sprintf("%s: IVS Chat %s the message review handler; those messages got the room's fallback result.", name, m.what)),
			})
		}
	}
	d.dashboard.AddWidgets(widgets...)
}

// addStreamFailures sends the channels' "Stream Failure" events (IVS
// Low-Latency user guide, "Using Amazon EventBridge with IVS") to the
// topic, and alarms on the rule's invocations.
func (d *Dashboard) addStreamFailures(channels []ivs.IChannel) {
	arns := make([]*string, len(channels))
	for i, ch := range channels {
		arns[i] = ch.ChannelArn()
	}
	rule := l2.Rule(d, "StreamFailures", ivs.EventSource, "IVS Stream State Change", arns, &awsevents.OnEventOptions{
		EventPattern: &awsevents.EventPattern{Detail: &map[string]any{"event_name": []string{"Stream Failure"}}},
		Description:  jsii.String("A stream of the dashboard's channels failed."),
		Target:       awseventstargets.NewSnsTopic(d.alarmTopic, nil),
	})
	d.alarm("StreamFailure", &awscloudwatch.AlarmProps{
		Metric: awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/Events"), MetricName: jsii.String("Invocations"),
			DimensionsMap: &map[string]*string{"RuleName": rule.RuleName()},
			Statistic:     jsii.String("Sum"), Period: d.period,
		}),
		Threshold:          jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		EvaluationPeriods:  jsii.Number(1),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		AlarmDescription:   jsii.String("A stream of the dashboard's channels failed (IVS Stream State Change, Stream Failure): the event, with its reason, went to the alarm topic."),
	})
}

// orDefault is v, or def when v is 0.
func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
