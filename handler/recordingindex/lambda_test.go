package recordingindex

import (
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(`{"bucket":"recordings","table":"index","retention":"720h","lookback":"24h"}`)
	if err != nil {
		t.Fatal(err)
	}
	ix := New(*c, nil, nil)
	if ix.Bucket != "recordings" || ix.Store.Table != "index" || ix.Store.Retention != 720*time.Hour || ix.Lookback != 24*time.Hour {
		t.Errorf("New: %+v %+v", ix, ix.Store)
	}
	for config, want := range map[string]string{
		``:               "is not a recording index configuration",
		`{"bucket":"b"}`: "bucket and table are required",
		`{"bucket":"b","table":"t","retention":"-1h"}`: "cannot be negative",
		`{"bucket":"b","table":"t","lookback":"soon"}`: "is not a recording index configuration",
	} {
		if _, err := ParseConfig(config); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConfig(%q): %v, want %q", config, err, want)
		}
	}
}
