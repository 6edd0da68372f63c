package recordingindex

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The prefix of the user guide's example ("Auto-Record to Amazon S3", S3
// Prefix): no zero padding.
const examplePrefix = "ivs/v1/123456789012/AsXego4U6tnj/2020/6/23/20/12/j8Z9O91ndcVs"

func TestParsePrefix(t *testing.T) {
	loc, err := ParsePrefix(examplePrefix + "/events/recording-ended.json")
	if err != nil {
		t.Fatal(err)
	}
	want := Location{Prefix: examplePrefix, Account: "123456789012", ChannelID: "AsXego4U6tnj", RecordingID: "j8Z9O91ndcVs",
		Minute: time.Date(2020, 6, 23, 20, 12, 0, 0, time.UTC)}
	if loc != want {
		t.Errorf("ParsePrefix: %+v, want %+v", loc, want)
	}
	if got := PrefixOf("123456789012", "AsXego4U6tnj", time.Date(2020, 6, 23, 20, 12, 41, 0, time.UTC), "j8Z9O91ndcVs"); got != examplePrefix {
		t.Errorf("PrefixOf: %q, want the guide's %q", got, examplePrefix)
	}
	if got := SortKey(loc); got != "2020-06-23T20:12Z#j8Z9O91ndcVs" {
		t.Errorf("SortKey %q: want the zero-padded minute and the recording ID, so that text order is time order", got)
	}
	for _, bad := range []string{
		"ivs/v1/123456789012/AsXego4U6tnj/2020/6/23/20/12",          // no recording ID
		"ivs/v2/123456789012/AsXego4U6tnj/2020/6/23/20/12/j8Z9O91",  // another layout
		"ivs/v1/123456789012/AsXego4U6tnj/2020/13/23/20/12/j8Z9O91", // month 13
		"ivs/v1/123456789012/AsXego4U6tnj/2020/6/x/20/12/j8Z9O91",
		"ivs/v1//AsXego4U6tnj/2020/6/23/20/12/j8Z9O91",
		"media/hls/master.m3u8",
	} {
		if _, err := ParsePrefix(bad); err == nil {
			t.Errorf("ParsePrefix(%q) accepted it", bad)
		}
	}
}

// TestParseMetadata reads the user guide's example files (testdata; its
// started example lacks a quote after recording_status, fixed here): every
// path is relative to the one above it.
func TestParseMetadata(t *testing.T) {
	read := func(name string) Recording { return readMetadata(t, examplePrefix, "testdata/"+name) }
	started := read(FileStarted)
	if started.Status != StatusStarted || !started.EndedAt.IsZero() || started.DurationMs != 0 {
		t.Errorf("started: status %q, ended %v, duration %d", started.Status, started.EndedAt, started.DurationMs)
	}
	if want := examplePrefix + "/media/hls/master.m3u8"; started.Playlist != want {
		t.Errorf("Playlist %q, want %q", started.Playlist, want)
	}
	if want := examplePrefix + "/media/hls/byte-range-multivariant.m3u8"; started.ByteRangePlaylist != want {
		t.Errorf("ByteRangePlaylist %q, want %q", started.ByteRangePlaylist, want)
	}
	if len(started.Renditions) != 2 || started.Renditions[1] != (Rendition{Playlist: examplePrefix + "/media/hls/720p60/playlist.m3u8",
		ByteRangePlaylist: examplePrefix + "/media/hls/720p60/byte-range-variant.m3u8", Width: 1280, Height: 720}) {
		t.Errorf("Renditions %+v", started.Renditions)
	}
	if started.Thumbnails != examplePrefix+"/media/thumbnails" || started.LatestThumbnail != examplePrefix+"/media/latest_thumbnail/thumb.jpg" {
		t.Errorf("thumbnails %q, latest %q", started.Thumbnails, started.LatestThumbnail)
	}
	ended := read(FileEnded)
	if ended.Status != StatusEnded || ended.DurationMs != 172794489 || !ended.EndedAt.Equal(time.Date(2020, 6, 14, 12, 53, 20, 0, time.UTC)) {
		t.Errorf("ended: status %q, duration %d, ended %v", ended.Status, ended.DurationMs, ended.EndedAt)
	}
	failed := read(FileFailed)
	if failed.Status != StatusFailed || failed.StatusMessage != "InternalServerException" || failed.ByteRangePlaylist != "" {
		t.Errorf("failed: %+v", failed)
	}
}

func TestParseMetadataRefusesWhatIsNotARecording(t *testing.T) {
	loc, _ := ParsePrefix(examplePrefix)
	good, _ := os.ReadFile("testdata/" + FileEnded)
	for name, c := range map[string]struct{ from, to, want string }{
		"not JSON":        {`{`, `[`, "not JSON"},
		"status":          {`"RECORDING_ENDED"`, `"DONE"`, `recording_status "DONE" is none of`},
		"another channel": {`channel/AsXego4U6tnj`, `channel/other`, `names channel`},
		"time":            {`"2020-06-12T12:53:26Z"`, `"yesterday"`, "recording_started_at"},
		"outside":         {`"path": "media/hls"`, `"path": "../../other"`, "points outside the recording"},
		"no playlist":     {`"playlist": "master.m3u8"`, `"playlist": ""`, "names no HLS playlist"},
	} {
		data := strings.Replace(string(good), c.from, c.to, 1)
		if _, err := ParseMetadata(loc, []byte(data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
}

// The participant recording of the real-time user guide's examples ("IVS
// Individual Participant Recording": the EventBridge event's prefix form
// and the metadata files' stage, session and participant).
const participantPrefix = "AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z"

func TestParseParticipantPrefix(t *testing.T) {
	loc, err := ParsePrefix(participantPrefix + "/events/recording-started.json")
	if err != nil {
		t.Fatal(err)
	}
	want := Location{Prefix: participantPrefix, StageID: "AbCdef1G2hij", SessionID: "st-ZyXwvu1T2s", ParticipantID: "xYz1c2d3e4f",
		Timestamp: "2024-03-13T19-44-19Z", Minute: time.Date(2024, 3, 13, 19, 44, 19, 0, time.UTC)}
	if loc != want || !loc.IsParticipant() || loc.Partition() != "stage/AbCdef1G2hij" {
		t.Errorf("ParsePrefix: %+v, want %+v in partition stage/AbCdef1G2hij", loc, want)
	}
	if got := ParticipantPrefixOf("AbCdef1G2hij", "st-ZyXwvu1T2s", "xYz1c2d3e4f", time.Date(2024, 3, 13, 19, 44, 19, 0, time.UTC)); got != participantPrefix {
		t.Errorf("ParticipantPrefixOf: %q, want %q", got, participantPrefix)
	}
	if got := SortKey(loc); got != "2024-03-13T19-44-19Z#st-ZyXwvu1T2s#xYz1c2d3e4f" {
		t.Errorf("SortKey %q", got)
	}
	// A timestamp of another form is still a recording, without a time.
	if other, err := ParsePrefix("AbCdef1G2hij/st-1/p1/1710359059000"); err != nil || !other.Minute.IsZero() {
		t.Errorf("another timestamp form: %+v, %v", other, err)
	}
	for _, bad := range []string{
		"AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f",                               // no timestamp
		"AbCdef1G2hij/st-ZyXwvu1T2s/compositionId/events/recording-ended.json", // a composite recording's
		"AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/other/x",
		"AbCdef1G2hij//xYz1c2d3e4f/2024-03-13T19-44-19Z",
		"AbCdef1G2hij/st_1/xYz1c2d3e4f/2024-03-13T19-44-19Z",
	} {
		if _, err := ParsePrefix(bad); err == nil {
			t.Errorf("ParsePrefix(%q) accepted it", bad)
		}
	}
}

// TestParseParticipantMetadata reads the guide's three example files: the
// multivariant playlist, its one rendition, and the latest thumbnail
// (the file's folders, then thumb.jpg as Recording Contents lays it out).
func TestParseParticipantMetadata(t *testing.T) {
	read := func(name string) Recording { return readMetadata(t, participantPrefix, "testdata/participant-"+name) }
	started := read(FileStarted)
	if started.Status != StatusStarted || started.Playlist != participantPrefix+"/media/hls/multivariant.m3u8" || started.ByteRangePlaylist != "" {
		t.Errorf("started: %+v", started)
	}
	if len(started.Renditions) != 1 || started.Renditions[0].Playlist != participantPrefix+"/media/hls/high/playlist.m3u8" {
		t.Errorf("renditions: %+v", started.Renditions)
	}
	if started.LatestThumbnail != participantPrefix+"/media/latest_thumbnail/high/thumb.jpg" || started.Thumbnails != participantPrefix+"/media/thumbnails" {
		t.Errorf("thumbnails %q, latest %q", started.Thumbnails, started.LatestThumbnail)
	}
	ended := read(FileEnded)
	if ended.Status != StatusEnded || ended.DurationMs != 645237 || !ended.EndedAt.Equal(time.Date(2024, 3, 13, 19, 55, 4, 0, time.UTC)) {
		t.Errorf("ended: %+v", ended)
	}
	if failed := read(FileFailed); failed.Status != StatusFailed {
		t.Errorf("failed: %+v", failed)
	}

	// A start failure has no times (the guide's table), and is final.
	loc, _ := ParsePrefix(participantPrefix)
	good, _ := os.ReadFile("testdata/participant-" + FileStarted)
	startFailed := strings.Replace(strings.Replace(string(good), `"RECORDING_STARTED"`, `"RECORDING_START_FAILED"`, 1), `"recording_started_at": "2024-03-13T13:17:17Z",`, "", 1)
	r, err := ParseMetadata(loc, []byte(startFailed))
	if err != nil || r.Status != StatusStartFailed || !r.StartedAt.IsZero() || rank(r.Status) != rank(StatusEnded) {
		t.Errorf("start failed: %+v, %v", r, err)
	}
	for name, c := range map[string]struct{ from, to, want string }{
		"another stage":       {`stage/AbCdef1G2hij`, `stage/other`, "names stage"},
		"another session":     {`"st-ZyXwvu1T2s"`, `"st-other"`, "names stage"},
		"another participant": {`"xYz1c2d3e4f"`, `"someone"`, "names stage"},
		"no start time":       {`"recording_started_at": "2024-03-13T13:17:17Z",`, ``, "recording_started_at"},
	} {
		data := strings.Replace(string(good), c.from, c.to, 1)
		if _, err := ParseMetadata(loc, []byte(data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
	// A channel's file under a participant prefix is not this recording.
	channelFile, _ := os.ReadFile("testdata/" + FileEnded)
	if _, err := ParseMetadata(loc, channelFile); err == nil {
		t.Error("a channel's metadata file was taken for a participant recording")
	}
}

// readMetadata parses the metadata file at path as the recording at
// prefix's.
func readMetadata(t *testing.T, prefix, path string) Recording {
	t.Helper()
	loc, err := ParsePrefix(prefix)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseMetadata(loc, data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
