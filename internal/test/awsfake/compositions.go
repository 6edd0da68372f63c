package awsfake

import (
	"fmt"
	"net/http"
	"regexp"
	"time"
)

// Server-side composition as the IVS real-time user guide and botocore's
// model (ivs-realtime 2020-07-14) describe it: a composition of a stage to
// one or two destinations (a channel, which must be offline, and/or a
// storage configuration); an idempotency token of 1 to 64 letters, digits,
// '-' and '_' that makes a repeated start the same composition; states
// STARTING, ACTIVE, STOPPING, FAILED and STOPPED; and the stop IVS makes
// by itself 60 seconds after the last publisher stops, or when the stage
// is deleted. Time is the fake's Now.

// CompositionAutoStop is how long after the last publisher stops IVS
// stops a composition by itself.
const CompositionAutoStop = 60 * time.Second

// CompositionQuota is how many compositions may run at once (the default
// quota the issue gives: 5 per account and region).
const CompositionQuota = 5

// Composition is a composition as the fake stores it.
type Composition struct {
	Arn, StageArn, Token, ChannelArn, StorageArn string
	State                                        string
	Tags                                         map[string]string
	Start, End                                   time.Time
	stopped                                      bool
}

var compositionToken = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)

// Publish marks a participant publishing on the stage (Participant
// Published); Unpublish marks them stopped at the time given.
func (s *Server) Publish(stageArn, participant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[stageArn]
	if st.Publishing == nil {
		st.Publishing = map[string]bool{}
	}
	st.Publishing[participant] = true
}

// Unpublish marks a participant no longer publishing, at the time given.
func (s *Server) Unpublish(stageArn, participant string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stages[stageArn]
	delete(st.Publishing, participant)
	if len(st.Publishing) == 0 {
		st.LastUnpublished = at
	}
}

// Compositions returns copies of the compositions, in the order started,
// their states as of the fake's Now.
func (s *Server) Compositions() []Composition {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshCompositions()
	var out []Composition
	for _, c := range s.compositions {
		out = append(out, *c)
	}
	return out
}

// refreshCompositions moves each running composition to the state Now
// gives it: STOPPED once asked to stop, once its stage is gone, or
// CompositionAutoStop after the last publisher stopped (or after its start,
// if nobody ever published); ACTIVE otherwise.
func (s *Server) refreshCompositions() {
	now := s.Now()
	for _, c := range s.compositions {
		if c.State == "STOPPED" || c.State == "FAILED" {
			continue
		}
		st, ok := s.stages[c.StageArn]
		idleSince := c.Start
		if ok && st.LastUnpublished.After(idleSince) {
			idleSince = st.LastUnpublished
		}
		switch {
		case c.stopped, !ok, len(st.Publishing) == 0 && !now.Before(idleSince.Add(CompositionAutoStop)):
			c.State, c.End = "STOPPED", now
		default:
			c.State = "ACTIVE"
		}
	}
}

func (s *Server) compositionAnswer(c *Composition) map[string]any {
	out := map[string]any{"arn": c.Arn, "stageArn": c.StageArn, "state": c.State, "tags": copyTags(c.Tags),
		"startTime": c.Start.Format(time.RFC3339), "destinations": []any{}}
	if !c.End.IsZero() {
		out["endTime"] = c.End.Format(time.RFC3339)
	}
	return out
}

func (s *Server) compositionOperation(op string) func([]byte) (any, *apiError) {
	handle := s.compositionHandler(op)
	if handle == nil {
		return nil
	}
	return func(body []byte) (any, *apiError) {
		s.refreshCompositions() // the handlers run with s.mu held
		return handle(body)
	}
}

func (s *Server) compositionHandler(op string) func([]byte) (any, *apiError) {
	switch op {
	case "StartComposition":
		return func(body []byte) (any, *apiError) {
			var in struct {
				StageArn         string `json:"stageArn"`
				IdempotencyToken string `json:"idempotencyToken"`
				Destinations     []struct {
					Channel *struct {
						ChannelArn string `json:"channelArn"`
					} `json:"channel"`
					S3 *struct {
						StorageConfigurationArn  string   `json:"storageConfigurationArn"`
						EncoderConfigurationArns []string `json:"encoderConfigurationArns"`
					} `json:"s3"`
				} `json:"destinations"`
				Tags map[string]string `json:"tags"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			if in.IdempotencyToken != "" && !compositionToken.MatchString(in.IdempotencyToken) {
				return nil, validation("idempotencyToken %q is not 1 to 64 letters, digits, - and _", in.IdempotencyToken)
			}
			if n := len(in.Destinations); n < 1 || n > 2 {
				return nil, validation("%d destinations: give 1 or 2", n)
			}
			if _, ok := s.stages[in.StageArn]; !ok {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no stage " + in.StageArn}
			}
			c := &Composition{StageArn: in.StageArn, Token: in.IdempotencyToken, Tags: copyTags(in.Tags), State: "STARTING", Start: s.Now().UTC()}
			for _, d := range in.Destinations {
				switch {
				case d.Channel != nil && d.S3 == nil && d.Channel.ChannelArn != "":
					c.ChannelArn = d.Channel.ChannelArn
				case d.S3 != nil && d.Channel == nil && d.S3.StorageConfigurationArn != "" && len(d.S3.EncoderConfigurationArns) == 1:
					c.StorageArn = d.S3.StorageConfigurationArn
				default:
					return nil, validation("a destination is a channel (channelArn) or s3 (storageConfigurationArn and one encoderConfigurationArn)")
				}
			}
			live := 0
			for _, other := range s.compositions {
				if other.State == "STOPPED" || other.State == "FAILED" {
					continue
				}
				if c.Token != "" && other.StageArn == c.StageArn && other.Token == c.Token {
					return map[string]any{"composition": s.compositionAnswer(other)}, nil // the same start again
				}
				if c.ChannelArn != "" && other.ChannelArn == c.ChannelArn {
					return nil, &apiError{http.StatusConflict, "ConflictException", "channel " + c.ChannelArn + " is broadcasting: it must be offline"}
				}
				live++
			}
			if live >= CompositionQuota {
				return nil, &apiError{http.StatusPaymentRequired, "ServiceQuotaExceededException", fmt.Sprintf("%d compositions are running, the quota", live)}
			}
			s.serial++
			c.Arn = fmt.Sprintf("arn:aws:ivs:%s:%s:composition/cp%010d", Region, Account, s.serial)
			s.compositions = append(s.compositions, c)
			return map[string]any{"composition": s.compositionAnswer(c)}, nil
		}
	case "StopComposition":
		return func(body []byte) (any, *apiError) {
			var in struct {
				Arn string `json:"arn"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			for _, c := range s.compositions {
				if c.Arn == in.Arn {
					c.stopped = true
					s.refreshCompositions()
					return map[string]any{}, nil
				}
			}
			return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no composition " + in.Arn}
		}
	case "ListCompositions":
		return func(body []byte) (any, *apiError) {
			var in struct {
				FilterByStageArn string `json:"filterByStageArn"`
				MaxResults       *int   `json:"maxResults"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			if _, err := maxResults(in.MaxResults); err != nil {
				return nil, err
			}
			list := []any{}
			for _, c := range s.compositions {
				if in.FilterByStageArn == "" || c.StageArn == in.FilterByStageArn {
					list = append(list, s.compositionAnswer(c))
				}
			}
			return map[string]any{"compositions": list}, nil
		}
	}
	return nil
}
