package ivs

import (
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// The capabilities of StageSessionsProps.CapabilityGrants.
const (
	// CapabilityHost lets a caller open a session (and publish in any).
	CapabilityHost = wire.StageSessionsCapabilityHost
	// CapabilityModerate lets a caller remove a participant, with a
	// reason, and end anyone's session.
	CapabilityModerate = wire.StageSessionsCapabilityModerate
)

// The defaults of StageSessionsProps.
const (
	DefaultSessionIdleAfter     = 30 * time.Minute
	DefaultSessionSweepInterval = 5 * time.Minute
	DefaultSessionTokenLifetime = 2 * time.Hour
	DefaultMaxSessionsPerHost   = 1
	DefaultMaxSessions          = 10
)

// StageSessionsProps configures StageSessions.
type StageSessionsProps struct {
	// Authentication of the endpoint: JWTAuthentication (or a Cognito
	// pool's), since a session belongs to the caller its UserIDClaim
	// names. Required.
	Authentication EndpointAuthentication
	// CapabilityGrants give CapabilityHost (open sessions) and
	// CapabilityModerate by JWT scope or claim. At least one grant of
	// CapabilityHost, or nobody could open a session.
	CapabilityGrants []CapabilityGrant
	// UserIDClaim names the claim that identifies a caller: a session's
	// owner and a token's user ID. Default "sub".
	UserIDClaim string
	// MaxSessionsPerHost is how many sessions one host may have open at
	// once. Default DefaultMaxSessionsPerHost.
	MaxSessionsPerHost int
	// MaxSessions is how many of this construct's sessions may be open
	// at once, below the account's IVS stage quota. Default
	// DefaultMaxSessions.
	MaxSessions int
	// IdleAfter is how long a session's stage may stay unused (since it
	// was made, or its last participant left) before it is deleted: 1
	// minute to 24 hours. Default DefaultSessionIdleAfter.
	IdleAfter time.Duration
	// SweepInterval is how often idle stages are looked for: whole
	// minutes, 1 minute to IdleAfter. Default DefaultSessionSweepInterval.
	SweepInterval time.Duration
	// TokenLifetime of the participant tokens: whole minutes, 1 minute to
	// 14 days. Default DefaultSessionTokenLifetime.
	TokenLifetime time.Duration
	// AllowedOrigins are the web origins whose pages may call the
	// endpoint (CORS). Default: none.
	AllowedOrigins []string
	// PublicKey signs the participant tokens (self-signed), so that a
	// session's owner or a moderator can promote a viewer to co-host and
	// back without a reconnect: IVS's token exchange works only for
	// tokens signed with a key pair (IVS Real-Time User Guide, "IVS
	// Broadcast SDK: Token Exchange"). Default: IVS issues the tokens,
	// and promotions are refused.
	PublicKey *ManagedPublicKey
	// Broadcast composes each session to a channel (server-side
	// composition), from its first publisher on, for an audience larger
	// than a stage holds; with a storage configuration it records it too.
	// One session is on air at a time: another is refused while one holds
	// the channel. Default: none.
	Broadcast *SessionBroadcast
	// ChatRooms gives each session an Amazon IVS Chat room of its own,
	// made with its stage, tagged alike and deleted with it (the sweep
	// deletes any room of this construct's that no stage names); GET
	// /sessions/chat hands out its chat tokens: SEND_MESSAGE for everyone,
	// DELETE_MESSAGE and DISCONNECT_USER for the session's host and
	// moderators. Default: false.
	ChatRooms bool
	// Code is your own build of the function
	// (github.com/ivscdk/ivscdk/lambda/stagesessions). Default: built with
	// golambda at synthesis.
	Code awslambda.Code
}

// SessionBroadcast is where StageSessions broadcasts its sessions.
type SessionBroadcast struct {
	// Channel receives the composition: it must be offline when a session
	// starts, in the stack's account and region. Its viewers watch with
	// the channel's own playback (and token endpoint), and its recording
	// configuration, if any, records the broadcast. Required.
	Channel IChannel
	// EncoderConfiguration encodes the composition. Required.
	EncoderConfiguration IEncoderConfiguration
	// Storage, when set, records the composition too (IVS's composite
	// recording), encoded alike.
	Storage IStorageConfiguration
}

// StageSessions makes real-time sessions on demand: an authenticated
// endpoint where a host opens a session (a new IVS stage, tagged with this
// construct and its owner) and gets a participant token, others join it
// by its ID, the owner or a moderator ends it, and a moderator removes a
// participant with a reason; and a schedule that deletes this construct's
// stages once idle. The function's IAM policy reaches only stages with
// this construct's tag, so it never touches a stage it did not make.
// IVS's own lists are the state (handler/stagesessions says how): no
// event is needed, and none lost can leave a stage behind.
type StageSessions struct {
	l2.Construct // first field: see l2.Construct
	function     awslambda.Function
	api          *tokenendpoint.API
	madeBy       string
}

// NewStageSessions defines the endpoint, its function and the sweep.
func NewStageSessions(scope constructs.Construct, id string, props *StageSessionsProps) *StageSessions {
	if props == nil {
		props = &StageSessionsProps{}
	}
	s := &StageSessions{}
	l2.NewResource(s, &s.Construct, scope, id, &awscdk.ResourceProps{})
	s.madeBy = *s.Node().Path()
	var problems check.Problems
	claim := props.UserIDClaim
	if claim == "" {
		claim = "sub"
	}
	perHost, total := orDefault(props.MaxSessionsPerHost, DefaultMaxSessionsPerHost), orDefault(props.MaxSessions, DefaultMaxSessions)
	idle, sweep, lifetime := props.IdleAfter, props.SweepInterval, props.TokenLifetime
	if idle == 0 {
		idle = DefaultSessionIdleAfter
	}
	if sweep == 0 {
		sweep = min(DefaultSessionSweepInterval, idle)
	}
	if lifetime == 0 {
		lifetime = DefaultSessionTokenLifetime
	}
	switch {
	case props.Authentication.Kind() != wire.AuthJWT:
		problems.Addf("Authentication must be JWTAuthentication (or a Cognito pool's): a session belongs to the caller its %s claim names", claim)
	case perHost < 1 || total < 1 || perHost > total:
		problems.Addf("MaxSessionsPerHost %d and MaxSessions %d are invalid: give at least 1 each, MaxSessionsPerHost at most MaxSessions", perHost, total)
	case idle < time.Minute || idle > 24*time.Hour:
		problems.Addf("IdleAfter %s is invalid: give 1m to 24h", idle)
	case sweep < time.Minute || sweep > idle || sweep%time.Minute != 0:
		problems.Addf("SweepInterval %s is invalid: give whole minutes from 1m to IdleAfter (%s)", sweep, idle)
	case lifetime < time.Minute || lifetime > wire.MaxParticipantDurationMinutes*time.Minute || lifetime%time.Minute != 0:
		problems.Addf("TokenLifetime %s is invalid: give whole minutes from 1m to 336h (IVS's 20,160 minutes)", lifetime)
	}
	hosts := false
	for _, g := range props.CapabilityGrants {
		hosts = hosts || slices.Contains(g.Capabilities, CapabilityHost)
	}
	if !hosts && props.Authentication.Kind() == wire.AuthJWT {
		problems.Addf("CapabilityGrants give nobody %s: give your hosts' group or scope one, or nobody can open a session", CapabilityHost)
	}
	broadcast := s.broadcastConfig(&problems, props.Broadcast)
	config := map[string]any{
		"authentication": props.Authentication.Kind(),
		"madeBy":         s.madeBy,
		"userIdClaim":    claim,
		"maxPerOwner":    perHost,
		"maxSessions":    total,
		"idleAfter":      idle.String(),
		"tokenMinutes":   int(lifetime / time.Minute),
		"grants": tokenendpoint.CheckGrants(&problems, props.Authentication.settings(), props.CapabilityGrants,
			[]string{CapabilityHost, CapabilityModerate}),
	}
	if broadcast != nil {
		config["broadcast"] = broadcast
	}
	if props.ChatRooms {
		config["chatRooms"] = true
	}
	if props.PublicKey != nil {
		config["secretArn"] = props.PublicKey.Secret().SecretArn()
		config["keyCacheTtl"] = DefaultKeyCacheTTL.String()
		// A rotated-out key stays trusted while its tokens live and the
		// function may still sign with it from its cache.
		props.PublicKey.signsFor(s.madeBy, lifetime+DefaultKeyCacheTTL)
	}
	s.function = lambdafn.New(s, &problems, props.Code, "stagesessions",
		"ivscdk: opens, joins, ends and sweeps IVS real-time sessions", 15*time.Second,
		map[string]*string{wire.StageSessionsEnvConfig: awscdk.Stack_Of(s).ToJsonString(config, nil)})
	s.grant(props.ChatRooms)
	if props.ChatRooms {
		s.grantChat()
	}
	if props.PublicKey != nil {
		s.grantSigning(props.PublicKey)
	}
	if broadcast != nil {
		s.grantBroadcast(props.Broadcast)
		// Participant Published starts a session's broadcast. The event
		// names the stage in resources; the stages are made at run time,
		// so the rule matches the account's and the function keeps to its
		// own stages (by tag).
		awsevents.NewRule(s, jsii.String("ParticipantPublished"), &awsevents.RuleProps{
			Description: jsii.String("ivscdk: participants publishing, to start the broadcast of a session of " + s.madeBy),
			EventPattern: &awsevents.EventPattern{
				Source:     jsii.Strings(EventSource),
				DetailType: jsii.Strings("IVS Stage Update"),
				Detail:     &map[string]any{"event_name": []any{"Participant Published"}},
			},
			Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(s.function, nil)},
		})
	}
	s.api = tokenendpoint.New(s, &problems, tokenendpoint.Options{
		Description:    "IVS real-time sessions (ivscdk)",
		Function:       s.function,
		Auth:           props.Authentication.settings(),
		AllowedOrigins: props.AllowedOrigins,
		Routes: []tokenendpoint.Route{
			{Path: wire.StageSessionsPath, Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.HttpMethod_POST, awsapigatewayv2.HttpMethod_DELETE}},
			{Path: wire.StageSessionsPath + "/disconnect", Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_POST}},
			{Path: wire.StageSessionsPath + "/promote", Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_POST}},
			{Path: wire.StageSessionsPath + "/exchange", Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET}},
			{Path: wire.StageSessionsPath + "/status", Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET}},
			{Path: wire.StageSessionsPath + "/chat", Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET}},
		},
		LogRetention: FunctionLogRetention,
		RateLimit:    10, BurstLimit: 20,
	})
	awsevents.NewRule(s, jsii.String("Sweep"), &awsevents.RuleProps{
		Description: jsii.String("ivscdk: deletes the idle stages of " + s.madeBy),
		// Whole minutes, at least one, whatever was given: a bad
		// SweepInterval is reported above, not thrown by the CDK here.
		Schedule: awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(float64(max(1, int(sweep/time.Minute)))))),
		Targets:  &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(s.function, nil)},
	})
	problems.Report(s)
	return s
}

func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// grant lets the function make stages only with this construct's tags,
// and reach only stages that carry them (the Service Authorization
// Reference gives CreateStage aws:RequestTag and aws:TagKeys, and the
// stage actions aws:ResourceTag); ListStages has no resource type.
func (s *StageSessions) grant(chat bool) {
	stack := awscdk.Stack_Of(s)
	stages := fmt.Sprintf("arn:%s:ivs:%s:%s:stage/*", *stack.Partition(), *stack.Region(), *stack.Account())
	tagKeys := []string{wire.StageSessionsTagMadeBy, wire.StageSessionsTagOwner, wire.StageSessionsTagCreated}
	if chat {
		tagKeys = append(tagKeys, wire.StageSessionsTagRoom)
	}
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivs:CreateStage", "ivs:TagResource"),
		Resources: jsii.Strings(stages),
		Conditions: &map[string]any{
			"StringEquals":              map[string]any{"aws:RequestTag/" + wire.StageSessionsTagMadeBy: s.madeBy},
			"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": tagKeys},
		},
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("ivs:DeleteStage", "ivs:GetStage", "ivs:ListStageSessions", "ivs:CreateParticipantToken", "ivs:DisconnectParticipant",
			"ivs:GetParticipant"),
		Resources:  jsii.Strings(stages),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/" + wire.StageSessionsTagMadeBy: s.madeBy}},
	}))
	// A removal's reason is kept on the stage, for the removed
	// participant's page: tags with the removal prefix only.
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivs:TagResource"),
		Resources: jsii.Strings(stages),
		Conditions: &map[string]any{
			"StringEquals":            map[string]any{"aws:ResourceTag/" + wire.StageSessionsTagMadeBy: s.madeBy},
			"ForAllValues:StringLike": map[string]any{"aws:TagKeys": []string{wire.StageSessionsTagRemoved + "*"}},
		},
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("ivs:ListStages"), Resources: jsii.Strings("*"),
	}))
	if policy, ok := s.function.Role().Node().TryFindChild(jsii.String("DefaultPolicy")).(awsiam.Policy); ok {
		lambdafn.SuppressNag(policy.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM5",
			"Sessions are stages made at run time, whose IDs IVS makes: the stage actions name stage/* of this account and region, "+
				"conditioned on this construct's tag; ivs:ListStages has no resource type in the Service Authorization Reference.",
			"Resource::arn:<AWS::Partition>:ivs:<AWS::Region>:<AWS::AccountId>:stage/*", "Resource::*")
	}
}

// grantChat lets the function make chat rooms only with this construct's
// tags, and reach only rooms that carry them (the Service Authorization
// Reference, Amazon IVS Chat: CreateRoom takes aws:RequestTag and
// aws:TagKeys, and needs ivschat:TagResource to tag; the room actions take
// aws:ResourceTag); ListRooms has no resource type.
func (s *StageSessions) grantChat() {
	stack := awscdk.Stack_Of(s)
	rooms := fmt.Sprintf("arn:%s:ivschat:%s:%s:room/*", *stack.Partition(), *stack.Region(), *stack.Account())
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivschat:CreateRoom", "ivschat:TagResource"),
		Resources: jsii.Strings(rooms),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:RequestTag/" + wire.StageSessionsTagMadeBy: s.madeBy},
			"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{
				wire.StageSessionsTagMadeBy, wire.StageSessionsTagOwner, wire.StageSessionsTagCreated}},
		},
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("ivschat:DeleteRoom", "ivschat:CreateChatToken"),
		Resources:  jsii.Strings(rooms),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/" + wire.StageSessionsTagMadeBy: s.madeBy}},
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("ivschat:ListRooms"), Resources: jsii.Strings("*"),
	}))
	if policy, ok := s.function.Role().Node().TryFindChild(jsii.String("DefaultPolicy")).(awsiam.Policy); ok {
		lambdafn.SuppressNag(policy.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM5",
			"Each session's chat room is made at run time, its ID IVS Chat's: the room actions name room/* of this account and region, "+
				"conditioned on this construct's tag; ivschat:ListRooms has no resource type in the Service Authorization Reference.",
			"Resource::arn:<AWS::Partition>:ivschat:<AWS::Region>:<AWS::AccountId>:room/*")
	}
}

// grantSigning lets the function read the signing key, find its IVS
// public key (ListPublicKeys has no resource type), and mark co-hosts:
// tags with the co-host prefix only, on its own stages.
func (s *StageSessions) grantSigning(key *ManagedPublicKey) {
	key.GrantReadPrivateKey(s.function)
	stack := awscdk.Stack_Of(s)
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("ivs:ListPublicKeys"), Resources: jsii.Strings("*"),
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivs:TagResource", "ivs:UntagResource"),
		Resources: jsii.Strings(fmt.Sprintf("arn:%s:ivs:%s:%s:stage/*", *stack.Partition(), *stack.Region(), *stack.Account())),
		Conditions: &map[string]any{
			"StringEquals":            map[string]any{"aws:ResourceTag/" + wire.StageSessionsTagMadeBy: s.madeBy},
			"ForAllValues:StringLike": map[string]any{"aws:TagKeys": []string{wire.StageSessionsTagCoHost + "*"}},
		},
	}))
}

// broadcastConfig checks a SessionBroadcast and returns its part of the
// function's configuration (nil without one).
func (s *StageSessions) broadcastConfig(problems *check.Problems, b *SessionBroadcast) map[string]any {
	if b == nil {
		return nil
	}
	if b.Channel == nil || b.EncoderConfiguration == nil {
		problems.Addf("Broadcast needs a Channel and an EncoderConfiguration: the composition is encoded to the channel")
		return nil
	}
	stack := awscdk.Stack_Of(s)
	l2.SameEnvironment(problems, "Broadcast.Channel", *b.Channel.ChannelArn(),
		"a composition broadcasts to a channel of the stage's account and region", stack)
	out := map[string]any{"channelArn": b.Channel.ChannelArn(), "encoderConfigurationArn": b.EncoderConfiguration.EncoderConfigurationArn()}
	if b.Storage != nil {
		out["storageConfigurationArn"] = b.Storage.StorageConfigurationArn()
	}
	return out
}

// grantBroadcast lets the function start compositions of its stages to
// the broadcast's destinations, only tagged as its own, and stop only
// those (StartComposition takes aws:RequestTag, StopComposition
// aws:ResourceTag: Service Authorization Reference); ListCompositions has
// no resource type.
func (s *StageSessions) grantBroadcast(b *SessionBroadcast) {
	stack := awscdk.Stack_Of(s)
	arn := func(kind string) string {
		return fmt.Sprintf("arn:%s:ivs:%s:%s:%s/*", *stack.Partition(), *stack.Region(), *stack.Account(), kind)
	}
	resources := []*string{jsii.String(arn("stage")), b.Channel.ChannelArn(), b.EncoderConfiguration.EncoderConfigurationArn()}
	if b.Storage != nil {
		resources = append(resources, b.Storage.StorageConfigurationArn())
	}
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("ivs:StartComposition"),
		Resources:  &resources,
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:RequestTag/" + wire.StageSessionsTagMadeBy: s.madeBy}},
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("ivs:StopComposition"),
		Resources:  jsii.Strings(arn("composition")),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/" + wire.StageSessionsTagMadeBy: s.madeBy}},
	}))
	s.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("ivs:ListCompositions"), Resources: jsii.Strings("*"),
	}))
	if policy, ok := s.function.Role().Node().TryFindChild(jsii.String("DefaultPolicy")).(awsiam.Policy); ok {
		lambdafn.SuppressNag(policy.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM5",
			"Compositions are started at run time, their IDs made by IVS: StopComposition names composition/* of this account and region, "+
				"conditioned on this construct's tag.",
			"Resource::arn:<AWS::Partition>:ivs:<AWS::Region>:<AWS::AccountId>:composition/*")
	}
}

// Url returns the endpoint's base URL; the routes are /sessions and
// /sessions/disconnect under it.
func (s *StageSessions) Url() *string { return s.api.Url() }

// Function returns the function behind the endpoint and the sweep.
func (s *StageSessions) Function() awslambda.Function { return s.function }

// MadeBy returns the value of the ivscdk:sessions tag on this construct's
// stages (its construct path).
func (s *StageSessions) MadeBy() string { return s.madeBy }
