package awsfake

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// The IVS real-time and IVS Chat parts of the fake. Shapes and limits are
// those of botocore's models (ivs-realtime and ivschat, 2020-07-14):
// participant token duration 1 to 20,160 minutes (default 720),
// capabilities PUBLISH and SUBSCRIBE (default both), user ID at most 128
// characters, attributes at most 1 KB; chat session duration 1 to 180
// minutes (default 60), chat user ID 1 to 128 characters (required),
// capabilities SEND_MESSAGE, DISCONNECT_USER and DELETE_MESSAGE.

// SignedFor returns the SigV4 service name the last call of operation was
// signed for ("ivs", "ivschat", ...), "" when it was not signed.
func (s *Server) SignedFor(operation string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signedFor[operation]
}

// signingService reads the service from a SigV4 Authorization header's
// credential scope (AKID/date/region/service/aws4_request).
func signingService(authorization string) string {
	_, credential, ok := strings.Cut(authorization, "Credential=")
	if !ok {
		return ""
	}
	credential, _, _ = strings.Cut(credential, ",")
	parts := strings.Split(credential, "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[3]
}

// AddStage stores a stage with endpoints and returns its ARN.
func (s *Server) AddStage(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serial++
	id := fmt.Sprintf("st%010d", s.serial)
	st := &Stage{
		Arn:       fmt.Sprintf("arn:aws:ivs:%s:%s:stage/%s", Region, Account, id),
		Name:      name,
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   fmt.Sprintf("https://%s.global-bm.whip.live-video.net", id),
	}
	s.stages[st.Arn] = st
	return st.Arn
}

// AddRoom stores a chat room and returns its ARN.
func (s *Server) AddRoom() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serial++
	arn := fmt.Sprintf("arn:aws:ivschat:%s:%s:room/rm%010d", Region, Account, s.serial)
	s.rooms[arn] = true
	return arn
}

// PublicKeys returns copies of the stored IVS public keys, sorted by name.
func (s *Server) PublicKeys() []KeyPair {
	s.mu.Lock()
	defer s.mu.Unlock()
	return byName(s.publicKeys)
}

func validation(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationException", fmt.Sprintf(format, args...)}
}

func attributesSize(attrs map[string]string) int {
	n := 0
	for k, v := range attrs {
		n += len(k) + len(v)
	}
	return n
}

func opaqueToken() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// realTime returns the handler of an IVS real-time operation.
func (s *Server) realTime(op string) func([]byte) (any, *apiError) {
	switch op {
	case "ImportPublicKey":
		return func(body []byte) (any, *apiError) {
			in, err := decodeKeyImport(body, s.publicKeys)
			if err != nil {
				return nil, err
			}
			k := s.addKeyPair(in.Name, in.PublicKeyMaterial, in.Tags)
			delete(s.keyPairs, k.Arn)
			k.Arn = strings.Replace(k.Arn, ":playback-key/", ":public-key/", 1)
			s.publicKeys[k.Arn] = k
			return map[string]any{"publicKey": map[string]any{"arn": k.Arn, "name": k.Name, "fingerprint": k.Fingerprint,
				"publicKeyMaterial": k.PublicKeyMaterial, "tags": k.Tags}}, nil
		}
	case "DeletePublicKey":
		return func(body []byte) (any, *apiError) {
			var in struct {
				Arn string `json:"arn"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			if _, ok := s.publicKeys[in.Arn]; !ok {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no public key " + in.Arn}
			}
			delete(s.publicKeys, in.Arn)
			return map[string]any{}, nil
		}
	case "ListPublicKeys":
		return func(body []byte) (any, *apiError) { return listOnePerPage(body, s.publicKeys, "publicKeys") }
	case "GetStage":
		return func(body []byte) (any, *apiError) {
			var in struct {
				Arn string `json:"arn"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			st, ok := s.stages[in.Arn]
			if !ok {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no stage " + in.Arn}
			}
			return map[string]any{"stage": s.stageAnswer(st)}, nil
		}
	case "CreateStage", "DeleteStage", "ListStages", "ListStageSessions", "DisconnectParticipant", "GetParticipant":
		return s.stageOperation(op)
	case "StartComposition", "StopComposition", "ListCompositions":
		return s.compositionOperation(op)
	case "CreateParticipantToken":
		return func(body []byte) (any, *apiError) {
			var in struct {
				StageArn     string            `json:"stageArn"`
				Duration     *int              `json:"duration"`
				UserID       string            `json:"userId"`
				Attributes   map[string]string `json:"attributes"`
				Capabilities []string          `json:"capabilities"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			duration := 720
			if in.Duration != nil {
				duration = *in.Duration
			}
			switch {
			case in.StageArn == "":
				return nil, validation("stageArn is required")
			case duration < 1 || duration > 20160:
				return nil, validation("duration %d is not 1 to 20160", duration)
			case utf8.RuneCountInString(in.UserID) > 128:
				return nil, validation("userId is longer than 128")
			case attributesSize(in.Attributes) > 1024:
				return nil, validation("attributes are larger than 1 KB")
			case len(in.Capabilities) > 2:
				return nil, validation("at most 2 capabilities")
			}
			for _, c := range in.Capabilities {
				if c != "PUBLISH" && c != "SUBSCRIBE" {
					return nil, validation("capability %q", c)
				}
			}
			if in.Capabilities == nil {
				in.Capabilities = []string{"PUBLISH", "SUBSCRIBE"}
			}
			if _, ok := s.stages[in.StageArn]; !ok {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no stage " + in.StageArn}
			}
			return map[string]any{"participantToken": map[string]any{
				"participantId": ivstoken.NewParticipantID(), "token": opaqueToken(), "userId": in.UserID,
				"attributes": in.Attributes, "duration": duration, "capabilities": in.Capabilities,
				"expirationTime": s.Now().UTC().Add(time.Duration(duration) * time.Minute).Format(time.RFC3339),
			}}, nil
		}
	}
	return nil
}

// Room is a chat room CreateRoom made.
type Room struct {
	Arn, Name string
	Tags      map[string]string
	Created   time.Time
}

// Rooms returns copies of the rooms CreateRoom made, sorted by ARN.
func (s *Server) Rooms() []Room {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Room
	for _, r := range s.roomInfo {
		c := *r
		c.Tags = copyTags(r.Tags)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Room) int { return strings.Compare(a.Arn, b.Arn) })
	return out
}

// roomOperation answers CreateRoom, DeleteRoom and ListRooms (IVS Chat
// API reference: a room name of at most 128 letters, digits, - and _; at
// most 50 tags; ListRooms' maxResults 1 to 50, pages keyed as ListStages').
func (s *Server) roomOperation(op string) func([]byte) (any, *apiError) {
	switch op {
	case "CreateRoom":
		return func(body []byte) (any, *apiError) {
			in, err := decodeNamed(body)
			if err != nil {
				return nil, err
			}
			s.serial++
			arn := fmt.Sprintf("arn:aws:ivschat:%s:%s:room/rm%010d", Region, Account, s.serial)
			s.rooms[arn] = true
			s.roomInfo[arn] = &Room{Arn: arn, Name: in.Name, Tags: copyTags(in.Tags), Created: s.Now().UTC()}
			return map[string]any{"arn": arn, "id": arn[strings.LastIndexByte(arn, '/')+1:], "name": in.Name, "tags": in.Tags,
				"createTime": s.Now().UTC().Format(time.RFC3339)}, nil
		}
	case "DeleteRoom":
		return func(body []byte) (any, *apiError) {
			var in struct {
				Identifier string `json:"identifier"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			if !s.rooms[in.Identifier] {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no room " + in.Identifier}
			}
			delete(s.rooms, in.Identifier)
			delete(s.roomInfo, in.Identifier)
			return map[string]any{}, nil
		}
	case "ListRooms":
		return func(body []byte) (any, *apiError) {
			var in struct {
				MaxResults *int   `json:"maxResults"`
				NextToken  string `json:"nextToken"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			n, err := maxResultsUpTo(in.MaxResults, 50)
			if err != nil {
				return nil, err
			}
			arns, next := pageOf(s.roomInfo, in.NextToken, n)
			rooms := []map[string]any{}
			for _, arn := range arns {
				r := s.roomInfo[arn]
				rooms = append(rooms, map[string]any{"arn": r.Arn, "id": r.Arn[strings.LastIndexByte(r.Arn, '/')+1:], "name": r.Name,
					"tags": r.Tags, "createTime": r.Created.Format(time.RFC3339)})
			}
			answer := map[string]any{"rooms": rooms}
			if next != "" {
				answer["nextToken"] = next
			}
			return answer, nil
		}
	}
	return nil
}

// chat returns the handler of an IVS Chat operation.
func (s *Server) chat(op string) func([]byte) (any, *apiError) {
	if room := s.roomOperation(op); room != nil {
		return room
	}
	if op != "CreateChatToken" {
		return nil
	}
	return func(body []byte) (any, *apiError) {
		var in struct {
			RoomIdentifier           string            `json:"roomIdentifier"`
			UserID                   string            `json:"userId"`
			Attributes               map[string]string `json:"attributes"`
			Capabilities             []string          `json:"capabilities"`
			SessionDurationInMinutes *int              `json:"sessionDurationInMinutes"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		session := 60
		if in.SessionDurationInMinutes != nil {
			session = *in.SessionDurationInMinutes
		}
		switch {
		case in.RoomIdentifier == "":
			return nil, validation("roomIdentifier is required")
		case in.UserID == "" || utf8.RuneCountInString(in.UserID) > 128:
			return nil, validation("userId must be 1 to 128 characters")
		case session < 1 || session > 180:
			return nil, validation("sessionDurationInMinutes %d is not 1 to 180", session)
		case attributesSize(in.Attributes) > 1024:
			return nil, validation("attributes are larger than 1 KB")
		}
		for _, c := range in.Capabilities {
			if c != "SEND_MESSAGE" && c != "DISCONNECT_USER" && c != "DELETE_MESSAGE" {
				return nil, validation("capability %q", c)
			}
		}
		if !s.rooms[in.RoomIdentifier] {
			return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no room " + in.RoomIdentifier}
		}
		now := s.Now().UTC()
		return map[string]any{
			"token":                 opaqueToken(),
			"tokenExpirationTime":   now.Add(time.Minute).Format(time.RFC3339),
			"sessionExpirationTime": now.Add(time.Duration(session) * time.Minute).Format(time.RFC3339),
		}, nil
	}
}
