package awsfake

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// Stages made and ended at run time. Shapes and limits are botocore's
// (ivs-realtime 2020-07-14): a stage name of at most 128 letters, digits,
// '-' and '_'; at most 50 tags, keys 1 to 128 characters, values at most
// 256; ListStages and ListStageSessions take maxResults 1 to 100 (default
// 50); a session ID is "st-" and 13 letters or digits; a disconnection
// reason is at most 128 characters. Sessions start and end only when a
// test says so (StartSession, EndSession), as participants would make
// them.

var stageName = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)

// StartSession starts a session on the stage at the time given (the first
// participant joined) and returns its ID.
func (s *Server) StartSession(stageArn string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[stageArn]
	if st == nil {
		panic("awsfake: StartSession of an unknown stage " + stageArn)
	}
	s.serial++
	id := fmt.Sprintf("st-%013d", s.serial)
	st.ActiveSessionID = id
	st.Sessions = append(st.Sessions, StageSession{ID: id, StartTime: at.UTC()})
	return id
}

// EndSession ends the stage's active session at the time given (the last
// participant left).
func (s *Server) EndSession(stageArn string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[stageArn]
	if st == nil || st.ActiveSessionID == "" {
		panic("awsfake: EndSession of a stage with no active session " + stageArn)
	}
	st.Sessions[len(st.Sessions)-1].EndTime = at.UTC()
	st.ActiveSessionID = ""
}

// Join records a participant joining the stage's active session, with a
// user ID, as a client with a token does.
func (s *Server) Join(stageArn, participantID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[stageArn]
	if st.Participants == nil {
		st.Participants = map[string]string{}
	}
	st.Participants[participantID] = userID
}

// tagOperation answers TagResource and UntagResource of a stage.
func (s *Server) tagOperation(op, arn string, keys []string) func([]byte) (any, *apiError) {
	return func(body []byte) (any, *apiError) {
		st, ok := s.stages[arn]
		if !ok {
			return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no resource " + arn}
		}
		if op == "UntagResource" {
			for _, k := range keys {
				delete(st.Tags, k)
			}
			return map[string]any{}, nil
		}
		var in struct {
			Tags map[string]string `json:"tags"`
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		merged := copyTags(st.Tags)
		if merged == nil {
			merged = map[string]string{}
		}
		for k, v := range in.Tags {
			merged[k] = v
		}
		if err := checkTags(merged); err != nil {
			return nil, err
		}
		st.Tags = merged
		return map[string]any{}, nil
	}
}

// Stages returns copies of the stored stages, sorted by ARN.
func (s *Server) Stages() []Stage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Stage
	for _, st := range s.stages {
		c := *st
		c.Tags = copyTags(st.Tags)
		c.Sessions = append([]StageSession(nil), st.Sessions...)
		c.Disconnected = append([]Disconnection(nil), st.Disconnected...)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Arn < out[j].Arn })
	return out
}

// TagStage adds tags to a stage, as another tool of the account might.
func (s *Server) TagStage(stageArn string, tags map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[stageArn]
	if st.Tags == nil {
		st.Tags = map[string]string{}
	}
	for k, v := range tags {
		st.Tags[k] = v
	}
}

func copyTags(tags map[string]string) map[string]string {
	if tags == nil {
		return nil
	}
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		out[k] = v
	}
	return out
}

// named is the input of CreateStage and CreateRoom: a name and tags.
type named struct {
	Name string            `json:"name"`
	Tags map[string]string `json:"tags"`
}

// decodeNamed reads and checks a name (at most 128 letters, digits, - and
// _, as IVS's StageName and IVS Chat's RoomName are) and tags.
func decodeNamed(body []byte) (named, *apiError) {
	var in named
	if err := decode(body, &in); err != nil {
		return in, err
	}
	if len(in.Name) > 128 || !stageName.MatchString(in.Name) {
		return in, validation("name %q is not at most 128 letters, digits, - and _", in.Name)
	}
	return in, checkTags(in.Tags)
}

func checkTags(tags map[string]string) *apiError {
	if len(tags) > 50 {
		return validation("at most 50 tags, not %d", len(tags))
	}
	for k, v := range tags {
		if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
			return validation("tag key %q is not 1 to 128 characters", k)
		}
		if utf8.RuneCountInString(v) > 256 {
			return validation("tag %q's value is longer than 256 characters", k)
		}
	}
	return nil
}

// maxResults reads a list operation's maxResults: 50 when absent, 1 to 100
// (IVS's stage and session lists).
func maxResults(n *int) (int, *apiError) { return maxResultsUpTo(n, 100) }

// maxResultsUpTo reads maxResults of a list whose pages hold at most limit
// (50 when absent).
func maxResultsUpTo(n *int, limit int) (int, *apiError) {
	if n == nil {
		return min(50, limit), nil
	}
	if *n < 1 || *n > limit {
		return 0, validation("maxResults %d is not 1 to %d", *n, limit)
	}
	return *n, nil
}

// pageOf returns a page of keys: the sorted keys from next on, at most n,
// and the next page's token (its first key; "" after the last page).
func pageOf[V any](items map[string]V, next string, n int) ([]string, string) {
	keys := slices.Sorted(maps.Keys(items))
	i := sort.SearchStrings(keys, next)
	end := min(i+n, len(keys))
	if end < len(keys) {
		return keys[i:end], keys[end]
	}
	return keys[i:end], ""
}

func (s *Server) stageAnswer(st *Stage) map[string]any {
	return map[string]any{"arn": st.Arn, "name": st.Name, "activeSessionId": st.ActiveSessionID, "tags": copyTags(st.Tags),
		"endpoints": map[string]string{"events": st.EventsURL, "whip": st.WhipURL}}
}

func (s *Server) stageOperation(op string) func([]byte) (any, *apiError) {
	notFound := func(arn string) *apiError {
		return &apiError{http.StatusNotFound, "ResourceNotFoundException", "no stage " + arn}
	}
	switch op {
	case "CreateStage":
		return func(body []byte) (any, *apiError) {
			in, err := decodeNamed(body)
			if err != nil {
				return nil, err
			}
			if s.StageQuota > 0 && len(s.stages) >= s.StageQuota {
				return nil, &apiError{http.StatusPaymentRequired, "ServiceQuotaExceededException", "the account has " + strconv.Itoa(len(s.stages)) + " stages, its quota"}
			}
			s.serial++
			id := fmt.Sprintf("sg%010d", s.serial)
			st := &Stage{Arn: fmt.Sprintf("arn:aws:ivs:%s:%s:stage/%s", Region, Account, id), Name: in.Name, Tags: copyTags(in.Tags),
				EventsURL: "wss://global.events.live-video.net", WhipURL: fmt.Sprintf("https://%s.global-bm.whip.live-video.net", id)}
			s.stages[st.Arn] = st
			return map[string]any{"stage": s.stageAnswer(st), "participantTokens": []any{}}, nil
		}
	case "DeleteStage":
		return func(body []byte) (any, *apiError) {
			var in struct {
				Arn string `json:"arn"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			if _, ok := s.stages[in.Arn]; !ok {
				return nil, notFound(in.Arn)
			}
			delete(s.stages, in.Arn)
			return map[string]any{}, nil
		}
	case "ListStages":
		return func(body []byte) (any, *apiError) {
			var in struct {
				NextToken  string `json:"nextToken"`
				MaxResults *int   `json:"maxResults"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			n, err := maxResults(in.MaxResults)
			if err != nil {
				return nil, err
			}
			arns, next := pageOf(s.stages, in.NextToken, n)
			page := []any{}
			for _, arn := range arns {
				st := s.stages[arn]
				page = append(page, map[string]any{"arn": st.Arn, "name": st.Name, "activeSessionId": st.ActiveSessionID, "tags": copyTags(st.Tags)})
			}
			out := map[string]any{"stages": page}
			if next != "" {
				out["nextToken"] = next
			}
			return out, nil
		}
	case "ListStageSessions":
		return func(body []byte) (any, *apiError) {
			var in struct {
				StageArn   string `json:"stageArn"`
				MaxResults *int   `json:"maxResults"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			n, err := maxResults(in.MaxResults)
			if err != nil {
				return nil, err
			}
			st, ok := s.stages[in.StageArn]
			if !ok {
				return nil, notFound(in.StageArn)
			}
			list := []any{}
			for i := len(st.Sessions) - 1; i >= 0 && len(list) < n; i-- { // newest first
				session := map[string]any{"sessionId": st.Sessions[i].ID, "startTime": st.Sessions[i].StartTime.Format(time.RFC3339)}
				if !st.Sessions[i].EndTime.IsZero() {
					session["endTime"] = st.Sessions[i].EndTime.Format(time.RFC3339)
				}
				list = append(list, session)
			}
			return map[string]any{"stageSessions": list}, nil
		}
	case "GetParticipant":
		return func(body []byte) (any, *apiError) {
			var in struct {
				StageArn      string `json:"stageArn"`
				SessionID     string `json:"sessionId"`
				ParticipantID string `json:"participantId"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			st, ok := s.stages[in.StageArn]
			if !ok {
				return nil, notFound(in.StageArn)
			}
			user, joined := st.Participants[in.ParticipantID]
			if !joined || in.SessionID != st.ActiveSessionID {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no participant " + in.ParticipantID + " in session " + in.SessionID}
			}
			return map[string]any{"participant": map[string]any{"participantId": in.ParticipantID, "userId": user, "state": "CONNECTED"}}, nil
		}
	case "DisconnectParticipant":
		return func(body []byte) (any, *apiError) {
			var in struct {
				StageArn      string `json:"stageArn"`
				ParticipantID string `json:"participantId"`
				Reason        string `json:"reason"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			st, ok := s.stages[in.StageArn]
			switch {
			case in.ParticipantID == "":
				return nil, validation("participantId is required")
			case utf8.RuneCountInString(in.Reason) > 128:
				return nil, validation("reason is longer than 128 characters")
			case !ok:
				return nil, notFound(in.StageArn)
			}
			st.Disconnected = append(st.Disconnected, Disconnection{ParticipantID: in.ParticipantID, Reason: in.Reason})
			return map[string]any{}, nil
		}
	}
	return nil
}
