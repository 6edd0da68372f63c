package stagesessions

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// TagRoom, on a session's stage, names the session's chat room (Config
// ChatRooms); the room carries TagMadeBy, TagOwner and TagCreated too.
const TagRoom = wire.StageSessionsTagRoom

// Chat is the part of the IVS Chat API the handler calls (ivschat.Client).
type Chat interface {
	CreateRoom(context.Context, *ivschat.CreateRoomInput, ...func(*ivschat.Options)) (*ivschat.CreateRoomOutput, error)
	DeleteRoom(context.Context, *ivschat.DeleteRoomInput, ...func(*ivschat.Options)) (*ivschat.DeleteRoomOutput, error)
	ListRooms(context.Context, *ivschat.ListRoomsInput, ...func(*ivschat.Options)) (*ivschat.ListRoomsOutput, error)
	CreateChatToken(context.Context, *ivschat.CreateChatTokenInput, ...func(*ivschat.Options)) (*ivschat.CreateChatTokenOutput, error)
}

// WithChat gives each session a chat room of its own, made with the
// session and deleted with it (Config.ChatRooms).
func (h *Handler) WithChat(chat Chat) *Handler {
	h.chat = chat
	return h
}

// orphanAfter is how old a room of this construct must be, with no stage
// naming it, before the sweep deletes it: a session being opened makes its
// room a moment before its stage.
const orphanAfter = 10 * time.Minute

// maxChatMinutes is the longest chat session IVS Chat allows
// (CreateChatToken's sessionDurationInMinutes, 1 to 180).
const maxChatMinutes = 180

// newRoom makes the session's chat room, tagged like its stage.
func (h *Handler) newRoom(ctx context.Context, name string, tags map[string]string) (string, error) {
	out, err := h.chat.CreateRoom(ctx, &ivschat.CreateRoomInput{Name: aws.String(name), Tags: tags})
	if err != nil {
		return "", unavailable(err)
	}
	return aws.ToString(out.Arn), nil
}

// deleteRoom deletes a session's room; one already gone is no failure.
func (h *Handler) deleteRoom(ctx context.Context, arn string) error {
	if h.chat == nil || arn == "" {
		return nil
	}
	_, err := h.chat.DeleteRoom(ctx, &ivschat.DeleteRoomInput{Identifier: aws.String(arn)})
	var missing *types.ResourceNotFoundException
	if err != nil && !errors.As(err, &missing) {
		return unavailable(err)
	}
	return nil
}

// ChatToken is the answer to GET /sessions/chat.
type ChatToken struct {
	Session               string    `json:"session"`
	RoomArn               string    `json:"roomArn"`
	Token                 string    `json:"token"`
	Capabilities          []string  `json:"capabilities"`
	TokenExpirationTime   time.Time `json:"tokenExpirationTime"`
	SessionExpirationTime time.Time `json:"sessionExpirationTime"`
}

// chatToken answers a chat token for the session's room: SEND_MESSAGE for
// everyone, and DELETE_MESSAGE and DISCONNECT_USER for the session's owner
// and moderators; the chat session lasts as long as a participant token,
// up to IVS Chat's 180 minutes.
func (h *Handler) chatToken(ctx context.Context, id, user string, moderator bool) (any, error) {
	st, err := h.session(ctx, id)
	if err != nil {
		return nil, err
	}
	room := st.Tags[TagRoom]
	if h.chat == nil || room == "" {
		return nil, tokenapi.Fail(http.StatusConflict, "NoChatRoom", "session %s has no chat room: the sessions are made without one", id)
	}
	caps := []string{"SEND_MESSAGE"}
	if moderator || st.Tags[TagOwner] == user {
		caps = append(caps, "DELETE_MESSAGE", "DISCONNECT_USER")
	}
	typed := make([]types.ChatTokenCapability, len(caps))
	for i, c := range caps {
		typed[i] = types.ChatTokenCapability(c)
	}
	out, err := h.chat.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: aws.String(room), UserId: aws.String(user),
		Capabilities: typed, SessionDurationInMinutes: aws.Int32(int32(min(h.minutes, maxChatMinutes)))})
	if err != nil {
		return nil, h.failure(unavailable(err))
	}
	return ChatToken{Session: id, RoomArn: room, Token: aws.ToString(out.Token), Capabilities: caps,
		TokenExpirationTime: aws.ToTime(out.TokenExpirationTime), SessionExpirationTime: aws.ToTime(out.SessionExpirationTime)}, nil
}

// sweepRooms deletes this construct's rooms that no stage of its own
// names and that are older than orphanAfter: a session whose stage went
// without its room (a failed open, a failed delete, a stage deleted by
// hand). IVS Chat's list is the state, as IVS's is for the stages.
func (h *Handler) sweepRooms(ctx context.Context, now time.Time, named map[string]bool) ([]string, error) {
	var deleted []string
	var next *string
	for {
		out, err := h.chat.ListRooms(ctx, &ivschat.ListRoomsInput{MaxResults: aws.Int32(50), NextToken: next})
		if err != nil {
			return deleted, unavailable(err)
		}
		for _, r := range out.Rooms {
			arn := aws.ToString(r.Arn)
			if r.Tags[TagMadeBy] != h.config.MadeBy || named[arn] || now.Sub(aws.ToTime(r.CreateTime)) < orphanAfter {
				continue
			}
			if err := h.deleteRoom(ctx, arn); err != nil {
				return deleted, err
			}
			deleted = append(deleted, arn)
		}
		if next = out.NextToken; aws.ToString(next) == "" {
			return deleted, nil
		}
	}
}
