// Package videomoderation is the runtime half of ivsops.VideoModeration:
// a Lambda handler for the S3 notifications of a recording bucket that
// sends each new thumbnail of the channels it watches to Amazon
// Rekognition's DetectModerationLabels and, when the image carries a label
// of the watched categories at the minimum confidence, stops the stream
// (ivs:StopStream), revokes the sessions of the channel's viewers
// (ivs:StartViewerSessionRevocation, for each viewer a playback token
// endpoint's viewer log lists: package viewerlog), keeps the evidence
// beside the recording in the recording library's index
// (recordingindex.Store.PutEvidence), and tells a topic (sns:Publish) with
// it: the thumbnail's key, the labels, when, and what was done.
//
// IVS writes a channel's thumbnails under
// ivs/v1/<account>/<channel ID>/<date and time>/<recording>/media/thumbnails/
// (IVS Low-Latency user guide, "Auto-Record to Amazon S3"), one per
// thumbnail interval. The handler checks at most one per channel per
// Interval (per function instance, on the injected clock), so the cost is
// bounded by the interval whatever the renditions or retries.
//
// When Rekognition cannot answer (throttled, failing, or the image
// refused), the configured Fallback applies, chosen explicitly like a chat
// room's: FallbackStop stops the stream as a hit would (fail closed),
// FallbackAllow lets it go on (fail open); both tell the topic.
//
// The package never imports the CDK.
package videomoderation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	rektypes "github.com/aws/aws-sdk-go-v2/service/rekognition/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/ivsarn"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// EnvConfig is the environment variable holding the Config as JSON.
const EnvConfig = wire.VideoModerationEnvConfig

// The fallbacks: what happens to the stream when Rekognition cannot say.
const (
	FallbackStop  = wire.VideoModerationFallbackStop
	FallbackAllow = wire.VideoModerationFallbackAllow
)

// Config is the function's configuration, as the construct writes it.
type Config struct {
	// Channels are the ARNs of the channels watched.
	Channels []string `json:"channels"`
	// Categories are the moderation labels that count: a label whose
	// name or parent's name is listed (Rekognition's taxonomy has three
	// levels; each label names its parent); none: every label counts.
	Categories []string `json:"categories,omitempty"`
	// MinConfidence is the confidence, 0 to 100, a label needs.
	MinConfidence float64 `json:"minConfidence"`
	// StopStream stops the channel's stream on a hit.
	StopStream bool `json:"stopStream"`
	// TopicArn, when set, is told of every hit and every fallback.
	TopicArn string `json:"topicArn,omitempty"`
	// Fallback is FallbackStop or FallbackAllow.
	Fallback string `json:"fallback"`
	// Interval is the least time between two checks of one channel.
	Interval tokenapi.Duration `json:"interval"`
	// ViewerTable, when set, is the viewer log (package viewerlog) whose
	// viewers' sessions are revoked whenever the stream is stopped.
	ViewerTable string `json:"viewerTable,omitempty"`
	// IndexTable, when set, is the recording index the evidence of every
	// hit and fallback is kept in.
	IndexTable string `json:"indexTable,omitempty"`
	// IndexRetention is the index's retention, which the evidence expires
	// with (0: kept for good).
	IndexRetention tokenapi.Duration `json:"indexRetention,omitempty"`
}

// RevokeParallelism is how many revocations run at once: IVS takes one
// viewer per call, and the SDK's retryer waits out its throttling.
const RevokeParallelism = 4

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	return tokenapi.ParseConfig(EnvConfig, data, (*Config).check)
}

func (c *Config) check() error {
	if err := tokenapi.CheckARNs("channel", c.Channels, tokenapi.ChannelArnPattern); err != nil {
		return err
	}
	switch {
	case c.MinConfidence < 0 || c.MinConfidence > 100:
		return fmt.Errorf("minConfidence %v is not 0 to 100", c.MinConfidence)
	case c.Fallback != FallbackStop && c.Fallback != FallbackAllow:
		return fmt.Errorf("fallback %q is neither %q nor %q", c.Fallback, FallbackStop, FallbackAllow)
	case c.Interval < 0:
		return fmt.Errorf("interval %s is negative", time.Duration(c.Interval))
	}
	return nil
}

// The parts of the clients the handler calls.
type (
	// RekognitionAPI is the Rekognition call: DetectModerationLabels.
	RekognitionAPI interface {
		DetectModerationLabels(context.Context, *rekognition.DetectModerationLabelsInput, ...func(*rekognition.Options)) (*rekognition.DetectModerationLabelsOutput, error)
	}
	// IVSAPI is the IVS calls: StopStream and StartViewerSessionRevocation.
	IVSAPI interface {
		StopStream(context.Context, *ivs.StopStreamInput, ...func(*ivs.Options)) (*ivs.StopStreamOutput, error)
		StartViewerSessionRevocation(context.Context, *ivs.StartViewerSessionRevocationInput, ...func(*ivs.Options)) (*ivs.StartViewerSessionRevocationOutput, error)
	}
	// SNSAPI is the SNS call: Publish.
	SNSAPI interface {
		Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
	}
)

// Handler checks thumbnails. It is safe for concurrent use.
type Handler struct {
	config      Config
	rekognition RekognitionAPI
	ivs         IVSAPI
	sns         SNSAPI
	now         func() time.Time
	// channels maps "<account>/<channel ID>", as in the keys, to the ARN.
	channels map[string]string
	viewers  *viewerlog.Log        // nil without UseTables
	evidence *recordingindex.Store // nil without UseTables

	mu          sync.Mutex
	lastChecked map[string]time.Time
}

// New returns a Handler for config with the clients, on the clock now
// (time.Now when nil). sns may be nil without a topic.
func New(config Config, r RekognitionAPI, i IVSAPI, s SNSAPI, now func() time.Time) (*Handler, error) {
	if err := config.check(); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	h := &Handler{config: config, rekognition: r, ivs: i, sns: s, now: now, channels: map[string]string{}, lastChecked: map[string]time.Time{}}
	for _, arn := range config.Channels {
		a, _ := ivsarn.Parse(arn)
		h.channels[a.Account+"/"+a.ResourceID] = arn
	}
	return h, nil
}

// DynamoDB is the part of the DynamoDB client the handler uses, for the
// viewer log and the recording index.
type DynamoDB interface {
	viewerlog.DynamoDB
	recordingindex.DynamoDB
}

// UseTables reads the configuration's ViewerTable and writes its
// IndexTable through db, and returns h. Without it, a configuration
// naming either table fails each stop or hit it cannot complete (so that
// Lambda retries the event) rather than skipping the step.
func (h *Handler) UseTables(db DynamoDB) *Handler {
	if h.config.ViewerTable != "" {
		h.viewers = &viewerlog.Log{Client: db, Table: h.config.ViewerTable}
	}
	if h.config.IndexTable != "" {
		h.evidence = &recordingindex.Store{Client: db, Table: h.config.IndexTable, Retention: time.Duration(h.config.IndexRetention)}
	}
	return h
}

// FromEnvironment returns the Handler the Lambda function runs.
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		h, err := New(c, rekognition.NewFromConfig(cfg), ivs.NewFromConfig(cfg), sns.NewFromConfig(cfg), nil)
		if err == nil && (c.ViewerTable != "" || c.IndexTable != "") {
			h.UseTables(dynamodb.NewFromConfig(cfg))
		}
		return h, err
	})
}

// Label is a moderation label Rekognition found: its name, its parent's
// in the taxonomy, and the confidence in percent.
type Label = recordingindex.ModerationLabel

// Finding is what the handler decided about one thumbnail, and what it
// tells the topic: the evidence it keeps in the recording index
// (recordingindex.Evidence: the thumbnail's key, the outcome, "flagged",
// "clean" or "fallback", the labels that counted, the reason of a
// fallback, when it checked on its clock, whether it stopped the stream
// and how many viewers it revoked), with whose thumbnail it is and where.
type Finding struct {
	recordingindex.Evidence
	ChannelArn string `json:"channelArn"`
	Bucket     string `json:"bucket"`
	// EvidenceKept tells whether it kept the evidence in the recording
	// index.
	EvidenceKept bool `json:"evidenceKept"`
}

// Handle checks the thumbnails of an S3 notification. It returns an error
// only when an action it decided on failed (stopping the stream, telling
// the topic), so that Lambda retries the event; Rekognition's failures take
// the fallback instead.
func (h *Handler) Handle(ctx context.Context, event events.S3Event) error {
	var failed []error
	for _, record := range event.Records {
		if _, err := h.Check(ctx, record.S3.Bucket.Name, record.S3.Object.URLDecodedKey); err != nil {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}

// Check checks one object: nil Finding when it is not a thumbnail of a
// watched channel, or another thumbnail of its channel was checked less
// than Interval ago.
func (h *Handler) Check(ctx context.Context, bucket, key string) (*Finding, error) {
	channel, ok := h.channelOf(key)
	if !ok || !h.due(channel) {
		return nil, nil
	}
	f := &Finding{ChannelArn: channel, Bucket: bucket, Evidence: recordingindex.Evidence{Key: key, Labels: []Label{}, CheckedAt: h.now().UTC()}}
	out, err := h.rekognition.DetectModerationLabels(ctx, &rekognition.DetectModerationLabelsInput{
		Image:         &rektypes.Image{S3Object: &rektypes.S3Object{Bucket: aws.String(bucket), Name: aws.String(key)}},
		MinConfidence: aws.Float32(float32(h.config.MinConfidence)),
	})
	switch {
	case err != nil:
		log.Printf("DetectModerationLabels of s3://%s/%s: %v; fallback %s", bucket, key, err, h.config.Fallback)
		f.Outcome, f.Reason = "fallback", "Rekognition did not check the thumbnail ("+errorCode(err)+"); fallback "+h.config.Fallback
	default:
		for _, l := range out.ModerationLabels {
			label := Label{Name: aws.ToString(l.Name), ParentName: aws.ToString(l.ParentName), Confidence: float64(aws.ToFloat32(l.Confidence))}
			if label.Confidence >= h.config.MinConfidence && h.counts(label) {
				f.Labels = append(f.Labels, label)
			}
		}
		f.Outcome = "clean"
		if len(f.Labels) > 0 {
			f.Outcome = "flagged"
		}
	}
	stop := h.config.StopStream && (f.Outcome == "flagged" || f.Outcome == "fallback" && h.config.Fallback == FallbackStop)
	if stop {
		if err := h.stop(ctx, f); err != nil {
			h.forget(channel) // so that Lambda's retry of the event checks again
			return f, err
		}
	}
	if f.Outcome != "clean" && h.config.IndexTable != "" {
		if err := h.keep(ctx, f); err != nil {
			h.forget(channel)
			return f, err
		}
	}
	if f.Outcome != "clean" && h.config.TopicArn != "" && h.sns != nil {
		message, _ := json.Marshal(f)
		if _, err := h.sns.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(h.config.TopicArn), Message: aws.String(string(message)),
			Subject: aws.String(subject(f))}); err != nil {
			h.forget(channel)
			return f, fmt.Errorf("telling %s of %s: %w", h.config.TopicArn, key, err)
		}
	}
	return f, nil
}

// stop stops f's stream and revokes its viewers' sessions.
func (h *Handler) stop(ctx context.Context, f *Finding) error {
	_, err := h.ivs.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: aws.String(f.ChannelArn)})
	var offline *ivstypes.ChannelNotBroadcasting
	switch {
	case err == nil:
		f.StreamStopped = true
	case errors.As(err, &offline): // already stopped: nothing to do
	default:
		return fmt.Errorf("stopping %s after %s: %w", f.ChannelArn, f.Key, err)
	}
	if h.config.ViewerTable == "" {
		return nil
	}
	if h.viewers == nil {
		return fmt.Errorf("revoking the viewers of %s: no DynamoDB client for the viewer log (UseTables)", f.ChannelArn)
	}
	viewers, err := h.viewers.Viewers(ctx, f.ChannelArn, f.CheckedAt)
	if err != nil {
		return err
	}
	// Sessions up to this second end; tokens issued after it (the
	// stream live again) carry later versions.
	version := viewerlog.SessionVersion(f.CheckedAt)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failed  []error
		slots   = make(chan struct{}, RevokeParallelism)
		revoked int
	)
	for _, viewer := range viewers {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			_, err := h.ivs.StartViewerSessionRevocation(ctx, &ivs.StartViewerSessionRevocationInput{
				ChannelArn: aws.String(f.ChannelArn), ViewerId: aws.String(viewer), ViewerSessionVersionsLessThanOrEqualTo: version})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, fmt.Errorf("revoking viewer %q of %s: %w", viewer, f.ChannelArn, err))
				return
			}
			revoked++
		}()
	}
	wg.Wait()
	f.ViewersRevoked = revoked
	return errors.Join(failed...)
}

// keep writes f's evidence to the recording index.
func (h *Handler) keep(ctx context.Context, f *Finding) error {
	if h.evidence == nil {
		return fmt.Errorf("keeping the evidence of %s: no DynamoDB client for the recording index (UseTables)", f.Key)
	}
	err := h.evidence.PutEvidence(ctx, f.Evidence)
	f.EvidenceKept = err == nil
	return err
}

// forget undoes a channel's last check, after an action failed.
func (h *Handler) forget(channel string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.lastChecked, channel)
}

// subject is the notification's subject line (at most 100 characters).
func subject(f *Finding) string {
	id := f.ChannelArn[strings.LastIndexByte(f.ChannelArn, '/')+1:]
	if f.Outcome == "flagged" {
		return "IVS video moderation: channel " + id + " flagged"
	}
	return "IVS video moderation: channel " + id + " not checked"
}

// counts tells whether label is of a watched category.
func (h *Handler) counts(label Label) bool {
	return len(h.config.Categories) == 0 || slices.Contains(h.config.Categories, label.Name) || slices.Contains(h.config.Categories, label.ParentName)
}

// channelOf returns the watched channel whose thumbnail key is, if any.
func (h *Handler) channelOf(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "ivs/v1/")
	if !ok || !strings.Contains(key, "/media/thumbnails/") || !strings.HasSuffix(key, ".jpg") {
		return "", false
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 3 {
		return "", false
	}
	arn, ok := h.channels[parts[0]+"/"+parts[1]]
	return arn, ok
}

// due tells whether channel may be checked now, and counts the check.
func (h *Handler) due(channel string) bool {
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if last, ok := h.lastChecked[channel]; ok && now.Sub(last) < time.Duration(h.config.Interval) {
		return false
	}
	h.lastChecked[channel] = now
	return true
}

// errorCode is an AWS error's code, or "error".
func errorCode(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	return "error"
}
