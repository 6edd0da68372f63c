package recordingindex

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The recording statuses of IVS's metadata files (IVS Low-Latency User
// Guide, "Auto-Record to Amazon S3", and IVS Real-Time User Guide, "IVS
// Individual Participant Recording": JSON Metadata Files,
// recording_status). Only a participant recording can fail to start.
const (
	StatusStarted     = "RECORDING_STARTED"
	StatusEnded       = "RECORDING_ENDED"
	StatusFailed      = "RECORDING_ENDED_WITH_FAILURE"
	StatusStartFailed = "RECORDING_START_FAILED"
)

// The metadata files IVS writes under a recording's events/ folder: one
// when it starts, then one when it ends or fails.
const (
	FileStarted = "recording-started.json"
	FileEnded   = "recording-ended.json"
	FileFailed  = "recording-failed.json"
)

// rank orders the statuses: a file of a higher rank is later in a
// recording's life, and the index never goes back to a lower one.
func rank(status string) int {
	switch status {
	case StatusStarted:
		return 1
	case StatusEnded, StatusFailed, StatusStartFailed:
		return 2
	}
	return 0
}

// Location is where a recording lives: its S3 prefix.
//
// A channel's recording is under
// ivs/v1/<account>/<channel_id>/<year>/<month>/<day>/<hours>/<minutes>/<recording_id>,
// with no zero padding, the time being the UTC minute the recording
// started (IVS Low-Latency User Guide, "Auto-Record to Amazon S3", S3
// Prefix).
//
// A stage's individual participant recording is under
// <stage_id>/<session_id>/<participant_id>/<timestamp>, at the bucket's
// root, the timestamp being the UTC second it started, as in
// 2024-01-01T12-00-55Z (IVS Real-Time User Guide, "IVS Individual
// Participant Recording": Recording Contents, and the prefix of its
// EventBridge example).
type Location struct {
	Prefix string
	// Account, ChannelID and RecordingID name a channel's recording.
	Account     string
	ChannelID   string
	RecordingID string
	// StageID, SessionID, ParticipantID and Timestamp (the last folder,
	// as IVS wrote it) name a participant recording.
	StageID, SessionID, ParticipantID, Timestamp string
	// Minute is the prefix's time: the UTC minute a channel's recording
	// started, or the second of a participant recording's Timestamp
	// (zero when that is not in the documented form).
	Minute time.Time
}

// StagePartitionPrefix begins the index partition of a stage's
// participant recordings ("stage/<stage_id>"), which no channel ID can
// equal.
const StagePartitionPrefix = "stage/"

// Partition is the index partition the recording belongs to: its
// channel's ID, or StagePartitionPrefix and its stage's ID.
func (l Location) Partition() string {
	if l.StageID != "" {
		return StagePartitionPrefix + l.StageID
	}
	return l.ChannelID
}

// IsParticipant tells a stage's participant recording from a channel's.
func (l Location) IsParticipant() bool { return l.StageID != "" }

// ParticipantTimestamp is the layout of a participant recording's
// timestamp folder, as the user guide's example writes it.
const ParticipantTimestamp = "2006-01-02T15-04-05Z"

// ParticipantPrefixOf is the prefix IVS writes a participant recording
// under, for tests and tools that lay recordings out as IVS does.
func ParticipantPrefixOf(stageID, sessionID, participantID string, start time.Time) string {
	return strings.Join([]string{stageID, sessionID, participantID, start.UTC().Format(ParticipantTimestamp)}, "/")
}

// PrefixOf is the prefix IVS writes a recording under: the inverse of
// ParsePrefix, for tests and tools that lay recordings out as IVS does.
func PrefixOf(account, channelID string, start time.Time, recordingID string) string {
	m := start.UTC()
	return fmt.Sprintf("ivs/v1/%s/%s/%d/%d/%d/%d/%d/%s", account, channelID, m.Year(), int(m.Month()), m.Day(), m.Hour(), m.Minute(), recordingID)
}

// ParsePrefix reads a recording's prefix, or a key under it (such as
// <prefix>/events/recording-ended.json): a channel's under ivs/, a
// participant recording's anywhere else.
func ParsePrefix(key string) (Location, error) {
	trimmed := strings.TrimPrefix(key, "/")
	if !strings.HasPrefix(trimmed, "ivs/") {
		return parseParticipantPrefix(key, strings.Split(trimmed, "/"))
	}
	// Split into at most 11: the prefix's ten folders and the rest of the
	// key, without allocating (the endpoint reads a prefix per entry).
	var folders [11]string
	parts := folders[:splitPath(trimmed, folders[:])]
	if len(parts) < 10 || parts[0] != "ivs" || parts[1] != "v1" {
		return Location{}, fmt.Errorf("%q is not under an IVS recording prefix (ivs/v1/<account>/<channel>/<year>/<month>/<day>/<hours>/<minutes>/<recording>)", key)
	}
	var n [5]int
	for i := range n {
		v, err := strconv.Atoi(parts[4+i])
		if err != nil || v < 0 {
			return Location{}, fmt.Errorf("%q: %q is not a number in the prefix's time", key, parts[4+i])
		}
		n[i] = v
	}
	minute := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], 0, 0, time.UTC)
	if minute.Year() != n[0] || int(minute.Month()) != n[1] || minute.Day() != n[2] || minute.Hour() != n[3] || minute.Minute() != n[4] {
		return Location{}, fmt.Errorf("%q: %d/%d/%d %d:%d is not a time", key, n[0], n[1], n[2], n[3], n[4])
	}
	for _, p := range []string{parts[2], parts[3], parts[9]} {
		if p == "" {
			return Location{}, fmt.Errorf("%q has an empty account, channel or recording ID", key)
		}
	}
	prefix := trimmed
	if len(parts) > 10 {
		prefix = trimmed[:len(trimmed)-len(parts[10])-1]
	}
	return Location{Prefix: prefix, Account: parts[2], ChannelID: parts[3], RecordingID: parts[9], Minute: minute}, nil
}

// splitPath splits s at '/' into dst, the last element holding the rest
// of s, and returns how many elements it filled.
func splitPath(s string, dst []string) int {
	for i := 0; i < len(dst)-1; i++ {
		j := strings.IndexByte(s, '/')
		if j < 0 {
			dst[i] = s
			return i + 1
		}
		dst[i], s = s[:j], s[j+1:]
	}
	dst[len(dst)-1] = s
	return len(dst)
}

var (
	resourceID = regexp.MustCompile(`^[a-zA-Z0-9-]{1,64}$`)
	timestamp  = regexp.MustCompile(`^[0-9A-Za-z:._-]{1,64}$`)
)

// parseParticipantPrefix reads a participant recording's prefix, or a key
// under it: four folders, then nothing, events/ or media/. A composite
// recording's (<stage>/<session>/<composition>/events/…) is refused.
func parseParticipantPrefix(key string, parts []string) (Location, error) {
	if len(parts) < 4 || len(parts) > 4 && parts[4] != "events" && parts[4] != "media" || parts[3] == "events" || parts[3] == "media" {
		return Location{}, fmt.Errorf("%q is not under an IVS recording prefix (ivs/v1/<account>/<channel>/<year>/<month>/<day>/<hours>/<minutes>/<recording>, "+
			"or <stage>/<session>/<participant>/<timestamp> for a participant recording)", key)
	}
	for _, p := range parts[:3] {
		if !resourceID.MatchString(p) {
			return Location{}, fmt.Errorf("%q: %q is no stage, session or participant ID (letters, digits and -)", key, p)
		}
	}
	if !timestamp.MatchString(parts[3]) {
		return Location{}, fmt.Errorf("%q: %q is no participant recording's timestamp", key, parts[3])
	}
	loc := Location{Prefix: strings.Join(parts[:4], "/"), StageID: parts[0], SessionID: parts[1], ParticipantID: parts[2], Timestamp: parts[3]}
	loc.Minute, _ = time.Parse(ParticipantTimestamp, parts[3]) // zero if IVS changes the form: the recording is still indexed
	return loc, nil
}

// Recording is one recording as the index keeps it: where it is, its
// state, and the keys of what a player needs, read from its metadata file.
type Recording struct {
	Location
	// Status is StatusStarted (in progress), StatusEnded, StatusFailed
	// or StatusStartFailed.
	Status string
	// StatusMessage says why a recording failed.
	StatusMessage string
	// StartedAt and EndedAt are the metadata file's times; EndedAt is
	// zero while the recording is in progress. They need not match the
	// video: DurationMs is the true length.
	StartedAt, EndedAt time.Time
	// DurationMs is the recorded HLS content's length (0 while in
	// progress, and for a failure before anything was recorded).
	DurationMs int64
	// Playlist and ByteRangePlaylist are the keys of the multivariant
	// playlists (the byte-range one lets a player seek by keyframe; IVS
	// writes it while recording, so it serves rewinding a live stream).
	Playlist, ByteRangePlaylist string
	// Renditions are the recorded variants.
	Renditions []Rendition
	// Thumbnails is the key prefix of the thumbnails ("" when none are
	// recorded), and LatestThumbnail the key of the latest one ("" unless
	// the recording or stage configuration stores LATEST).
	Thumbnails, LatestThumbnail string
}

// Rendition is one recorded HLS variant.
type Rendition struct {
	Playlist          string `json:"playlist"`
	ByteRangePlaylist string `json:"byteRangePlaylist,omitempty"`
	Width             int    `json:"width,omitempty"`
	Height            int    `json:"height,omitempty"`
}

// metadata is a metadata file's JSON, as the user guide's JSON Metadata
// Files table gives it. Every path is relative to the one above it in
// the hierarchy, the top ones to the recording's prefix.
type metadata struct {
	ChannelArn             string `json:"channel_arn"`
	StageArn               string `json:"stage_arn"`
	SessionID              string `json:"session_id"`
	ParticipantID          string `json:"participant_id"`
	RecordingStartedAt     string `json:"recording_started_at"`
	RecordingEndedAt       string `json:"recording_ended_at"`
	RecordingStatus        string `json:"recording_status"`
	RecordingStatusMessage string `json:"recording_status_message"`
	Media                  struct {
		HLS struct {
			DurationMs        int64  `json:"duration_ms"`
			Path              string `json:"path"`
			Playlist          string `json:"playlist"`
			ByteRangePlaylist string `json:"byte_range_playlist"`
			Renditions        []struct {
				Path              string `json:"path"`
				Playlist          string `json:"playlist"`
				ByteRangePlaylist string `json:"byte_range_playlist"`
				Height            int    `json:"resolution_height"`
				Width             int    `json:"resolution_width"`
			} `json:"renditions"`
		} `json:"hls"`
		Thumbnails *struct {
			Path string `json:"path"`
		} `json:"thumbnails"`
		LatestThumbnail *struct {
			Path       string `json:"path"`
			Renditions []struct {
				Path string `json:"path"`
			} `json:"renditions"`
		} `json:"latest_thumbnail"`
	} `json:"media"`
}

// ParseMetadata reads a recording's metadata file (data), found under
// loc's prefix, into the Recording the index keeps. The paths are taken
// from the file, never assumed: the user guide says the layout may change.
func ParseMetadata(loc Location, data []byte) (Recording, error) {
	var m metadata
	if err := json.Unmarshal(data, &m); err != nil {
		return Recording{}, fmt.Errorf("%s: the metadata file is not JSON: %w", loc.Prefix, err)
	}
	r := Recording{Location: loc, Status: m.RecordingStatus, StatusMessage: m.RecordingStatusMessage, DurationMs: m.Media.HLS.DurationMs}
	if rank(r.Status) == 0 {
		return Recording{}, fmt.Errorf("%s: recording_status %q is none of %s, %s, %s and %s", loc.Prefix, r.Status, StatusStarted, StatusEnded, StatusFailed, StatusStartFailed)
	}
	if err := sameRecording(loc, m); err != nil {
		return Recording{}, err
	}
	var err error
	// A participant recording that failed to start has no times (the
	// real-time guide's table: recording_started_at is unavailable then,
	// recording_ended_at is given only for an end).
	if m.RecordingStartedAt != "" || r.Status != StatusStartFailed {
		if r.StartedAt, err = time.Parse(time.RFC3339, m.RecordingStartedAt); err != nil {
			return Recording{}, fmt.Errorf("%s: recording_started_at %q is not an RFC 3339 time", loc.Prefix, m.RecordingStartedAt)
		}
	}
	if m.RecordingEndedAt != "" || r.Status == StatusEnded || r.Status == StatusFailed {
		if r.EndedAt, err = time.Parse(time.RFC3339, m.RecordingEndedAt); err != nil {
			return Recording{}, fmt.Errorf("%s: recording_ended_at %q is not an RFC 3339 time", loc.Prefix, m.RecordingEndedAt)
		}
	}
	hls := m.Media.HLS
	if (hls.Path == "" || hls.Playlist == "") && r.Status != StatusStartFailed {
		return Recording{}, fmt.Errorf("%s: the metadata file names no HLS playlist (media.hls.path and playlist)", loc.Prefix)
	}
	hlsDir := join(loc.Prefix, hls.Path)
	if hls.Playlist != "" {
		r.Playlist = join(hlsDir, hls.Playlist)
	}
	if hls.ByteRangePlaylist != "" {
		r.ByteRangePlaylist = join(hlsDir, hls.ByteRangePlaylist)
	}
	for _, v := range hls.Renditions {
		rendition := Rendition{Playlist: join(hlsDir, v.Path, v.Playlist), Width: v.Width, Height: v.Height}
		if v.ByteRangePlaylist != "" {
			rendition.ByteRangePlaylist = join(hlsDir, v.Path, v.ByteRangePlaylist)
		}
		r.Renditions = append(r.Renditions, rendition)
	}
	if t := m.Media.Thumbnails; t != nil && t.Path != "" {
		r.Thumbnails = join(loc.Prefix, t.Path)
	}
	if t := m.Media.LatestThumbnail; t != nil && t.Path != "" {
		r.LatestThumbnail = join(loc.Prefix, t.Path)
		if loc.IsParticipant() {
			// A participant recording's file names its rendition's folder,
			// not the file: thumb.jpg, as the guide's Recording Contents
			// lays it out.
			if len(t.Renditions) == 0 || t.Renditions[0].Path == "" {
				r.LatestThumbnail = ""
			} else {
				r.LatestThumbnail = join(r.LatestThumbnail, t.Renditions[0].Path, "thumb.jpg")
			}
		}
	}
	for _, key := range append([]string{r.Playlist, r.ByteRangePlaylist, r.Thumbnails, r.LatestThumbnail}, renditionKeys(r.Renditions)...) {
		if key != "" && !strings.HasPrefix(key, loc.Prefix+"/") {
			return Recording{}, fmt.Errorf("%s: the metadata file points outside the recording (%q)", loc.Prefix, key)
		}
	}
	return r, nil
}

// sameRecording checks that the metadata file is about the recording its
// prefix names: the channel, or the stage, session and participant.
func sameRecording(loc Location, m metadata) error {
	lastPart := func(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }
	if !loc.IsParticipant() {
		if lastPart(m.ChannelArn) != loc.ChannelID {
			return fmt.Errorf("%s: the metadata file names channel %q, not the prefix's %q", loc.Prefix, m.ChannelArn, loc.ChannelID)
		}
		return nil
	}
	if lastPart(m.StageArn) != loc.StageID || m.SessionID != loc.SessionID || m.ParticipantID != loc.ParticipantID {
		return fmt.Errorf("%s: the metadata file names stage %q, session %q and participant %q, not the prefix's", loc.Prefix, m.StageArn, m.SessionID, m.ParticipantID)
	}
	return nil
}

// join joins S3 key parts, cleaning "." and ".." as a path would.
func join(parts ...string) string { return path.Join(parts...) }

func renditionKeys(rs []Rendition) []string {
	var keys []string
	for _, r := range rs {
		keys = append(keys, r.Playlist, r.ByteRangePlaylist)
	}
	return keys
}
