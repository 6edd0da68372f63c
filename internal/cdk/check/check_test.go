package check

import (
	"flag"
	"strings"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestName(t *testing.T) {
	for value, ok := range map[string]bool{
		"": true, "a": true, "My-Channel_01": true, strings.Repeat("x", 128): true,
		strings.Repeat("x", 129): false, "a b": false, "a.b": false, "é": false, "${Token[TOKEN.1]}": true,
	} {
		var p Problems
		p.Name("Name", value)
		if got := len(p.Messages()) == 0; got != ok {
			t.Errorf("Name(%q): ok = %v, want %v (%q)", value, got, ok, p.Messages())
		}
	}
}

func TestOneOf(t *testing.T) {
	var p Problems
	p.OneOf("Mode", "", "A", "B")
	p.OneOf("Mode", "A", "A", "B")
	p.OneOf("Mode", "${Token[X.1]}", "A", "B")
	if len(p.Messages()) != 0 {
		t.Fatalf("unexpected %q", p.Messages())
	}
	p.OneOf("Mode", "C", "A", "B")
	if got := p.Messages(); len(got) != 1 || got[0] != `Mode "C" is invalid: allowed values are "A", "B"` {
		t.Errorf("got %q", got)
	}
}

func TestTagsAcceptsAWSCharacters(t *testing.T) {
	var p Problems
	p.Tags("Tags", map[string]string{"team name": "a_b.c:d/e=f+g-h@i", "ключ": "значение", "k": ""})
	if len(p.Messages()) != 0 {
		t.Errorf("unexpected %q", p.Messages())
	}
}

// An ARN holding a CDK token is known only at deploy time: skipped. A
// literal one is checked.
func TestARNSkipsTokensOnly(t *testing.T) {
	if err := ARN("arn:aws:ivs:${Token[AWS.Region.4]}:123456789012:channel/x", "ivs", "channel"); err != nil {
		t.Errorf("a token ARN: %v", err)
	}
	if err := ARN("arn:aws:ivs:us-west-2:123456789012:stage/x", "ivs", "channel"); err == nil {
		t.Error("a stage ARN passed as a channel's")
	}
}
