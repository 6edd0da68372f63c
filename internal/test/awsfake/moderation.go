package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// What video moderation calls (handler/videomoderation), modelled on the
// API references:
//   - Rekognition DetectModerationLabels (JSON 1.1): the image as an S3
//     object; labels at or above MinConfidence (50 when not given); an
//     object Rekognition cannot read is InvalidS3ObjectException (400).
//   - SNS Publish (query protocol, XML answers): TopicArn and Message
//     required; an unknown topic is NotFound (404).
//   - IVS StopStream: ChannelNotBroadcasting (404) for an offline channel;
//     the channel is offline after it.
//   - IVS StartViewerSessionRevocation: channelArn and viewerId (1 to 40
//     characters) required, viewerSessionVersionsLessThanOrEqualTo at
//     least 0 (ValidationException, 400); an unknown channel is
//     ResourceNotFoundException (404); an empty answer.

// Revocation is one StartViewerSessionRevocation the fake took.
type Revocation struct {
	ChannelArn, ViewerID string
	// UpTo is viewerSessionVersionsLessThanOrEqualTo (0 when not given).
	UpTo int64
}

// ModerationLabel is a label Rekognition finds in an image.
type ModerationLabel struct {
	Name, ParentName string
	Confidence       float64
}

// AddImage makes bucket/key an image Rekognition can read, with labels.
func (s *Server) AddImage(bucket, key string, labels ...ModerationLabel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.images == nil {
		s.images = map[string][]ModerationLabel{}
	}
	s.images[bucket+"/"+key] = labels
}

// AddTopic makes an SNS topic and returns its ARN.
func (s *Server) AddTopic(name string) string {
	arn := "arn:aws:sns:" + Region + ":" + Account + ":" + name
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.published == nil {
		s.published = map[string][]string{}
	}
	s.published[arn] = []string{}
	return arn
}

// Published returns the messages published to the topic, oldest first.
func (s *Server) Published(topic string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.published[topic]...)
}

// Live tells whether the channel's stream is live.
func (s *Server) Live(arn string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[arn]
	return c != nil && c.live
}

func (s *Server) rekognitionOperation(op string) func([]byte) (any, *apiError) {
	if op != "DetectModerationLabels" {
		return nil
	}
	return func(body []byte) (any, *apiError) {
		var in struct {
			Image struct {
				S3Object *struct{ Bucket, Name string }
			}
			MinConfidence *float64
		}
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		if in.Image.S3Object == nil {
			return nil, &apiError{http.StatusBadRequest, "InvalidParameterException", "give the image as an S3 object"}
		}
		labels, ok := s.images[in.Image.S3Object.Bucket+"/"+in.Image.S3Object.Name]
		if !ok {
			return nil, &apiError{http.StatusBadRequest, "InvalidS3ObjectException", "unable to get object metadata from S3"}
		}
		min := 50.0
		if in.MinConfidence != nil {
			min = *in.MinConfidence
		}
		out := []map[string]any{}
		for _, l := range labels {
			if l.Confidence >= min {
				out = append(out, map[string]any{"Name": l.Name, "ParentName": l.ParentName, "Confidence": l.Confidence})
			}
		}
		return map[string]any{"ModerationLabels": out, "ModerationModelVersion": "7.0"}, nil
	}
}

func (s *Server) snsOperation(op string, form url.Values) func([]byte) (any, *apiError) {
	if op != "Publish" {
		return nil
	}
	return func([]byte) (any, *apiError) {
		topic, message := form.Get("TopicArn"), form.Get("Message")
		if topic == "" || message == "" {
			return nil, &apiError{http.StatusBadRequest, "InvalidParameter", "TopicArn and Message are required"}
		}
		if _, ok := s.published[topic]; !ok {
			return nil, &apiError{http.StatusNotFound, "NotFound", "Topic does not exist"}
		}
		s.published[topic] = append(s.published[topic], message)
		return map[string]string{"MessageId": fmt.Sprintf("message-%d", len(s.published[topic]))}, nil
	}
}

func (s *Server) stopStream(body []byte) (any, *apiError) {
	var in struct {
		ChannelArn string `json:"channelArn"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	c := s.channels[in.ChannelArn]
	if c == nil {
		return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no channel " + in.ChannelArn}
	}
	if !c.live {
		return nil, &apiError{http.StatusNotFound, "ChannelNotBroadcasting", "the stream is offline for the given channel ARN"}
	}
	c.live = false
	return map[string]any{}, nil
}

// Revocations returns the viewer session revocations taken, in order.
func (s *Server) Revocations() []Revocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Revocation(nil), s.revocations...)
}

func (s *Server) startViewerSessionRevocation(body []byte) (any, *apiError) {
	var in struct {
		ChannelArn string `json:"channelArn"`
		ViewerID   string `json:"viewerId"`
		UpTo       *int64 `json:"viewerSessionVersionsLessThanOrEqualTo"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch n := len([]rune(in.ViewerID)); {
	case in.ChannelArn == "" || n < 1 || n > 40:
		return nil, &apiError{http.StatusBadRequest, "ValidationException", "channelArn and a viewerId of 1 to 40 characters are required"}
	case in.UpTo != nil && *in.UpTo < 0:
		return nil, &apiError{http.StatusBadRequest, "ValidationException", "viewerSessionVersionsLessThanOrEqualTo must be at least 0"}
	}
	if s.channels[in.ChannelArn] == nil {
		return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no channel " + in.ChannelArn}
	}
	r := Revocation{ChannelArn: in.ChannelArn, ViewerID: in.ViewerID}
	if in.UpTo != nil {
		r.UpTo = *in.UpTo
	}
	s.revocations = append(s.revocations, r)
	return map[string]any{}, nil
}

// writeQuery answers a query-protocol call in XML: <Op>Response with its
// <Op>Result fields, or an ErrorResponse.
func writeQuery(w http.ResponseWriter, op string, out any, apiErr *apiError) {
	w.Header().Set("Content-Type", "text/xml")
	if apiErr != nil {
		w.WriteHeader(apiErr.status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
			escape(apiErr.code), escape(apiErr.message))
		return
	}
	fields, _ := json.Marshal(out)
	var m map[string]string
	json.Unmarshal(fields, &m)
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintf(w, `<%sResponse><%sResult>`, op, op)
	for _, k := range names {
		fmt.Fprintf(w, "<%s>%s</%s>", k, escape(m[k]), k)
	}
	fmt.Fprintf(w, `</%sResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></%sResponse>`, op, op)
}

func escape(v string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(v))
	return b.String()
}
