package awsfake

import (
	"net/http"
	"regexp"
	"time"
)

// Timed metadata (IVS API reference, PutMetadata): the channel must exist
// (ResourceNotFoundException, 404) and be live (ChannelNotBroadcasting,
// 404); the metadata is 1 byte to 1 KB (ValidationException, 400); at most
// 5 calls per second per channel (ThrottlingException, 429).

// MetadataCue is one PutMetadata call the fake accepted.
type MetadataCue struct {
	Metadata string
	At       time.Time
}

var channelArnPattern = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+$`)

// AddChannel makes a channel the fake knows, live or not, and returns its
// ARN.
func (s *Server) AddChannel(id string, live bool) string {
	arn := "arn:aws:ivs:" + Region + ":" + Account + ":channel/" + id
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.channels == nil {
		s.channels = map[string]*channel{}
	}
	s.channels[arn] = &channel{live: live}
	return arn
}

// SetLive starts or ends the stream of the channel with ARN arn (making
// the channel if the fake does not know it).
func (s *Server) SetLive(arn string, live bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.channels == nil {
		s.channels = map[string]*channel{}
	}
	if s.channels[arn] == nil {
		s.channels[arn] = &channel{}
	}
	s.channels[arn].live = live
}

// Metadata returns the metadata put on the channel, oldest first.
func (s *Server) Metadata(arn string) []MetadataCue {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channels[arn]; c != nil {
		return append([]MetadataCue(nil), c.cues...)
	}
	return nil
}

type channel struct {
	live bool
	cues []MetadataCue
}

func (s *Server) putMetadata(body []byte) (any, *apiError) {
	var in struct {
		ChannelArn string `json:"channelArn"`
		Metadata   string `json:"metadata"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch {
	case !channelArnPattern.MatchString(in.ChannelArn) || len(in.ChannelArn) > 128:
		return nil, &apiError{http.StatusBadRequest, "ValidationException", "channelArn does not match the channel ARN pattern"}
	case in.Metadata == "" || len(in.Metadata) > 1024:
		return nil, &apiError{http.StatusBadRequest, "ValidationException", "metadata must be 1 byte to 1 KB"}
	}
	c := s.channels[in.ChannelArn]
	if c == nil {
		return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no channel " + in.ChannelArn}
	}
	if !c.live {
		return nil, &apiError{http.StatusNotFound, "ChannelNotBroadcasting", "the stream is offline for the given channel ARN"}
	}
	now, recent := s.Now(), 0
	for _, cue := range c.cues {
		if now.Sub(cue.At) < time.Second {
			recent++
		}
	}
	if recent >= 5 {
		return nil, &apiError{http.StatusTooManyRequests, "ThrottlingException", "at most 5 PutMetadata calls per second per channel"}
	}
	c.cues = append(c.cues, MetadataCue{in.Metadata, now})
	return map[string]any{}, nil
}
