// Package recordingindex keeps an index of a bucket's IVS recordings in
// DynamoDB: one entry per recording, keyed by channel and start time, with
// its state, length, renditions and the keys of its playlists and
// thumbnails, read from the metadata files IVS writes beside the video.
//
// The S3 objects are the truth; an event is a hint. S3 notifications on
// the events/*.json objects and the "IVS Recording State Change" events
// only say which recording to look at: the indexer then reads that
// recording's events/ folder and indexes its most final file. A state
// never goes back (an ended recording stays ended when its started file is
// read late), so a notification that comes twice, late or out of order
// changes nothing, and a scheduled reconcile walks the recent prefixes to
// find what every notification missed.
//
// It is the runtime of ivs.RecordingLibrary's index function, CDK-free (CI
// checks it).
package recordingindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3 is the part of the S3 client the indexer uses.
type S3 interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Indexer indexes one bucket's recordings.
type Indexer struct {
	S3     S3
	Bucket string
	Store  *Store
	// Lookback is how far back Reconcile walks: recordings that started
	// within it are checked. Default 48 hours (IVS starts a new prefix
	// after 48 hours of merged broadcasts, and events may come hours
	// late).
	Lookback time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Participants makes Reconcile walk the stages' participant
	// recordings too (every folder at the bucket's root but ivs/).
	// Notifications and events of participant recordings are indexed
	// either way.
	Participants bool
}

// Result says what one call did, for the function's log.
type Result struct {
	// Indexed are the prefixes written; Unchanged those whose entry was
	// already as final; Skipped the keys and prefixes that are no
	// recording of this bucket.
	Indexed, Unchanged, Skipped []string
}

func (r *Result) add(o Result) {
	r.Indexed = append(r.Indexed, o.Indexed...)
	r.Unchanged = append(r.Unchanged, o.Unchanged...)
	r.Skipped = append(r.Skipped, o.Skipped...)
}

// Handle takes what the function is invoked with: an S3 event
// notification, an "IVS Recording State Change" or "IVS Participant
// Recording State Change" event, or the scheduled reconcile ("Scheduled
// Event").
func (ix *Indexer) Handle(ctx context.Context, event json.RawMessage) (Result, error) {
	var probe struct {
		Records    []json.RawMessage `json:"Records"`
		DetailType string            `json:"detail-type"`
	}
	if err := json.Unmarshal(event, &probe); err != nil {
		return Result{}, fmt.Errorf("the invocation is not JSON: %w", err)
	}
	switch {
	case probe.Records != nil:
		var n events.S3Event
		if err := json.Unmarshal(event, &n); err != nil {
			return Result{}, fmt.Errorf("the S3 notification: %w", err)
		}
		return ix.notified(ctx, n)
	case probe.DetailType == DetailTypeRecording || probe.DetailType == DetailTypeParticipantRecording:
		// Both name the recording's bucket and prefix alike (the
		// EventBridge pages of the low-latency and real-time user guides).
		var e events.CloudWatchEvent
		json.Unmarshal(event, &e)
		var detail struct {
			Bucket string `json:"recording_s3_bucket_name"`
			Prefix string `json:"recording_s3_key_prefix"`
		}
		if err := json.Unmarshal(e.Detail, &detail); err != nil {
			return Result{}, fmt.Errorf("the %s event's detail: %w", probe.DetailType, err)
		}
		if detail.Bucket != ix.Bucket {
			return Result{Skipped: []string{detail.Bucket + "/" + detail.Prefix}}, nil
		}
		return ix.IndexPrefix(ctx, detail.Prefix)
	case probe.DetailType == "Scheduled Event":
		// The window ends at the event's scheduled time, so that a retried
		// invocation checks the same recordings.
		var e events.CloudWatchEvent
		if err := json.Unmarshal(event, &e); err != nil || e.Time.IsZero() {
			return Result{}, fmt.Errorf("the Scheduled Event has no time")
		}
		return ix.ReconcileAt(ctx, e.Time)
	}
	return Result{}, fmt.Errorf("the invocation is no S3 notification, %s, %s or Scheduled Event", DetailTypeRecording, DetailTypeParticipantRecording)
}

// The EventBridge detail types that name a recording.
const (
	DetailTypeRecording            = "IVS Recording State Change"
	DetailTypeParticipantRecording = "IVS Participant Recording State Change"
)

// notified indexes the recordings whose metadata files a notification
// names, each once.
func (ix *Indexer) notified(ctx context.Context, n events.S3Event) (Result, error) {
	var result Result
	seen := map[string]bool{}
	var errs []error
	for _, record := range n.Records {
		// Keys in S3 notifications are URL-encoded (Amazon S3 User Guide,
		// "Event message structure").
		key, err := url.QueryUnescape(record.S3.Object.Key)
		if err != nil {
			key = record.S3.Object.Key
		}
		if record.S3.Bucket.Name != ix.Bucket || !isMetadataFile(key) {
			result.Skipped = append(result.Skipped, record.S3.Bucket.Name+"/"+key)
			continue
		}
		loc, err := ParsePrefix(key)
		if err != nil {
			result.Skipped = append(result.Skipped, key)
			continue
		}
		if seen[loc.Prefix] {
			continue
		}
		seen[loc.Prefix] = true
		r, err := ix.IndexPrefix(ctx, loc.Prefix)
		result.add(r)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return result, errors.Join(errs...)
}

// isMetadataFile tells whether key is one of a recording's events/ files.
func isMetadataFile(key string) bool {
	for _, f := range []string{FileStarted, FileEnded, FileFailed} {
		if strings.HasSuffix(key, "/events/"+f) {
			return true
		}
	}
	return false
}

// IndexPrefix reads the recording's events/ folder and indexes its most
// final metadata file: ended or failed, else started.
func (ix *Indexer) IndexPrefix(ctx context.Context, prefix string) (Result, error) {
	loc, err := ParsePrefix(strings.TrimSuffix(prefix, "/"))
	if err != nil {
		return Result{Skipped: []string{prefix}}, nil
	}
	list, err := ix.S3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(ix.Bucket), Prefix: aws.String(loc.Prefix + "/events/")})
	if err != nil {
		return Result{}, fmt.Errorf("listing %s/events/: %w", loc.Prefix, err)
	}
	best, bestRank := "", 0
	for _, o := range list.Contents {
		name := strings.TrimPrefix(aws.ToString(o.Key), loc.Prefix+"/events/")
		if r := fileRank(name); r > bestRank {
			best, bestRank = name, r
		}
	}
	if best == "" {
		return Result{Skipped: []string{loc.Prefix}}, nil // not written yet: the notification of the file will come, or the reconcile
	}
	object, err := ix.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(ix.Bucket), Key: aws.String(loc.Prefix + "/events/" + best)})
	if err != nil {
		return Result{}, fmt.Errorf("reading %s/events/%s: %w", loc.Prefix, best, err)
	}
	data, err := io.ReadAll(io.LimitReader(object.Body, 1<<20))
	object.Body.Close()
	if err != nil {
		return Result{}, fmt.Errorf("reading %s/events/%s: %w", loc.Prefix, best, err)
	}
	recording, err := ParseMetadata(loc, data)
	if err != nil {
		return Result{}, err
	}
	wrote, err := ix.Store.Put(ctx, recording)
	if err != nil {
		return Result{}, err
	}
	if !wrote {
		return Result{Unchanged: []string{loc.Prefix}}, nil
	}
	return Result{Indexed: []string{loc.Prefix}}, nil
}

// fileRank ranks a metadata file by name, as rank does its status.
func fileRank(name string) int {
	switch name {
	case FileStarted:
		return 1
	case FileEnded, FileFailed:
		return 2
	}
	return 0
}

// Reconcile is ReconcileAt the indexer's clock's now.
func (ix *Indexer) Reconcile(ctx context.Context) (Result, error) {
	now := time.Now
	if ix.Now != nil {
		now = ix.Now
	}
	return ix.ReconcileAt(ctx, now())
}

// ReconcileAt walks the prefixes of the recordings that started within
// Lookback before end, in every account and channel of the bucket (and,
// with Participants, every stage, session and participant), and
// indexes each whose entry is missing or not yet final: what every
// notification and event missed. It lists by folder (a delimiter at each
// level), so the cost grows with the number of recordings, not of their
// segments.
func (ix *Indexer) ReconcileAt(ctx context.Context, end time.Time) (Result, error) {
	lookback := ix.Lookback
	if lookback <= 0 {
		lookback = 48 * time.Hour
	}
	end = end.UTC()
	start := end.Add(-lookback)
	var result Result
	accounts, err := ix.folders(ctx, "ivs/v1/")
	if err != nil {
		return result, err
	}
	for _, account := range accounts {
		channels, err := ix.folders(ctx, account)
		if err != nil {
			return result, err
		}
		for _, channel := range channels {
			r, err := ix.reconcileChannel(ctx, channel, start, end)
			result.add(r)
			if err != nil {
				return result, err
			}
		}
	}
	if !ix.Participants {
		return result, nil
	}
	stages, err := ix.folders(ctx, "")
	if err != nil {
		return result, err
	}
	for _, stage := range stages {
		if stage == RecordingsFolder {
			continue
		}
		r, err := ix.reconcileStage(ctx, stage, start, end)
		result.add(r)
		if err != nil {
			return result, err
		}
	}
	return result, nil
}

// RecordingsFolder is the root folder of channels' recordings; every
// other root folder of a bucket the stages record to is a stage's.
const RecordingsFolder = "ivs/"

// reconcileStage checks one stage's participant recordings whose
// timestamps are in [start, end]. Session IDs carry no time, so it lists
// every session's participants: its cost grows with the sessions kept
// in the bucket (a Retention bounds them).
func (ix *Indexer) reconcileStage(ctx context.Context, stageFolder string, start, end time.Time) (Result, error) {
	var result Result
	indexed, err := ix.Store.StageSince(ctx, strings.TrimSuffix(stageFolder, "/"), start)
	if err != nil {
		return result, err
	}
	final := finalPrefixes(indexed)
	// Sessions, participants, timestamps.
	err = ix.walk(ctx, stageFolder, 3, func(folder string) error {
		loc, err := ParsePrefix(strings.TrimSuffix(folder, "/"))
		if err != nil || !loc.IsParticipant() {
			return nil
		}
		// A timestamp of another form is checked every time.
		if !loc.Minute.IsZero() && (loc.Minute.Before(start.Truncate(time.Second)) || loc.Minute.After(end)) {
			return nil
		}
		return ix.check(ctx, loc.Prefix, final, &result)
	})
	return result, err
}

// reconcileChannel checks one channel's recordings of [start, end].
func (ix *Indexer) reconcileChannel(ctx context.Context, channelFolder string, start, end time.Time) (Result, error) {
	var result Result
	channelID := strings.TrimSuffix(channelFolder[strings.LastIndex(strings.TrimSuffix(channelFolder, "/"), "/")+1:], "/")
	indexed, err := ix.Store.Since(ctx, channelID, start)
	if err != nil {
		return result, err
	}
	final := finalPrefixes(indexed)
	for day := start.Truncate(24 * time.Hour); !day.After(end); day = day.Add(24 * time.Hour) {
		dayFolder := fmt.Sprintf("%s%d/%d/%d/", channelFolder, day.Year(), int(day.Month()), day.Day())
		// Hours, minutes, recordings.
		err := ix.walk(ctx, dayFolder, 3, func(folder string) error {
			loc, err := ParsePrefix(strings.TrimSuffix(folder, "/"))
			if err != nil || loc.Minute.Before(start.Truncate(time.Minute)) || loc.Minute.After(end) {
				return nil
			}
			return ix.check(ctx, loc.Prefix, final, &result)
		})
		if err != nil {
			return result, err
		}
	}
	return result, nil
}

// finalPrefixes are the prefixes of the entries already final (ended or
// failed): the reconcile reads them no more.
func finalPrefixes(indexed []Recording) map[string]bool {
	final := map[string]bool{}
	for _, r := range indexed {
		if rank(r.Status) == 2 {
			final[r.Prefix] = true
		}
	}
	return final
}

// check indexes one recording the reconcile found, unless its entry is
// final already.
func (ix *Indexer) check(ctx context.Context, prefix string, final map[string]bool, result *Result) error {
	if final[prefix] {
		result.Unchanged = append(result.Unchanged, prefix)
		return nil
	}
	r, err := ix.IndexPrefix(ctx, prefix)
	result.add(r)
	return err
}

// walk calls visit with every folder depth levels below prefix, listing
// one level at a time.
func (ix *Indexer) walk(ctx context.Context, prefix string, depth int, visit func(folder string) error) error {
	if depth == 0 {
		return visit(prefix)
	}
	children, err := ix.folders(ctx, prefix)
	if err != nil {
		return err
	}
	for _, child := range children {
		if err := ix.walk(ctx, child, depth-1, visit); err != nil {
			return err
		}
	}
	return nil
}

// folders lists the folders directly under prefix (a "/" delimiter), all
// pages.
func (ix *Indexer) folders(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	input := &s3.ListObjectsV2Input{Bucket: aws.String(ix.Bucket), Delimiter: aws.String("/")}
	if prefix != "" {
		input.Prefix = aws.String(prefix)
	}
	for {
		page, err := ix.S3.ListObjectsV2(ctx, input)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", prefix, err)
		}
		for _, p := range page.CommonPrefixes {
			out = append(out, aws.ToString(p.Prefix))
		}
		if !aws.ToBool(page.IsTruncated) {
			return out, nil
		}
		input.ContinuationToken = page.NextContinuationToken
	}
}
