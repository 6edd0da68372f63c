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
	loc, _ := ParsePrefix(examplePrefix)
	read := func(name string) Recording {
		t.Helper()
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseMetadata(loc, data)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
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
