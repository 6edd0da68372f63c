package recordingindex

import (
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// The recording statuses of IVS's metadata files (IVS Low-Latency User
// Guide, "Auto-Record to Amazon S3", JSON Metadata Files:
// recording_status).
const (
	StatusStarted = "RECORDING_STARTED"
	StatusEnded   = "RECORDING_ENDED"
	StatusFailed  = "RECORDING_ENDED_WITH_FAILURE"
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
	case StatusEnded, StatusFailed:
		return 2
	}
	return 0
}

// Location is where a recording lives: its S3 prefix,
// ivs/v1/<account>/<channel_id>/<year>/<month>/<day>/<hours>/<minutes>/<recording_id>,
// with no zero padding, the time being the UTC minute the recording
// started (IVS Low-Latency User Guide, "Auto-Record to Amazon S3", S3
// Prefix).
type Location struct {
	Prefix      string
	Account     string
	ChannelID   string
	RecordingID string
	// Minute is the prefix's time: the UTC minute the recording started.
	Minute time.Time
}

// PrefixOf is the prefix IVS writes a recording under: the inverse of
// ParsePrefix, for tests and tools that lay recordings out as IVS does.
func PrefixOf(account, channelID string, start time.Time, recordingID string) string {
	m := start.UTC()
	return fmt.Sprintf("ivs/v1/%s/%s/%d/%d/%d/%d/%d/%s", account, channelID, m.Year(), int(m.Month()), m.Day(), m.Hour(), m.Minute(), recordingID)
}

// ParsePrefix reads a recording's prefix, or a key under it (such as
// <prefix>/events/recording-ended.json).
func ParsePrefix(key string) (Location, error) {
	parts := strings.Split(strings.TrimPrefix(key, "/"), "/")
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
	return Location{Prefix: strings.Join(parts[:10], "/"), Account: parts[2], ChannelID: parts[3], RecordingID: parts[9], Minute: minute}, nil
}

// Recording is one recording as the index keeps it: where it is, its
// state, and the keys of what a player needs, read from its metadata file.
type Recording struct {
	Location
	// Status is StatusStarted (in progress), StatusEnded or StatusFailed.
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
	// the recording configuration stores LATEST).
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
			Path string `json:"path"`
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
		return Recording{}, fmt.Errorf("%s: recording_status %q is none of %s, %s and %s", loc.Prefix, r.Status, StatusStarted, StatusEnded, StatusFailed)
	}
	if id := m.ChannelArn[strings.LastIndex(m.ChannelArn, "/")+1:]; id != loc.ChannelID {
		return Recording{}, fmt.Errorf("%s: the metadata file names channel %q, not the prefix's %q", loc.Prefix, m.ChannelArn, loc.ChannelID)
	}
	var err error
	if r.StartedAt, err = time.Parse(time.RFC3339, m.RecordingStartedAt); err != nil {
		return Recording{}, fmt.Errorf("%s: recording_started_at %q is not an RFC 3339 time", loc.Prefix, m.RecordingStartedAt)
	}
	if r.Status != StatusStarted {
		if r.EndedAt, err = time.Parse(time.RFC3339, m.RecordingEndedAt); err != nil {
			return Recording{}, fmt.Errorf("%s: recording_ended_at %q is not an RFC 3339 time", loc.Prefix, m.RecordingEndedAt)
		}
	}
	hls := m.Media.HLS
	if hls.Path == "" || hls.Playlist == "" {
		return Recording{}, fmt.Errorf("%s: the metadata file names no HLS playlist (media.hls.path and playlist)", loc.Prefix)
	}
	hlsDir := join(loc.Prefix, hls.Path)
	r.Playlist = join(hlsDir, hls.Playlist)
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
	}
	for _, key := range append([]string{r.Playlist, r.ByteRangePlaylist, r.Thumbnails, r.LatestThumbnail}, renditionKeys(r.Renditions)...) {
		if key != "" && !strings.HasPrefix(key, loc.Prefix+"/") {
			return Recording{}, fmt.Errorf("%s: the metadata file points outside the recording (%q)", loc.Prefix, key)
		}
	}
	return r, nil
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
