// Command chat-room is an IVS Chat room people can join: an authenticated
// HTTPS endpoint that hands out chat tokens, a Go moderation Lambda (built
// on package chatmoderation) that reviews every message, and logging of the
// room's messages and events to CloudWatch Logs.
//
//	go run .     # in this folder: writes the template to cdk.out/
//
// By default the stack also creates an Amazon Cognito user pool (with a
// "moderators" group) and a chat page on CloudFront (output PageUrl): its
// users sign in there and chat, each chatter's user ID being their "sub"
// claim. The CDK context chooses otherwise (see signin.AccessFromContext): -c
// cognito=false makes the endpoint take AWS IAM-signed requests (from your
// backend), -c invokerRoleArn=<role ARN> also lets that role call it, and
// -c jwtIssuer=<URL> -c jwtAudience=<client ID> takes the ID tokens of your
// own OpenID Connect provider; the last two deploy no page. See README.md.
//
// This folder imports only public ivscdk packages: copy it into your own
// module and run it there. See README.md.
package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/golambda"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
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
		props := &ChatRoomProps{BannedWords: "spoiler", CognitoUsers: a.Cognito, InvokerRoleArn: a.InvokerRoleArn}
		if a.OwnProvider() {
			props.Authentication = ivs.JWTAuthentication(a.Issuer, a.Audience)
			props.UserIDClaim = "sub"
			props.ModeratorsGroup = "moderators"
		}
		NewChatRoomStack(app, "IvsChatRoom", props)
	})
}

// ChatRoomProps configures the stack.
type ChatRoomProps struct {
	awscdk.StackProps
	// BannedWords is the moderator's comma-separated list of words whose
	// messages are denied.
	BannedWords string
	// Authentication of the token endpoint. Default: AWS IAM.
	Authentication ivs.EndpointAuthentication
	// UserIDClaim makes this JWT claim each chatter's user ID (needs JWT
	// authentication). Default: a random ID per token.
	UserIDClaim string
	// ModeratorsGroup, with JWT authentication, gives members of this
	// group (the cognito:groups claim) the moderation capabilities:
	// disconnecting users and deleting messages. Default: no moderators.
	ModeratorsGroup string
	// CognitoUsers creates an Amazon Cognito user pool (with a
	// "moderators" group) and the chat page its users sign in on; it sets
	// the authentication, UserIDClaim "sub" and ModeratorsGroup
	// "moderators". Default: false (main turns it on unless the CDK
	// context chooses otherwise).
	CognitoUsers bool
	// InvokerRoleArn names an IAM role of this account that may call the
	// endpoint (IAM authentication; your backend's role). Default: none.
	InvokerRoleArn string
}

// NewChatRoomStack defines the stack.
func NewChatRoomStack(scope constructs.Construct, id string, props *ChatRoomProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	// Built from ./moderator with the local Go toolchain; its own log
	// group and a role that may only log.
	moderator, err := golambda.NewFunction(stack, "Moderator", &golambda.FunctionProps{
		Package:    "./moderator", // this folder's own handler, wherever the folder is
		MemorySize: 128,
		// IVS Chat waits only briefly for a review: keep the function lean.
		Timeout:     time.Second,
		Description: "Reviews IVS Chat messages",
		Environment: map[string]*string{"BANNED_WORDS": jsii.String(props.BannedWords)},
	})
	if err != nil {
		// No go command, the moderator does not build, or the app runs
		// from another folder (`cdk synth` and `go run .` run it here).
		panic(err)
	}

	logGroup := awslogs.NewLogGroup(stack, jsii.String("ChatLogs"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_MONTH,
	})
	logging := ivschat.NewLoggingConfiguration(stack, "Logging", &ivschat.LoggingConfigurationProps{LogGroup: logGroup})

	room := ivschat.NewRoom(stack, "Room", &ivschat.RoomProps{
		MaximumMessageLength:        300,
		MaximumMessageRatePerSecond: 5,
		MessageReviewHandler:        &ivschat.MessageReviewHandler{Handler: moderator, FallbackResult: ivschat.FallbackResultDeny},
		LoggingConfigurations:       []ivschat.ILoggingConfiguration{logging},
	})

	// Chatters may send messages for sessions of up to an hour;
	// moderators may also disconnect users and delete messages.
	authentication, userIDClaim, moderators := props.Authentication, props.UserIDClaim, props.ModeratorsGroup
	var tokens *ivschat.ChatTokenEndpoint
	var allowedOrigins []string
	if props.CognitoUsers {
		// The chat page: signed-in users chat from it (the endpoint's CORS
		// names it). Its settings are read when the app synthesizes.
		var u *signin.Users
		page := chatPage(stack, func() *string { return tokens.Url() },
			func() *string { return u.SignInURL() }, func() *string { return u.Client().UserPoolClientId() })
		u = signin.NewUsers(stack, "Users", &signin.UsersProps{PageURL: page.Url(), Groups: []string{"moderators"}, RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
		u.AddOutputs(stack)
		authentication, userIDClaim, moderators, allowedOrigins = u.Authentication(), "sub", "moderators", []string{*page.Origin()}
		awscdk.NewCfnOutput(stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url(),
			Description: jsii.String("open this page, sign in and chat")})
	}
	var grants []ivs.CapabilityGrant
	if moderators != "" {
		grants = []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: moderators,
			Capabilities: []string{ivschat.CapabilityDisconnectUser, ivschat.CapabilityDeleteMessage}}}
	}
	tokens = ivschat.NewChatTokenEndpoint(stack, "Tokens", &ivschat.ChatTokenEndpointProps{
		Rooms:            []ivschat.IRoom{room},
		AllowedOrigins:   allowedOrigins,
		Capabilities:     []string{ivschat.CapabilitySendMessage},
		CapabilityGrants: grants,
		SessionDuration:  time.Hour,
		Authentication:   authentication,
		UserIDClaim:      userIDClaim,
	})
	if props.InvokerRoleArn != "" {
		signin.GrantInvoke(stack, tokens, props.InvokerRoleArn)
	}

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("TokenUrl", tokens.Url(), "GET (IAM-signed, or with a JWT) for a chat token")
	output("RoomArn", room.RoomArn(), "the room")
	output("LogGroupName", logGroup.LogGroupName(), "the room's messages and events")
	return stack
}
