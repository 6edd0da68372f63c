package realtimeapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Stages made and ended at run time (ivs.StageSessions): CreateStage,
// DeleteStage, ListStages, ListStageSessions and DisconnectParticipant,
// with the members botocore's model gives them (ivs-realtime
// 2020-07-14).

// CreateStageInput is CreateStage's request. Participant tokens are not
// made with the stage: CreateParticipantToken makes them, with an explicit
// duration and capabilities.
type CreateStageInput struct {
	Name string            `json:"name,omitempty"`
	Tags map[string]string `json:"tags,omitempty"`
}

// CreateStage makes a stage.
func (c *Client) CreateStage(ctx context.Context, in CreateStageInput) (*Stage, error) {
	var out struct {
		Stage Stage `json:"stage"`
	}
	if err := c.call(ctx, "CreateStage", in, &out); err != nil {
		return nil, err
	}
	if out.Stage.Arn == "" {
		return nil, fmt.Errorf("CreateStage: the answer names no stage")
	}
	return &out.Stage, nil
}

// DeleteStage shuts a stage down, disconnecting everyone, and deletes it.
func (c *Client) DeleteStage(ctx context.Context, arn string) error {
	return c.call(ctx, "DeleteStage", map[string]string{"arn": arn}, &struct{}{})
}

// StageSummary is one stage of ListStages.
type StageSummary struct {
	Arn             string            `json:"arn"`
	Name            string            `json:"name"`
	ActiveSessionID string            `json:"activeSessionId"`
	Tags            map[string]string `json:"tags"`
}

// ListStages returns every stage of the account and region, all pages.
func (c *Client) ListStages(ctx context.Context) ([]StageSummary, error) {
	var all []StageSummary
	in := map[string]any{"maxResults": 100}
	for {
		var out struct {
			Stages    []StageSummary `json:"stages"`
			NextToken string         `json:"nextToken"`
		}
		if err := c.call(ctx, "ListStages", in, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Stages...)
		if out.NextToken == "" {
			return all, nil
		}
		in["nextToken"] = out.NextToken
	}
}

// StageSession is one session of a stage: it begins when the first
// participant joins and ends after the last one leaves; EndTime is zero
// while it is active.
type StageSession struct {
	SessionID string    `json:"sessionId"`
	StartTime time.Time `json:"startTime"`
	EndTime   time.Time `json:"endTime"`
}

// LatestStageSession returns the stage's newest session (ListStageSessions
// lists them newest first), or nil when the stage never had one.
func (c *Client) LatestStageSession(ctx context.Context, stageArn string) (*StageSession, error) {
	var out struct {
		StageSessions []StageSession `json:"stageSessions"`
	}
	if err := c.call(ctx, "ListStageSessions", map[string]any{"stageArn": stageArn, "maxResults": 1}, &out); err != nil {
		return nil, err
	}
	if len(out.StageSessions) == 0 {
		return nil, nil
	}
	return &out.StageSessions[0], nil
}

// DisconnectParticipant disconnects a participant from a stage, with a
// reason of at most 128 characters.
func (c *Client) DisconnectParticipant(ctx context.Context, stageArn, participantID, reason string) error {
	if len([]rune(reason)) > 128 {
		return fmt.Errorf("DisconnectParticipant: the reason is %d characters, at most 128", len([]rune(reason)))
	}
	return c.call(ctx, "DisconnectParticipant", map[string]string{"stageArn": stageArn, "participantId": participantID, "reason": reason}, &struct{}{})
}

// Participant is what GetParticipant returns of a participant.
type Participant struct {
	ParticipantID string `json:"participantId"`
	UserID        string `json:"userId"`
	State         string `json:"state"`
}

// GetParticipant reads a participant of a stage's session.
func (c *Client) GetParticipant(ctx context.Context, stageArn, sessionID, participantID string) (*Participant, error) {
	var out struct {
		Participant Participant `json:"participant"`
	}
	if err := c.call(ctx, "GetParticipant", map[string]string{"stageArn": stageArn, "sessionId": sessionID, "participantId": participantID}, &out); err != nil {
		return nil, err
	}
	return &out.Participant, nil
}

// TagResource adds tags to a resource (POST /tags/{resourceArn}).
func (c *Client) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	return c.callPath(ctx, "TagResource", http.MethodPost, "/tags/"+url.PathEscape(arn), map[string]any{"tags": tags})
}

// UntagResource removes tags from a resource (DELETE
// /tags/{resourceArn}?tagKeys=…).
func (c *Client) UntagResource(ctx context.Context, arn string, keys []string) error {
	q := url.Values{"tagKeys": keys}
	return c.callPath(ctx, "UntagResource", http.MethodDelete, "/tags/"+url.PathEscape(arn)+"?"+q.Encode(), nil)
}
