package ivs

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3notifications"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// The defaults and limits of RecordingLibraryProps.
const (
	// DefaultReconcileInterval is how often the index is reconciled with
	// the bucket.
	DefaultReconcileInterval = time.Hour
	// DefaultReconcileLookback is how far back each reconcile looks:
	// IVS starts a new prefix after 48 hours of merged broadcasts (IVS
	// Low-Latency User Guide, "Auto-Record to Amazon S3", Merge
	// Fragmented Streams), and its events may come hours late.
	DefaultReconcileLookback = 48 * time.Hour
	// RecordingsPrefix is where IVS writes every recording in a bucket
	// (ivs/v1/<account>/<channel>/…).
	RecordingsPrefix = "ivs/"
)

// RecordingLibraryProps configures a RecordingLibrary.
type RecordingLibraryProps struct {
	// Bucket holds the recordings: the bucket of the channels' recording
	// configuration. Its objects under ivs/ are indexed. Required.
	Bucket awss3.IBucket
	// Retention deletes each recording that long after it started: a
	// lifecycle rule on the bucket's ivs/ objects (whole days; the
	// bucket must be defined in this app) and the index entries' time to
	// live. Default: recordings are kept.
	Retention time.Duration
	// ReconcileInterval is how often the index is compared with the
	// bucket, to find the recordings whose notifications were lost: 5
	// minutes to 24 hours, in whole minutes. Default
	// DefaultReconcileInterval.
	ReconcileInterval time.Duration
	// ReconcileLookback is how far back each reconcile looks: at least
	// ReconcileInterval, at most 31 days. Default
	// DefaultReconcileLookback.
	ReconcileLookback time.Duration
	// RemovalPolicy of the index table. Default: the CDK's for a table,
	// RETAIN (the reconcile rebuilds only the lookback window).
	RemovalPolicy awscdk.RemovalPolicy
	// Code is your own build of the index function
	// (github.com/ivscdk/ivscdk/lambda/recordingindex). Default: built
	// with golambda at synthesis.
	Code awslambda.Code
}

// RecordingLibrary keeps an index of the IVS recordings in a bucket, so
// that people can find and watch past broadcasts: a DynamoDB table with
// one entry per recording (keyed by channel and start time: state,
// length, renditions, playlists and thumbnails, read from the metadata
// files IVS writes), kept by a function that S3 notifications on the
// metadata files and "IVS Recording State Change" events wake, and that a
// schedule runs to reconcile the index with the bucket. The S3 objects
// are the truth and events are hints: a notification that comes twice,
// late, out of order or never leaves the index right
// (handler/recordingindex says how).
type RecordingLibrary struct {
	l2.Construct // first field: see l2.Construct
	table        awsdynamodb.Table
	function     awslambda.Function
}

// NewRecordingLibrary defines the library: the index table, the index
// function, the bucket's notifications, the event rule, the reconcile
// schedule and, with Retention, the lifecycle rule.
func NewRecordingLibrary(scope constructs.Construct, id string, props *RecordingLibraryProps) *RecordingLibrary {
	if props == nil {
		props = &RecordingLibraryProps{}
	}
	l := &RecordingLibrary{}
	l2.NewResource(l, &l.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	interval, lookback := props.ReconcileInterval, props.ReconcileLookback
	if interval == 0 {
		interval = DefaultReconcileInterval
	}
	if lookback == 0 {
		lookback = DefaultReconcileLookback
	}
	switch {
	case interval < 5*time.Minute || interval > 24*time.Hour || interval%time.Minute != 0:
		problems.Addf("ReconcileInterval %s is invalid: give whole minutes from 5m to 24h", props.ReconcileInterval)
	case lookback < interval || lookback > 31*24*time.Hour:
		problems.Addf("ReconcileLookback %s is invalid: give at least ReconcileInterval (%s) and at most 31 days (744h)", lookback, interval)
	}
	retentionDays := 0
	if props.Retention != 0 {
		day := 24 * time.Hour
		if props.Retention < day || props.Retention%day != 0 {
			problems.Addf("Retention %s is invalid: give whole days (24h, 720h), at least one; S3 lifecycle rules expire objects by days", props.Retention)
		} else {
			retentionDays = int(props.Retention / day)
		}
	}

	var ttl *string
	if retentionDays > 0 {
		ttl = jsii.String(wire.RecordingAttrExpiresAt)
	}
	l.table = awsdynamodb.NewTable(l, jsii.String("Index"), &awsdynamodb.TableProps{
		PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String(wire.RecordingAttrChannel), Type: awsdynamodb.AttributeType_STRING},
		SortKey:             &awsdynamodb.Attribute{Name: jsii.String(wire.RecordingAttrStart), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		TimeToLiveAttribute: ttl,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true)},
		RemovalPolicy: props.RemovalPolicy, // "" is the CDK's default
	})

	if props.Bucket == nil {
		problems.Addf("Bucket is required: give the bucket of the channels' recording configuration")
		problems.Report(l)
		return l
	}
	config := map[string]any{"bucket": props.Bucket.BucketName(), "table": l.table.TableName(),
		"lookback": lookback.String()}
	if retentionDays > 0 {
		config["retention"] = props.Retention.String()
	}
	l.function = lambdafn.New(l, &problems, props.Code, "recordingindex",
		"ivscdk: keeps the index of the IVS recordings in a bucket", time.Minute,
		map[string]*string{wire.RecordingIndexEnvConfig: awscdk.Stack_Of(l).ToJsonString(config, nil)})
	// It reads the recordings' metadata files and lists their folders,
	// and writes and reads the index; nothing else.
	l.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("s3:GetObject"),
		Resources: jsii.Strings(*props.Bucket.ArnForObjects(jsii.String(RecordingsPrefix + "*"))),
	}))
	l.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("s3:ListBucket"),
		Resources:  &[]*string{props.Bucket.BucketArn()},
		Conditions: &map[string]any{"StringLike": map[string]any{"s3:prefix": RecordingsPrefix + "*"}},
	}))
	l.table.Grant(l.function, jsii.String("dynamodb:PutItem"), jsii.String("dynamodb:Query"))
	if policy, ok := l.function.Role().Node().TryFindChild(jsii.String("DefaultPolicy")).(awsiam.Policy); ok {
		// cdk-nag names the finding by the bucket's logical ID in this
		// stack; an imported bucket's ARN is a literal.
		finding := fmt.Sprintf("Resource::%s/%s*", *props.Bucket.BucketArn(), RecordingsPrefix)
		if cfn, ok := props.Bucket.Node().DefaultChild().(awscdk.CfnElement); ok {
			finding = fmt.Sprintf("Resource::<%s.Arn>/%s*", *awscdk.Stack_Of(cfn).GetLogicalId(cfn), RecordingsPrefix)
		}
		lambdafn.SuppressNag(policy.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM5",
			"The index function reads the metadata files of every recording under the bucket's ivs/ prefix, whose keys IVS makes.", finding)
	}

	// The metadata files (ivs/v1/…/events/*.json) wake the function; it
	// reads which recording they belong to, and that one's events folder.
	props.Bucket.AddEventNotification(awss3.EventType_OBJECT_CREATED, awss3notifications.NewLambdaDestination(l.function),
		&awss3.NotificationKeyFilter{Prefix: jsii.String(RecordingsPrefix + "v1/"), Suffix: jsii.String(".json")})
	suppressNotificationsFunction(awscdk.Stack_Of(props.Bucket))
	// IVS's own events about the bucket's recordings are a second hint.
	awsevents.NewRule(l, jsii.String("RecordingStateChange"), &awsevents.RuleProps{
		Description: jsii.String("ivscdk: IVS recording state changes of the recordings bucket, to the recording index"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.ivs"),
			DetailType: jsii.Strings("IVS Recording State Change"),
			Detail:     &map[string]any{"recording_s3_bucket_name": []any{props.Bucket.BucketName()}},
		},
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(l.function, nil)},
	})
	awsevents.NewRule(l, jsii.String("Reconcile"), &awsevents.RuleProps{
		Description: jsii.String("ivscdk: reconciles the recording index with the bucket, for notifications that were lost"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(interval.Minutes()))),
		Targets:     &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(l.function, nil)},
	})

	if retentionDays > 0 {
		if bucket, ok := props.Bucket.(awss3.Bucket); ok && bucket.Node().DefaultChild() != nil {
			bucket.AddLifecycleRule(&awss3.LifecycleRule{
				Id:         jsii.String("ivscdk-recording-retention"),
				Prefix:     jsii.String(RecordingsPrefix),
				Expiration: awscdk.Duration_Days(jsii.Number(float64(retentionDays))),
			})
		} else {
			problems.Addf("Retention needs the bucket defined in this app (an awss3.Bucket), to add its lifecycle rule; " +
				"for an imported bucket, add a rule expiring ivs/ yourself and leave Retention out")
		}
	}
	problems.Report(l)
	return l
}

// suppressNotificationsFunction records why cdk-nag's finding on the
// CDK's own function that sets a bucket's notifications (one per stack)
// does not apply.
func suppressNotificationsFunction(stack awscdk.Stack) {
	handler := stack.Node().TryFindChild(jsii.String("BucketNotificationsHandler050a0587b7544547bf325f094a3db834"))
	if handler == nil {
		return
	}
	if role := handler.Node().TryFindChild(jsii.String("Role")); role != nil {
		if cfn, ok := role.Node().DefaultChild().(awscdk.CfnResource); ok {
			lambdafn.SuppressNag(cfn, "AwsSolutions-IAM4",
				"The CDK's own function that sets the bucket's notifications at deploy time; it logs with the AWS managed basic execution policy.",
				"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
		}
	}
}

// Table returns the index table.
func (l *RecordingLibrary) Table() awsdynamodb.Table { return l.table }

// Function returns the index function (nil without a Bucket).
func (l *RecordingLibrary) Function() awslambda.Function { return l.function }

// GrantReadIndex lets grantee query the index (dynamodb:Query and
// GetItem), as a listing service of your own would.
func (l *RecordingLibrary) GrantReadIndex(grantee awsiam.IGrantable) awsiam.Grant {
	return l.table.Grant(grantee, jsii.String("dynamodb:Query"), jsii.String("dynamodb:GetItem"))
}
