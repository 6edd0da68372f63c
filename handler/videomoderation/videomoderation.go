// Package videomoderation is the runtime half of ivsops.VideoModeration:
// a Lambda handler for the S3 notifications of a recording bucket that
// sends each new thumbnail of the channels it watches to Amazon
// Rekognition's DetectModerationLabels and, when the image carries a label
// of the watched categories at the minimum confidence, stops the stream
// (ivs:StopStream) and tells a topic (sns:Publish) with the evidence: the
// thumbnail's key, the labels and when.
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
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	rektypes "github.com/aws/aws-sdk-go-v2/service/rekognition/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
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
}

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
	// IVSAPI is the IVS call: StopStream.
	IVSAPI interface {
		StopStream(context.Context, *ivs.StopStreamInput, ...func(*ivs.Options)) (*ivs.StopStreamOutput, error)
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

// FromEnvironment returns the Handler the Lambda function runs.
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		return New(c, rekognition.NewFromConfig(cfg), ivs.NewFromConfig(cfg), sns.NewFromConfig(cfg), nil)
	})
}

// Label is a moderation label Rekognition found: its name, its parent's
// in the taxonomy, and the confidence in percent.
type Label struct {
	Name       string  `json:"name"`
	ParentName string  `json:"parentName,omitempty"`
	Confidence float64 `json:"confidence"`
}

// Finding is what the handler decided about one thumbnail, and what it
// tells the topic.
type Finding struct {
	// Outcome is "flagged", "clean", or "fallback" (Rekognition could not
	// say; Reason says why).
	Outcome string `json:"outcome"`
	// ChannelArn, Bucket and Key say whose thumbnail, and where it is.
	ChannelArn string `json:"channelArn"`
	Bucket     string `json:"bucket"`
	Key        string `json:"key"`
	// Labels are those that counted (none unless flagged).
	Labels []Label `json:"labels"`
	// Reason says why a fallback was taken.
	Reason string `json:"reason,omitempty"`
	// CheckedAt is when the handler checked, on its clock.
	CheckedAt time.Time `json:"checkedAt"`
	// StreamStopped tells whether the handler stopped the stream.
	StreamStopped bool `json:"streamStopped"`
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
	f := &Finding{ChannelArn: channel, Bucket: bucket, Key: key, Labels: []Label{}, CheckedAt: h.now().UTC()}
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
		_, err := h.ivs.StopStream(ctx, &ivs.StopStreamInput{ChannelArn: aws.String(channel)})
		var offline *ivstypes.ChannelNotBroadcasting
		switch {
		case err == nil:
			f.StreamStopped = true
		case errors.As(err, &offline): // already stopped: nothing to do
		default:
			return f, fmt.Errorf("stopping %s after %s: %w", channel, key, err)
		}
	}
	if f.Outcome != "clean" && h.config.TopicArn != "" && h.sns != nil {
		message, _ := json.Marshal(f)
		if _, err := h.sns.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(h.config.TopicArn), Message: aws.String(string(message)),
			Subject: aws.String(subject(f))}); err != nil {
			return f, fmt.Errorf("telling %s of %s: %w", h.config.TopicArn, key, err)
		}
	}
	return f, nil
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
