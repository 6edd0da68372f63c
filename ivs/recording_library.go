package ivs

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3notifications"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudfront"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
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
	// live. With participant recordings, which IVS writes at the root
	// under each stage's ID, the rule covers every object of the bucket:
	// give the library a bucket of its own. Default: recordings are kept.
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

	// Channels are the channels whose recordings the endpoint lists and
	// plays. Default: none, and no endpoint (the index only).
	Channels []IChannel
	// Stages are the stages whose individual participant recordings the
	// endpoint lists and plays, newest first, for callers with
	// CapabilityWatchStageRecordings (a grant for hosts; every caller of
	// an IAM endpoint): a stage has no public audience, so they are always
	// signed. Give the stages' storage configuration's bucket as Bucket.
	// Stages turn on ParticipantRecordings.
	Stages []IStage
	// ParticipantRecordings indexes the individual participant recordings
	// of every stage that records to Bucket, written at its root
	// (<stage>/<session>/<participant>/<timestamp>, IVS Real-Time User
	// Guide, "IVS Individual Participant Recording"): for stages made at
	// run time, which Stages cannot name. The index function then reads
	// the whole bucket and S3 notifies it of every .json object. Default:
	// true with Stages, else false (the ivs/ prefix only).
	ParticipantRecordings bool
	// Distribution serves the recordings and the endpoint: behaviours for
	// ivs/* and each stage's <stage ID>/* (the bucket, read through origin
	// access control) and /recordings* (the endpoint) are added to it. Give your page's
	// (webpage.Page.Distribution()), so that the page, its recordings and
	// the endpoint share an origin: the cookies are then first-party and
	// the player sends them with every request. Required with Channels.
	Distribution awscloudfront.Distribution
	// Authentication of the endpoint. Default: AWS IAM.
	Authentication EndpointAuthentication
	// CapabilityGrants give callers capabilities by JWT scope or claim:
	// CapabilityDeleteRecording for moderators,
	// CapabilityWatchStageRecordings for hosts. Needs JWTAuthentication.
	CapabilityGrants []CapabilityGrant
	// CookieLifetime is how long a watch's signed cookies (and the
	// listing's signed thumbnails) stay valid: 1 minute to 24 hours.
	// Default DefaultCookieLifetime.
	CookieLifetime time.Duration
	// CookieKey signs the cookies of authorized channels' recordings (and
	// of channels imported by ARN, which are taken as authorized) with
	// your own CloudFront key. Every request for the bucket's recordings
	// through Distribution then needs the cookies. Default: a
	// ManagedCookieKey (ManagedCookieKey, or one the library makes,
	// rotated every DefaultCookieKeyRotation).
	CookieKey *CookieKey
	// ManagedCookieKey signs the cookies instead, when several libraries
	// share one key or it needs settings of its own. Not with CookieKey.
	ManagedCookieKey *ManagedCookieKey
}

// CookieKey is a key that signs CloudFront cookies: the public half
// becomes an AWS::CloudFront::PublicKey in a key group the distribution
// trusts; the private half stays in a secret only the endpoint reads.
type CookieKey struct {
	// PublicKeyPem is the ECDSA P-256 public key, PEM ("PUBLIC KEY"), as
	// openssl ec -pubout writes it. A private key is refused.
	PublicKeyPem string
	// PrivateKeySecret holds the private half as PEM (PKCS #8 or SEC 1).
	PrivateKeySecret awssecretsmanager.ISecret
}

// CapabilityDeleteRecording lets a caller delete a recording, its objects
// and its index entry (RecordingLibraryProps.CapabilityGrants). A stage's
// recording needs CapabilityWatchStageRecordings as well.
const CapabilityDeleteRecording = wire.RecordingCapabilityDelete

// CapabilityWatchStageRecordings lets a caller list and watch the
// participant recordings of RecordingLibraryProps.Stages.
const CapabilityWatchStageRecordings = wire.RecordingCapabilityWatchStage

// DefaultCookieLifetime is how long a watch's cookies stay valid.
const DefaultCookieLifetime = 2 * time.Hour

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
	endpoint     awslambda.Function
	api          *tokenendpoint.API
	keyGroup     awscloudfront.IKeyGroup
	cookieKey    *ManagedCookieKey
	retention    time.Duration
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
			l.retention = props.Retention
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
	participants := props.ParticipantRecordings || len(props.Stages) > 0
	config := map[string]any{"bucket": props.Bucket.BucketName(), "table": l.table.TableName(),
		"lookback": lookback.String()}
	if participants {
		config["participants"] = true
	}
	if retentionDays > 0 {
		config["retention"] = props.Retention.String()
	}
	l.function = lambdafn.New(l, &problems, props.Code, "recordingindex",
		"ivscdk: keeps the index of the IVS recordings in a bucket", time.Minute,
		map[string]*string{wire.RecordingIndexEnvConfig: awscdk.Stack_Of(l).ToJsonString(config, nil)})
	// It reads the recordings' metadata files and lists their folders,
	// and writes and reads the index; nothing else.
	grantRecordings(l.function, props.Bucket, "s3:GetObject", participants)
	l.table.Grant(l.function, jsii.String("dynamodb:PutItem"), jsii.String("dynamodb:Query"))
	suppressRecordingsWildcard(l.function, props.Bucket, participants,
		"The index function reads the metadata files of every recording "+recordingsWhere(participants)+", whose keys IVS makes.")

	// The metadata files (ivs/v1/…/events/*.json, and a participant
	// recording's <stage>/…/events/*.json at the root) wake the function;
	// it reads which recording they belong to, and that one's events
	// folder.
	filter := &awss3.NotificationKeyFilter{Prefix: jsii.String(RecordingsPrefix + "v1/"), Suffix: jsii.String(".json")}
	detailTypes := []string{"IVS Recording State Change"}
	if participants {
		filter.Prefix = nil
		detailTypes = append(detailTypes, "IVS Participant Recording State Change")
	}
	props.Bucket.AddEventNotification(awss3.EventType_OBJECT_CREATED, awss3notifications.NewLambdaDestination(l.function), filter)
	lambdafn.SuppressNotificationsHandlerNag(awscdk.Stack_Of(props.Bucket))
	// IVS's own events about the bucket's recordings are a second hint.
	awsevents.NewRule(l, jsii.String("RecordingStateChange"), &awsevents.RuleProps{
		Description: jsii.String("ivscdk: IVS recording state changes of the recordings bucket, to the recording index"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.ivs"),
			DetailType: jsii.Strings(detailTypes...),
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
			rule := &awss3.LifecycleRule{
				Id:         jsii.String("ivscdk-recording-retention"),
				Prefix:     jsii.String(RecordingsPrefix),
				Expiration: awscdk.Duration_Days(jsii.Number(float64(retentionDays))),
			}
			if participants {
				rule.Prefix = nil // participant recordings are at the root, under stage IDs no rule can list ahead
			}
			bucket.AddLifecycleRule(rule)
		} else {
			problems.Addf("Retention needs the bucket defined in this app (an awss3.Bucket), to add its lifecycle rule; " +
				"for an imported bucket, add a rule expiring ivs/ yourself and leave Retention out")
		}
	}
	if len(props.Channels) > 0 || len(props.Stages) > 0 || props.Distribution != nil {
		l.serve(&problems, props)
	}
	problems.Report(l)
	return l
}

// serve defines the endpoint and adds the recordings and the endpoint to
// the distribution.
func (l *RecordingLibrary) serve(problems *check.Problems, props *RecordingLibraryProps) {
	if len(props.Channels)+len(props.Stages) == 0 || props.Distribution == nil {
		problems.Addf("Channels (or Stages) and Distribution go together: give the channels or stages whose recordings to serve and the distribution (your page's) to serve them from")
		return
	}
	lifetime := props.CookieLifetime
	if lifetime == 0 {
		lifetime = DefaultCookieLifetime
	}
	if lifetime < time.Minute || lifetime > 24*time.Hour {
		problems.Addf("CookieLifetime %s is invalid: give 1m to 24h", props.CookieLifetime)
	}
	signed := false
	var channels []map[string]any
	for i, c := range props.Channels {
		if c == nil {
			problems.Addf("Channels[%d] is nil", i)
			continue
		}
		authorized := true // an imported channel: taken as authorized (fail closed)
		if ch, ok := c.(*Channel); ok {
			authorized = ch.Authorized()
		}
		signed = signed || authorized
		channels = append(channels, map[string]any{"arn": c.ChannelArn(), "authorized": authorized})
	}
	var stages []map[string]any
	var stageIDs []*string
	for i, st := range props.Stages {
		if st == nil {
			problems.Addf("Stages[%d] is nil", i)
			continue
		}
		signed = true
		stages = append(stages, map[string]any{"arn": st.StageArn()})
		stageIDs = append(stageIDs, l2.ARNResourceID(st.StageArn()))
	}
	config := map[string]any{
		"authentication": props.Authentication.Kind(),
		"table":          l.table.TableName(),
		"bucket":         props.Bucket.BucketName(),
		"cookieLifetime": lifetime.String(),
		"grants": tokenendpoint.CheckGrants(problems, props.Authentication.settings(), props.CapabilityGrants,
			[]string{CapabilityDeleteRecording, CapabilityWatchStageRecordings}),
	}
	if channels != nil {
		config["channels"] = channels
	}
	if stages != nil {
		config["stages"] = stages
		checkStageWatchers(problems, props)
	}
	var readKey func(awsiam.IGrantable)
	if signed {
		readKey = l.cookieKeyFor(problems, props, config, lifetime)
	}
	l.endpoint = lambdafn.New(child(l, "Endpoint"), problems, nil, "recordinglist",
		"ivscdk: lists, plays and deletes IVS recordings", 10*time.Second,
		map[string]*string{wire.RecordingListEnvConfig: awscdk.Stack_Of(l).ToJsonString(config, nil)})
	l.table.Grant(l.endpoint, jsii.String("dynamodb:Query"), jsii.String("dynamodb:GetItem"), jsii.String("dynamodb:DeleteItem"))
	if readKey != nil {
		readKey(l.endpoint)
	}
	if grantsDelete(props.CapabilityGrants) {
		// Deleting: list and delete the recordings' objects.
		grantRecordings(l.endpoint, props.Bucket, "s3:DeleteObject", len(stages) > 0)
		suppressRecordingsWildcard(l.endpoint, props.Bucket, len(stages) > 0,
			"A moderator's delete removes every object of one recording "+recordingsWhere(len(stages) > 0)+", whose keys IVS makes.")
	}
	l.api = tokenendpoint.New(child(l, "Endpoint"), problems, tokenendpoint.Options{
		Description: "IVS recordings (ivscdk)",
		Function:    l.endpoint,
		Auth:        props.Authentication.settings(),
		Routes: []tokenendpoint.Route{
			{Path: wire.RecordingListPath, Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.HttpMethod_DELETE}},
			{Path: wire.RecordingWatchPath, Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET}},
		},
		LogRetention: FunctionLogRetention,
		RateLimit:    50, BurstLimit: 100,
		WarningID: WarningUnauthenticatedTokenEndpoint,
		Warning:   "anyone can list and watch these recordings (NoAuthentication); use IAMAuthentication or JWTAuthentication outside demos",
	})

	// The recordings, through origin access control: playlists (which
	// grow while a recording is in progress) for a second, the rest as
	// long as CloudFront likes.
	origin := awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(props.Bucket, nil)
	var keyGroups *[]interfacesawscloudfront.IKeyGroupRef
	if l.keyGroup != nil {
		keyGroups = &[]interfacesawscloudfront.IKeyGroupRef{l.keyGroup}
	}
	playlists := awscloudfront.NewCachePolicy(l, jsii.String("Playlists"), &awscloudfront.CachePolicyProps{
		Comment:    jsii.String("ivscdk: HLS playlists of recordings, which grow while recording"),
		DefaultTtl: awscdk.Duration_Seconds(jsii.Number(1)),
		MinTtl:     awscdk.Duration_Seconds(jsii.Number(0)),
		MaxTtl:     awscdk.Duration_Seconds(jsii.Number(2)),
	})
	// The channels' recordings under ivs/, each stage's participant
	// recordings under its ID at the root.
	var folders []*string
	if len(channels) > 0 {
		folders = append(folders, jsii.String(RecordingsPrefix))
	}
	for _, id := range stageIDs {
		folders = append(folders, awscdk.Fn_Join(jsii.String(""), &[]*string{id, jsii.String("/")}))
	}
	for _, folder := range folders {
		props.Distribution.AddBehavior(awscdk.Fn_Join(jsii.String(""), &[]*string{folder, jsii.String("*.m3u8")}), origin, &awscloudfront.AddBehaviorOptions{
			ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
			CachePolicy:          playlists,
			TrustedKeyGroups:     keyGroups,
		})
		props.Distribution.AddBehavior(awscdk.Fn_Join(jsii.String(""), &[]*string{folder, jsii.String("*")}), origin, &awscloudfront.AddBehaviorOptions{
			ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
			CachePolicy:          awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			TrustedKeyGroups:     keyGroups,
		})
	}
	// The endpoint, on the same origin: never cached, every method, the
	// caller's headers (its token) passed on.
	apiDomain := awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), l.api.HttpApi().ApiEndpoint(), nil))
	props.Distribution.AddBehavior(jsii.String(strings.TrimPrefix(wire.RecordingListPath, "/")+"*"),
		awscloudfrontorigins.NewHttpOrigin(apiDomain, &awscloudfrontorigins.HttpOriginProps{
			ProtocolPolicy: awscloudfront.OriginProtocolPolicy_HTTPS_ONLY}),
		&awscloudfront.AddBehaviorOptions{
			ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
			AllowedMethods:       awscloudfront.AllowedMethods_ALLOW_ALL(),
			CachePolicy:          awscloudfront.CachePolicy_CACHING_DISABLED(),
			OriginRequestPolicy:  awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
		})
}

// checkStageWatchers refuses Stages that nobody could watch: the endpoint
// gives CapabilityWatchStageRecordings to every IAM caller, and to JWT
// callers only by a grant.
func checkStageWatchers(problems *check.Problems, props *RecordingLibraryProps) {
	switch props.Authentication.Kind() {
	case wire.AuthNone:
		problems.Addf("Stages need IAMAuthentication or JWTAuthentication: a stage's participant recordings are for its hosts, not for anyone (NoAuthentication)")
	case wire.AuthJWT:
		for _, g := range props.CapabilityGrants {
			if slices.Contains(g.Capabilities, CapabilityWatchStageRecordings) {
				return
			}
		}
		problems.Addf("Stages with JWTAuthentication need a CapabilityGrant of CapabilityWatchStageRecordings (your hosts' group or scope): without one nobody may watch the stages' recordings")
	}
}

// grantsDelete tells whether a grant gives CapabilityDeleteRecording.
func grantsDelete(grants []CapabilityGrant) bool {
	for _, g := range grants {
		if slices.Contains(g.Capabilities, CapabilityDeleteRecording) {
			return true
		}
	}
	return false
}

// cookieKeyFor sets up the key that signs the cookies (the team's own
// CookieKey, or a managed one), writes it into the endpoint's config, and
// returns how to let the endpoint read it.
func (l *RecordingLibrary) cookieKeyFor(problems *check.Problems, props *RecordingLibraryProps, config map[string]any, lifetime time.Duration) func(awsiam.IGrantable) {
	switch {
	case props.CookieKey != nil && props.ManagedCookieKey != nil:
		problems.Addf("CookieKey and ManagedCookieKey both set: give one key to sign the cookies")
		return nil
	case props.CookieKey != nil:
		own := props.CookieKey
		if own.PrivateKeySecret == nil {
			problems.Addf("CookieKey.PrivateKeySecret is nil: give the secret holding the private half of your CloudFront ECDSA P-256 key")
			return nil
		}
		if _, err := cfcookie.ParsePublicKeyPEM([]byte(own.PublicKeyPem)); err != nil {
			problems.Addf("CookieKey.PublicKeyPem: %s", strings.TrimPrefix(err.Error(), "cfcookie: "))
			return nil
		}
		publicKey := awscloudfront.NewPublicKey(l, jsii.String("CookiePublicKey"), &awscloudfront.PublicKeyProps{
			EncodedKey: jsii.String(own.PublicKeyPem),
			Comment:    jsii.String("ivscdk: signs the cookies of the recordings of " + *l.Node().Path()),
		})
		l.keyGroup = awscloudfront.NewKeyGroup(l, jsii.String("CookieKeys"), &awscloudfront.KeyGroupProps{
			Items:   &[]interfacesawscloudfront.IPublicKeyRef{publicKey},
			Comment: jsii.String("ivscdk: the keys of the recordings' signed cookies"),
		})
		config["secretArn"] = own.PrivateKeySecret.SecretArn()
		config["keyPairId"] = publicKey.PublicKeyId()
		return func(g awsiam.IGrantable) { own.PrivateKeySecret.GrantRead(g, nil) }
	}
	key := props.ManagedCookieKey
	if key == nil {
		key = NewManagedCookieKey(l, "CookieKey", &ManagedCookieKeyProps{RotationInterval: DefaultCookieKeyRotation})
	}
	l.cookieKey, l.keyGroup = key, key.KeyGroup()
	// A rotated-out key must stay trusted while cookies signed with it
	// live, and while the endpoint may still sign with it from its cache.
	key.signsFor(*l.Node().Path(), lifetime+wire.RecordingKeyCacheTTL)
	config["secretArn"] = key.Secret().SecretArn()
	config["keyNamePrefix"] = key.KeyGroupName()
	return func(g awsiam.IGrantable) {
		key.GrantReadPrivateKey(g)
		// The endpoint finds the current version's public key ID by name;
		// CloudFront's ListPublicKeys has no resource type to scope it to.
		fn := g.(awslambda.Function)
		fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("cloudfront:ListPublicKeys"), Resources: jsii.Strings("*"),
		}))
		policy := fn.Role().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
		lambdafn.SuppressNag(policy, "AwsSolutions-IAM5",
			"cloudfront:ListPublicKeys has no resource type in the Service Authorization Reference; the endpoint lists "+
				"the public keys to find the ID of its cookie key's current version (it reads no key material there).", "Resource::*")
	}
}

// CookieKey returns the managed key that signs the cookies, or nil (no
// authorized channel, or a CookieKey of your own).
func (l *RecordingLibrary) CookieKey() *ManagedCookieKey { return l.cookieKey }

// child returns the child scope id of l, made once.
func child(l *RecordingLibrary, id string) constructs.Construct {
	if c := l.Node().TryFindChild(jsii.String(id)); c != nil {
		return c.(constructs.Construct)
	}
	return constructs.NewConstruct(l, jsii.String(id))
}

// Url returns the endpoint's API Gateway URL (nil without Channels);
// through the distribution it is /recordings on the distribution's domain.
func (l *RecordingLibrary) Url() *string {
	if l.api == nil {
		return nil
	}
	return l.api.Url()
}

// GrantInvoke lets grantee call the endpoint (IAM authentication).
func (l *RecordingLibrary) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	if l.api == nil {
		return awsiam.Grant_Drop(grantee, jsii.String("the recording library has no endpoint (no Channels)"))
	}
	return l.api.GrantInvoke(grantee)
}

// grantRecordings lets fn do objectAction on the bucket's recordings
// (ivs/*) and list them (s3:ListBucket under ivs/ only); with
// participants, on every object and the whole listing, as participant
// recordings are at the root under their stages' IDs.
func grantRecordings(fn awslambda.Function, bucket awss3.IBucket, objectAction string, participants bool) {
	pattern := recordingsPattern(participants)
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(objectAction),
		Resources: jsii.Strings(*bucket.ArnForObjects(jsii.String(pattern))),
	}))
	list := &awsiam.PolicyStatementProps{Actions: jsii.Strings("s3:ListBucket"), Resources: &[]*string{bucket.BucketArn()}}
	if !participants {
		list.Conditions = &map[string]any{"StringLike": map[string]any{"s3:prefix": pattern}}
	}
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(list))
}

// recordingsWhere says where the recordings are, for cdk-nag reasons.
func recordingsWhere(participants bool) string {
	if participants {
		return "in the bucket (a channel's under ivs/, a stage's participant recordings at the root under the stage's ID)"
	}
	return "under the bucket's ivs/ prefix"
}

// recordingsPattern is the keys of the recordings: ivs/*, or every key
// with participant recordings.
func recordingsPattern(participants bool) string {
	if participants {
		return "*"
	}
	return RecordingsPrefix + "*"
}

// suppressRecordingsWildcard records why fn's policy names every object
// of the recordings (cdk-nag IAM5): IVS makes the keys.
func suppressRecordingsWildcard(fn awslambda.Function, bucket awss3.IBucket, participants bool, reason string) {
	policy, ok := fn.Role().Node().TryFindChild(jsii.String("DefaultPolicy")).(awsiam.Policy)
	if !ok {
		return
	}
	// cdk-nag names the finding by the bucket's logical ID in this
	// stack; an imported bucket's ARN is a literal.
	pattern := recordingsPattern(participants)
	finding := fmt.Sprintf("Resource::%s/%s", *bucket.BucketArn(), pattern)
	if cfn, ok := bucket.Node().DefaultChild().(awscdk.CfnElement); ok {
		finding = fmt.Sprintf("Resource::<%s.Arn>/%s", *awscdk.Stack_Of(cfn).GetLogicalId(cfn), pattern)
	}
	lambdafn.SuppressNag(policy.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM5", reason, finding)
}

// Table returns the index table.
func (l *RecordingLibrary) Table() awsdynamodb.Table { return l.table }

// Retention returns how long the index keeps an entry after its
// recording started (RecordingLibraryProps.Retention; 0: for good).
func (l *RecordingLibrary) Retention() time.Duration { return l.retention }

// GrantKeepEvidence lets grantee write moderation evidence to the index,
// as ivsops.VideoModeration does: dynamodb:PutItem on the evidence
// partitions only ("moderation#<channel ID>", by the dynamodb:LeadingKeys
// condition key), so that it cannot touch a recording's entry.
func (l *RecordingLibrary) GrantKeepEvidence(grantee awsiam.IGrantable) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("dynamodb:PutItem"), ResourceArns: jsii.Strings(*l.table.TableArn()),
		Conditions: &map[string]*map[string]any{"ForAllValues:StringLike": {"dynamodb:LeadingKeys": []string{wire.RecordingEvidencePartitionPrefix + "*"}}},
	})
}

// Function returns the index function (nil without a Bucket).
func (l *RecordingLibrary) Function() awslambda.Function { return l.function }

// GrantReadIndex lets grantee query the index (dynamodb:Query and
// GetItem), as a listing service of your own would.
func (l *RecordingLibrary) GrantReadIndex(grantee awsiam.IGrantable) awsiam.Grant {
	return l.table.Grant(grantee, jsii.String("dynamodb:Query"), jsii.String("dynamodb:GetItem"))
}
