// Command realtime-stage is an IVS real-time stage people can join, with no
// key handling: every publishing participant recorded to a new S3 bucket, a
// managed IVS public key (generated inside the account, rotated every 30
// days, the private half only ever in AWS Secrets Manager), an
// authenticated HTTPS endpoint that hands out self-signed participant
// tokens carrying the stage's endpoints, an index of the recordings
// (ivs.RecordingLibrary), and an EventBridge rule for participants
// publishing and leaving.
//
//	go run .     # in this folder: writes the template to cdk.out/
//
// By default the stack also creates an Amazon Cognito user pool (with a
// "hosts" group) and a join page on CloudFront (output PageUrl): its users
// sign in there and join, each token's user ID being their "sub" claim;
// hosts also find every publisher's recording there, and watch it.
// The CDK context chooses otherwise (see signin.AccessFromContext): -c cognito=false makes
// the endpoint take AWS IAM-signed requests (from your backend), -c
// invokerRoleArn=<role ARN> also lets that role call it, and -c
// jwtIssuer=<URL> -c jwtAudience=<client ID> takes the ID tokens of your
// own OpenID Connect provider; the last two deploy no page. See README.md.
//
// This folder imports only public ivscdk packages: copy it into your own
// module and run it there. See README.md.
package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/signin"
)

// main synthesizes the app (cdkapp.Main prints its warnings and errors,
// and what it wrote where).
func main() {
	cdkapp.Main(func(app awscdk.App) {
		a, err := signin.AccessFromContext(app)
		if err != nil {
			panic(err)
		}
		props := &RealtimeStageProps{CognitoUsers: a.Cognito, InvokerRoleArn: a.InvokerRoleArn}
		if a.OwnProvider() {
			props.Authentication = ivs.JWTAuthentication(a.Issuer, a.Audience)
			props.UserIDClaim = "sub"
			props.HostsGroup = "hosts"
		}
		NewRealtimeStageStack(app, "IvsRealtimeStage", props)
	})
}

// RealtimeStageProps configures the stack. The zero value is a complete
// stack whose token endpoint takes IAM-signed requests.
type RealtimeStageProps struct {
	awscdk.StackProps
	// Authentication of the token endpoint. Default: AWS IAM.
	Authentication ivs.EndpointAuthentication
	// UserIDClaim puts this JWT claim into each token as the user ID
	// (needs JWT authentication). Default: none.
	UserIDClaim string
	// HostsGroup, with JWT authentication, lets only members of this
	// group (the cognito:groups claim) publish; everyone else may only
	// watch. Default: every caller may publish.
	HostsGroup string
	// CognitoUsers creates an Amazon Cognito user pool (with a "hosts"
	// group) and the join page its users sign in on; it sets the
	// authentication, UserIDClaim "sub" and HostsGroup "hosts".
	// Default: false (main turns it on unless the CDK context chooses
	// otherwise).
	CognitoUsers bool
	// InvokerRoleArn names an IAM role of this account that may call the
	// endpoint (IAM authentication; your backend's role). Default: none.
	InvokerRoleArn string
}

// NewRealtimeStageStack defines the stack.
func NewRealtimeStageStack(scope constructs.Construct, id string, props *RealtimeStageProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	// A dedicated bucket, TLS only. IVS adds its own statement to this
	// bucket's policy when the storage configuration is made; as the stack
	// manages the policy too (EnforceSSL, and the page's CloudFront reading
	// the recordings), the storage configuration keeps IVS's documented
	// write statement in it, so that no update drops IVS's access. Who
	// reads or writes it is logged to a second bucket.
	accessLogs := awss3.NewBucket(stack, jsii.String("RecordingsAccessLogs"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
	})
	cdkapp.SuppressNag(accessLogs, "AwsSolutions-S1", "This bucket receives the recordings bucket's access logs; logging it would log the logs.")
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:             jsii.Bool(true),
		ServerAccessLogsBucket: accessLogs,
		ServerAccessLogsPrefix: jsii.String("recordings/"),
	})
	storage := ivs.NewStorageConfiguration(stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})
	stage := ivs.NewStage(stack, "Stage", &ivs.StageProps{
		AutoParticipantRecording: &ivs.AutoParticipantRecording{
			StorageConfiguration: storage,
			ReconnectWindow:      60 * time.Second,
		},
	})

	// The signing key is generated in the account and rotated monthly;
	// nobody ever handles it. The endpoint signs hosts' tokens with it and
	// puts the stage's events and whip endpoints in each (read with
	// GetStage and cached).
	key := ivs.NewManagedPublicKey(stack, "ParticipantKey", &ivs.ManagedPublicKeyProps{
		RotationInterval: 30 * 24 * time.Hour,
	})
	authentication, userIDClaim, hostsGroup := props.Authentication, props.UserIDClaim, props.HostsGroup
	var tokens *ivs.ParticipantTokenEndpoint
	var sessions *ivs.StageSessions
	var allowedOrigins []string
	// The recordings' index: every publisher's recording, from the files
	// IVS writes (notifications and events are hints; a schedule
	// reconciles), each recording and its entry deleted after 90 days.
	// Without the page it is the index only, for a service of your own
	// (GrantReadIndex).
	library := &ivs.RecordingLibraryProps{Bucket: bucket, ParticipantRecordings: true, Retention: 90 * 24 * time.Hour}
	if props.CognitoUsers {
		// The join page: signed-in users join from it (the endpoint's CORS
		// names it). Its settings are read when the app synthesizes.
		var u *signin.Users
		page := stagePage(stack, func() *string { return tokens.Url() }, func() *string { return sessions.Url() },
			func() *string { return u.SignInURL() }, func() *string { return u.Client().UserPoolClientId() }, stage.StageArn)
		u = signin.NewUsers(stack, "Users", &signin.UsersProps{PageURL: page.Url(), Groups: []string{"hosts", "moderators"}, RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
		u.AddOutputs(stack)
		authentication, userIDClaim, hostsGroup, allowedOrigins = u.Authentication(), "sub", "hosts", []string{*page.Origin()}
		awscdk.NewCfnOutput(stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url(),
			Description: jsii.String("open this page, sign in and join the stage")})
		// Hosts watch the recordings on the page, through its own
		// distribution: signed cookies for one recording at a time.
		library.Stages, library.Distribution = []ivs.IStage{stage}, page.Distribution()
		library.Authentication = authentication
		library.CapabilityGrants = []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: hostsGroup,
			Capabilities: []string{ivs.CapabilityWatchStageRecordings}}}
	}
	recordings := ivs.NewRecordingLibrary(stack, "Library", library)
	// Every caller may publish and subscribe; with a hosts group, only its
	// members may publish.
	capabilities := []string{ivs.CapabilityPublish, ivs.CapabilitySubscribe}
	var grants []ivs.CapabilityGrant
	if hostsGroup != "" {
		capabilities = []string{ivs.CapabilitySubscribe}
		grants = []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: hostsGroup, Capabilities: []string{ivs.CapabilityPublish}}}
	}
	tokens = ivs.NewParticipantTokenEndpoint(stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		AllowedOrigins:   allowedOrigins,
		Stages:           []ivs.IStage{stage},
		PublicKey:        key,
		Capabilities:     capabilities,
		CapabilityGrants: grants,
		TokenLifetime:    2 * time.Hour,
		Authentication:   authentication,
		UserIDClaim:      userIDClaim,
	})
	if props.InvokerRoleArn != "" {
		signin.GrantInvoke(stack, tokens, props.InvokerRoleArn)
	}

	// Shows: with signed-in users (JWT) and a hosts group, a host opens a session of their
	// own (a new stage, deleted when idle), others join it by its link,
	// a moderator removes a participant with a reason, and a host makes a
	// viewer a co-host without a reconnect (the same managed key signs).
	// While anyone publishes, the session is composed to a low-latency
	// channel for an audience larger than a stage holds, one session at a
	// time.
	if authentication.Kind() == "jwt" && hostsGroup != "" {
		channel := ivs.NewChannel(stack, "ShowChannel", &ivs.ChannelProps{})
		encoder := ivs.NewEncoderConfiguration(stack, "ShowEncoder", nil)
		grants := []ivs.CapabilityGrant{
			{Claim: "cognito:groups", Value: hostsGroup, Capabilities: []string{ivs.CapabilityHost}},
			{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{ivs.CapabilityModerate}},
		}
		sessions = ivs.NewStageSessions(stack, "Shows", &ivs.StageSessionsProps{
			Authentication:   authentication,
			CapabilityGrants: grants,
			UserIDClaim:      userIDClaim,
			AllowedOrigins:   allowedOrigins,
			PublicKey:        key,
			Broadcast:        &ivs.SessionBroadcast{Channel: channel, EncoderConfiguration: encoder},
		})
		awscdk.NewCfnOutput(stack, jsii.String("SessionsUrl"), &awscdk.CfnOutputProps{Value: sessions.Url(),
			Description: jsii.String("open, join and end shows (JWT)")})
		awscdk.NewCfnOutput(stack, jsii.String("ShowPlaybackUrl"), &awscdk.CfnOutputProps{Value: channel.ChannelPlaybackUrl(),
			Description: jsii.String("the show's audience watches here")})
	}

	updates := awssns.NewTopic(stack, jsii.String("StageUpdates"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	stage.OnStageUpdate("StageUpdate", &awsevents.OnEventOptions{
		Description: jsii.String("Participants publishing to and leaving the stage"),
		Target:      awseventstargets.NewSnsTopic(updates, nil),
	})

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("TokenUrl", tokens.Url(), "GET (IAM-signed, or with a JWT) for a participant token")
	output("StageArn", stage.StageArn(), "the stage")
	output("RecordingsBucket", bucket.BucketName(), "participant recordings land here")
	output("RecordingsIndex", recordings.Table().TableName(), "the recordings' index (DynamoDB)")
	output("StageUpdatesTopicArn", updates.TopicArn(), "subscribe to participant events")
	return stack
}
