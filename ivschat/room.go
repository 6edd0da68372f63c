package ivschat

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivschat"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivschat"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// FallbackResult is what happens to a message when the review handler does
// not answer in time or answers badly.
type FallbackResult string

// Fallback results.
const (
	// FallbackResultAllow delivers the message. IVS Chat's default.
	FallbackResultAllow FallbackResult = "ALLOW"
	// FallbackResultDeny drops the message.
	FallbackResultDeny FallbackResult = "DENY"
)

// MessageReviewHandler is a Lambda function that reviews every message
// before it is delivered (it may allow, deny or rewrite it).
type MessageReviewHandler struct {
	// Handler is the function. Required. The room gives the IVS Chat
	// service (ivschat.amazonaws.com) permission to invoke it, for this room
	// only.
	Handler awslambda.IFunction
	// FallbackResult applies when the handler fails or times out. Default:
	// FallbackResultAllow.
	FallbackResult FallbackResult
}

// MaxLoggingConfigurationsPerRoom is how many logging configurations IVS
// Chat attaches to one room.
const MaxLoggingConfigurationsPerRoom = 3

// RoomProps configures a Room. The zero value is a room with IVS Chat's
// defaults.
type RoomProps struct {
	// RoomName is the name: letters, digits, '-' and '_', at most 128
	// characters. Default: none.
	RoomName string
	// MaximumMessageLength is the longest message, 1 to 500 characters.
	// Default: 500.
	MaximumMessageLength int
	// MaximumMessageRatePerSecond is the most messages the room delivers
	// per second, 1 to 10. Default: 10.
	MaximumMessageRatePerSecond int
	// MessageReviewHandler, when set, reviews every message.
	MessageReviewHandler *MessageReviewHandler
	// LoggingConfigurations log the room's messages and events: at most 3
	// (the IVS Chat API's limit; CloudFormation's schema allows 50).
	LoggingConfigurations []ILoggingConfiguration
	// Tags are added to the room (values 1-256 characters).
	Tags map[string]string
}

// IRoom is an IVS Chat room, created in this app or imported.
type IRoom interface {
	awscdk.IResource
	// RoomRef returns the reference CDK APIs take (interfacesawsivschat.IRoomRef).
	interfacesawsivschat.IRoomRef
	// RoomArn returns the room's ARN.
	RoomArn() *string
	// GrantCreateChatToken lets grantee create chat tokens for the room
	// (ivschat:CreateChatToken): what a token vendor needs.
	GrantCreateChatToken(grantee awsiam.IGrantable) awsiam.Grant
	// GrantSendEvent lets grantee send custom events to the room's clients
	// (ivschat:SendEvent).
	GrantSendEvent(grantee awsiam.IGrantable) awsiam.Grant
	// GrantDeleteMessage lets grantee delete messages (ivschat:DeleteMessage).
	GrantDeleteMessage(grantee awsiam.IGrantable) awsiam.Grant
	// GrantDisconnectUser lets grantee disconnect users
	// (ivschat:DisconnectUser).
	GrantDisconnectUser(grantee awsiam.IGrantable) awsiam.Grant
}

// roomBase implements the grants shared by new and imported rooms.
type roomBase struct{ arn func() *string }

func (r roomBase) grant(grantee awsiam.IGrantable, action string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings(action), ResourceArns: &[]*string{r.arn()},
	})
}

// GrantCreateChatToken lets grantee create chat tokens for the room.
func (r roomBase) GrantCreateChatToken(grantee awsiam.IGrantable) awsiam.Grant {
	return r.grant(grantee, "ivschat:CreateChatToken")
}

// GrantSendEvent lets grantee send events to the room.
func (r roomBase) GrantSendEvent(grantee awsiam.IGrantable) awsiam.Grant {
	return r.grant(grantee, "ivschat:SendEvent")
}

// GrantDeleteMessage lets grantee delete the room's messages.
func (r roomBase) GrantDeleteMessage(grantee awsiam.IGrantable) awsiam.Grant {
	return r.grant(grantee, "ivschat:DeleteMessage")
}

// GrantDisconnectUser lets grantee disconnect the room's users.
func (r roomBase) GrantDisconnectUser(grantee awsiam.IGrantable) awsiam.Grant {
	return r.grant(grantee, "ivschat:DisconnectUser")
}

// Room is an AWS::IVSChat::Room.
type Room struct {
	l2.Construct // first field: see l2.Construct
	roomBase
	cfn awsivschat.CfnRoom
	// reviewHandler is the message review handler's function, or nil.
	reviewHandler awslambda.IFunction
}

// NewRoom defines a chat room. props may be nil.
func NewRoom(scope constructs.Construct, id string, props *RoomProps) *Room {
	if props == nil {
		props = &RoomProps{}
	}
	r := &Room{}
	r.roomBase = roomBase{arn: r.RoomArn}
	path := l2.NewResource(r, &r.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.RoomName)})
	var problems check.Problems
	problems.Name("RoomName", props.RoomName)
	checkChatTags(&problems, props.Tags)
	cfnProps := &awsivschat.CfnRoomProps{
		Name:                        l2.Optional(props.RoomName),
		MaximumMessageLength:        l2.IntInRange(&problems, "MaximumMessageLength", props.MaximumMessageLength, 1, 500),
		MaximumMessageRatePerSecond: l2.IntInRange(&problems, "MaximumMessageRatePerSecond", props.MaximumMessageRatePerSecond, 1, 10),
		Tags:                        l2.CfnTags(props.Tags),
	}
	// CloudFormation's schema allows 50, but IVS Chat's CreateRoom and
	// UpdateRoom take at most 3 (IVS Chat API reference,
	// loggingConfigurationIdentifiers; LoggingConfigurationIdentifierList
	// in the service model).
	if n := len(props.LoggingConfigurations); n > MaxLoggingConfigurationsPerRoom {
		problems.Addf("LoggingConfigurations has %d entries: IVS Chat attaches at most %d to a room (CloudFormation's schema allows 50, "+
			"but CreateRoom refuses more); log to fewer destinations", n, MaxLoggingConfigurationsPerRoom)
	}
	var logging []any
	for i, lc := range props.LoggingConfigurations {
		if lc == nil {
			problems.Addf("LoggingConfigurations[%d] is nil", i)
			continue
		}
		logging = append(logging, lc.LoggingConfigurationArn())
	}
	if len(logging) > 0 {
		cfnProps.LoggingConfigurationIdentifiers = &logging
	}
	var handler awslambda.IFunction
	if h := props.MessageReviewHandler; h != nil {
		problems.OneOf("MessageReviewHandler.FallbackResult", string(h.FallbackResult), string(FallbackResultAllow), string(FallbackResultDeny))
		review := &awsivschat.CfnRoom_MessageReviewHandlerProperty{FallbackResult: l2.Optional(string(h.FallbackResult))}
		if h.Handler == nil {
			problems.Addf("MessageReviewHandler.Handler is required: give the Lambda function that reviews messages")
		} else {
			handler = h.Handler
			review.Uri = h.Handler.FunctionArn()
			l2.SameEnvironment(&problems, "MessageReviewHandler.Handler", *review.Uri,
				"IVS Chat invokes only a Lambda function in the room's account and region (IVS Chat user guide, "+
					"\"IVS Chat Message Review Handler\")", path.Stack())
		}
		cfnProps.MessageReviewHandler = review
	}
	r.cfn = awsivschat.NewCfnRoom(r, jsii.String("Resource"), cfnProps)
	r.reviewHandler = handler
	if handler != nil {
		// One permission per room, named after the room's unique path, so
		// that rooms sharing a handler each get their own.
		handler.AddPermission(jsii.String("InvokedByIvsChat"+path.UniqueName(200, "")), &awslambda.Permission{
			Principal: awsiam.NewServicePrincipal(jsii.String("ivschat.amazonaws.com"), nil),
			SourceArn: r.RoomArn(),
		})
	}
	problems.Report(r)
	return r
}

// RoomArn returns the room's ARN.
func (r *Room) RoomArn() *string { return r.cfn.AttrArn() }

// ReviewHandler returns the function that reviews the room's messages, or
// nil when the room has no message review handler. ivsops.Dashboard shows
// its errors.
func (r *Room) ReviewHandler() awslambda.IFunction { return r.reviewHandler }

// RoomId returns the room's ID.
func (r *Room) RoomId() *string { return r.cfn.AttrId() }

// RoomFromRoomArn imports an existing room by ARN (service "ivschat",
// resource type "room").
func RoomFromRoomArn(scope constructs.Construct, id string, arn string) IRoom {
	r := &importedRoom{arn: arn}
	r.roomBase = roomBase{arn: r.RoomArn}
	l2.NewImported(r, &r.Construct, scope, id, arn, "ivschat", "room")
	return r
}

type importedRoom struct {
	l2.Construct
	roomBase
	arn string
}

func (r *importedRoom) RoomArn() *string { return jsii.String(r.arn) }
