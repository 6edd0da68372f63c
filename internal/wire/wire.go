// Package wire is the contract between ivscdk's constructs and the Lambda
// functions they deploy: the names and shapes both sides read, and nothing
// else. The constructs (packages ivs and ivschat) write a function's
// environment and configuration with these names; the handlers (package
// handler/...) read them. Both import this package and neither imports the
// other, so a CDK app never compiles the AWS SDK or the Lambda runtime,
// and a function never compiles the CDK.
//
// It depends on the standard library only (CI checks it).
package wire

import (
	"fmt"
	"slices"
	"time"
)

// The ways API Gateway may authorize a token endpoint's routes, as the
// construct writes them into the configuration ("authentication").
const (
	AuthIAM  = "iam"
	AuthJWT  = "jwt"
	AuthNone = "none"
)

// CheckAuthentication tells whether kind is one of the ways above, or ""
// (a configuration written before the setting existed: nothing checked).
func CheckAuthentication(kind string) error {
	switch kind {
	case "", AuthIAM, AuthJWT, AuthNone:
		return nil
	}
	return fmt.Errorf("authentication %q is none of %q, %q and %q", kind, AuthIAM, AuthJWT, AuthNone)
}

// Grant gives the callers whose verified JSON Web Token carries a scope, or
// a claim with a value, capabilities beyond the endpoint's own: PUBLISH
// for hosts, DISCONNECT_USER and DELETE_MESSAGE for moderators. Exactly one
// of Scope and Claim is set.
type Grant struct {
	// Scope is an OAuth scope the token must carry: in the JWT
	// authorizer's scopes or in the token's scope or scp claim.
	Scope string `json:"scope,omitempty"`
	// Claim and Value: the token's claim must equal Value or, for a list
	// claim such as cognito:groups, hold it.
	Claim string `json:"claim,omitempty"`
	Value string `json:"value,omitempty"`
	// Capabilities are those granted.
	Capabilities []string `json:"capabilities"`
}

// CheckGrants checks grants against the valid capabilities.
func CheckGrants(grants []Grant, valid []string) error {
	for i, g := range grants {
		switch {
		case (g.Scope == "") == (g.Claim == ""):
			return fmt.Errorf("capability grant %d: give a scope or a claim, not both or neither", i)
		case g.Claim != "" && g.Value == "":
			return fmt.Errorf("capability grant %d: claim %q needs a value", i, g.Claim)
		case len(g.Capabilities) == 0:
			return fmt.Errorf("capability grant %d grants no capability", i)
		}
		for _, c := range g.Capabilities {
			if !slices.Contains(valid, c) {
				return fmt.Errorf("capability grant %d: %q is not one of %v", i, c, valid)
			}
		}
	}
	return nil
}

// The playback token function (handler/playbacktoken).
const (
	// PlaybackEnvConfig is the environment variable holding its
	// configuration as JSON.
	PlaybackEnvConfig = "IVSCDK_PLAYBACK_TOKEN_CONFIG"
)

// The participant token function (handler/participanttoken).
const (
	// ParticipantEnvConfig is the environment variable holding its
	// configuration as JSON.
	ParticipantEnvConfig = "IVSCDK_PARTICIPANT_TOKEN_CONFIG"
	// ParticipantModeCreateParticipantToken has IVS issue each token
	// (CreateParticipantToken); ParticipantModeSelfSigned signs it with a
	// managed public key's private half.
	ParticipantModeCreateParticipantToken = "create-participant-token"
	ParticipantModeSelfSigned             = "self-signed"
	// MaxParticipantDurationMinutes is IVS's longest participant token: 14
	// days (CreateParticipantToken's duration, 1 to 20,160 minutes).
	MaxParticipantDurationMinutes = 20160
	// MaxStageCacheTTL is how long IVS allows a stage's endpoints to be
	// cached (the StageEndpoints shape of the IVS real-time API reference).
	MaxStageCacheTTL = 14 * 24 * time.Hour
)

// The recording index function (handler/recordingindex).
const (
	// RecordingIndexEnvConfig is the environment variable holding its
	// configuration as JSON.
	RecordingIndexEnvConfig = "IVSCDK_RECORDING_INDEX_CONFIG"
	// The index table's partition key (the channel's ID), sort key (the
	// start minute and the recording's ID) and time-to-live attribute.
	RecordingAttrChannel   = "channel"
	RecordingAttrStart     = "start"
	RecordingAttrExpiresAt = "expiresAt"
)

// The viewer log a playback token endpoint keeps (handler/viewerlog):
// its partition key (the channel's ARN), sort key (the viewer ID) and
// time-to-live attribute.
const (
	ViewerAttrChannel   = "channelArn"
	ViewerAttrViewer    = "viewerId"
	ViewerAttrExpiresAt = "expiresAt"
)

// RecordingEvidencePartitionPrefix starts the index partition that keeps
// video moderation's evidence of a channel ("moderation#<channel ID>").
const RecordingEvidencePartitionPrefix = "moderation#"

// The recordings endpoint's function (handler/recordinglist).
const (
	// RecordingListEnvConfig is the environment variable holding its
	// configuration as JSON.
	RecordingListEnvConfig = "IVSCDK_RECORDING_LIST_CONFIG"
	// RecordingCapabilityDelete lets a caller delete a recording.
	RecordingCapabilityDelete = "DELETE_RECORDING"
	// RecordingCapabilityWatchStage lets a caller list and watch a
	// stage's participant recordings.
	RecordingCapabilityWatchStage = "WATCH_STAGE_RECORDINGS"
	// RecordingKeyCacheTTL is the longest the endpoint uses a cookie key
	// it read: the managed key's grace period includes it.
	RecordingKeyCacheTTL = 10 * time.Minute
	// The endpoint's routes.
	RecordingListPath  = "/recordings"
	RecordingWatchPath = "/recordings/watch"
)

// The chat token function (handler/chattoken).
const (
	// ChatEnvConfig is the environment variable holding its configuration
	// as JSON.
	ChatEnvConfig = "IVSCDK_CHAT_TOKEN_CONFIG"
	// Limits of CreateChatToken (IVS Chat API reference; botocore's ivschat
	// model: SessionDurationInMinutes 1 to 180, UserID 1 to 128
	// characters, attributes at most 1 KB).
	MaxChatSessionDurationMinutes = 180
	MaxChatUserIDLength           = 128
	MaxChatAttributesSize         = 1024
	// The chat token capabilities.
	ChatCapabilitySendMessage    = "SEND_MESSAGE"
	ChatCapabilityDisconnectUser = "DISCONNECT_USER"
	ChatCapabilityDeleteMessage  = "DELETE_MESSAGE"
)

// The managed key function (handler/managedkey): its environment, the
// custom resource's property and attribute, the key kinds, the tags it puts
// on the keys it imports, and the scheduled action.
const (
	// KeyEnvNamePrefix prefixes the names of the keys it imports.
	KeyEnvNamePrefix = "KEY_PAIR_NAME_PREFIX"
	// KeyEnvGracePeriod is how long a rotated-out key keeps verifying.
	KeyEnvGracePeriod = "GRACE_PERIOD"
	// KeyEnvKind is KeyKindPlaybackKeyPair, KeyKindPublicKey or
	// KeyKindCloudFrontPublicKey.
	KeyEnvKind = "KEY_KIND"
	// KeyEnvSecretArn is the secret that holds the private key.
	KeyEnvSecretArn = "SECRET_ARN"

	KeyKindPlaybackKeyPair = "playback-key-pair"
	KeyKindPublicKey       = "public-key"
	// KeyKindCloudFrontPublicKey keeps CloudFront signed-cookie keys
	// (ECDSA P-256) in a key group.
	KeyKindCloudFrontPublicKey = "cloudfront-public-key"

	// KeyPropertySecretArn is the custom resource's property naming the
	// secret; KeyAttributeKeyArn its attribute with the current key's ARN.
	KeyPropertySecretArn = "SecretArn"
	KeyAttributeKeyArn   = "KeyArn"
	// KeyAttributeKeyGroupID is the ID of the CloudFront key group that
	// holds a cookie key's public halves.
	KeyAttributeKeyGroupID = "KeyGroupId"

	// KeyTagSecret and KeyTagVersion tag each imported key with its secret
	// and the secret version it was made from: what the function owns.
	KeyTagSecret  = "ivscdk:secret"
	KeyTagVersion = "ivscdk:secret-version"

	// KeyActionRetireExpiredKeys is the scheduled event's action.
	KeyActionRetireExpiredKeys = "RetireExpiredKeys"
)

// The stage sessions endpoint (ivs.StageSessions, handler/stagesessions).
const (
	// StageSessionsEnvConfig is the environment variable holding its
	// configuration as JSON.
	StageSessionsEnvConfig = "IVSCDK_STAGE_SESSIONS_CONFIG"
	// StageSessionsPath is its routes' path.
	StageSessionsPath = "/sessions"
	// StageSessionsCapabilityHost lets a caller open a session.
	StageSessionsCapabilityHost = "HOST"
	// StageSessionsCapabilityModerate lets a caller remove a participant
	// and end anyone's session.
	StageSessionsCapabilityModerate = "MODERATE"
	// The tags of a session's stage: which construct made it, for whom,
	// and when.
	StageSessionsTagMadeBy  = "ivscdk:sessions"
	StageSessionsTagOwner   = "ivscdk:owner"
	StageSessionsTagCreated = "ivscdk:created"
	// StageSessionsTagCoHost, and a participant ID after it, marks a
	// co-host.
	StageSessionsTagCoHost = "ivscdk:cohost:"
	// StageSessionsTagRemoved, and a participant ID after it, holds the
	// reason a moderator removed that participant (base64url), which the
	// participant's page is shown.
	StageSessionsTagRemoved = "ivscdk:removed:"
	// StageSessionsTagRoom, on a session's stage, names its chat room.
	StageSessionsTagRoom = "ivscdk:room"
)

// The timed metadata endpoint (ivsops.TimedMetadataEndpoint).
const (
	// MetadataEnvConfig is the environment variable holding its
	// configuration (JSON).
	MetadataEnvConfig = "IVSCDK_TIMED_METADATA_CONFIG"
	// CapabilityPutMetadata lets a caller put timed metadata on the
	// endpoint's channels.
	CapabilityPutMetadata = "PUT_METADATA"
	// MaxMetadataBytes is the most bytes one PutMetadata call carries
	// (IVS API reference, PutMetadata: "Maximum: 1 KB per request").
	MaxMetadataBytes = 1024
	// MaxMetadataPerSecondPerChannel and MaxMetadataPerSecondPerAccount
	// are PutMetadata's rates (same page, and the IVS low-latency service
	// quotas; not adjustable).
	MaxMetadataPerSecondPerChannel = 5
	MaxMetadataPerSecondPerAccount = 155
)

// The video moderation function (ivsops.VideoModeration).
const (
	// VideoModerationEnvConfig is the environment variable holding its
	// configuration (JSON).
	VideoModerationEnvConfig = "IVSCDK_VIDEO_MODERATION_CONFIG"
	// The fallbacks when Rekognition cannot check a thumbnail: stop the
	// stream (fail closed) or let it go on (fail open).
	VideoModerationFallbackStop  = "STOP"
	VideoModerationFallbackAllow = "ALLOW"
)

// ChatModerationMetricNamespace is where chatmoderation's handler counts
// its verdicts per room (Options.Metrics; ivschat's MetricMessagesAllowed
// and MetricMessagesDenied read them).
const ChatModerationMetricNamespace = "ivscdk/ChatModeration"
