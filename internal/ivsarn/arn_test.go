package ivsarn

import (
	"flag"
	"strings"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestCheckLiteral(t *testing.T) {
	const ok = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"
	cases := []struct {
		arn, service, typ string
		want              string // "" for valid
	}{
		{ok, "ivs", "channel", ""},
		{"arn:aws:ivschat:us-east-1:123456789012:room/g1H2I3j4k5L6", "ivschat", "room", ""},
		// A CDK token is no region: only the constructs skip tokens.
		{"arn:aws:ivs:${Token[AWS.Region.4]}:123456789012:channel/x", "ivs", "channel", `has region "${Token[AWS.Region.4]}"`},
		{"not-an-arn", "ivs", "channel", `"not-an-arn" is not an ARN`},
		{"arn:aws:ivs:us-west-2:123456789012", "ivs", "channel", "is not an ARN"},
		{"arn:aws:ivs:us-west-2:123456789012:channel", "ivs", "channel", "has no <type>/<id>"},
		{"arn:aws:s3:us-west-2:123456789012:channel/abc", "ivs", "channel", `belongs to service "s3": want service "ivs"`},
		{"arn:aws:ivs:us-west-2:123456789012:stream-key/abc", "ivs", "channel", `names a "stream-key": want a "channel"`},
		{"arn:aws-cn:ivs:cn-north-1:123456789012:channel/abc", "ivs", "channel", `partition "aws-cn"`},
		{"arn:aws:ivs::123456789012:channel/abc", "ivs", "channel", `region ""`},
		{"arn:aws:ivs:us-west-2:1234:channel/abc", "ivs", "channel", `account "1234"`},
		{"arn:aws:ivs:us-west-2:123456789012:channel/a_b", "ivs", "channel", `resource ID "a_b"`},
		{"arn:aws:ivs:us-west-2:123456789012:channel/", "ivs", "channel", `resource ID ""`},
	}
	for _, c := range cases {
		err := CheckLiteral(c.arn, c.service, c.typ)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckLiteral(%q) = %v, want nil", c.arn, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckLiteral(%q) = %v, want an error containing %q", c.arn, err, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	a, err := Parse("arn:aws:ivs:us-west-2:123456789012:playback-key/f99cde61")
	if err != nil {
		t.Fatal(err)
	}
	want := ARN{"aws", "ivs", "us-west-2", "123456789012", "playback-key", "f99cde61"}
	if a != want {
		t.Errorf("Parse = %+v, want %+v", a, want)
	}
}

func FuzzCheckLiteral(f *testing.F) {
	for _, s := range []string{"arn:aws:ivs:us-west-2:123456789012:channel/abc", "arn:::::", "arn:aws:ivs:r:1:/", "", "::::::/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckLiteral(s, "ivs", "channel")
		if err == nil {
			// Anything accepted must match the CloudFormation pattern
			// ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+$.
			a, perr := Parse(s)
			if perr != nil || a.Partition != "aws" || a.Service != "ivs" || a.ResourceType != "channel" ||
				!isRegion(a.Region) || !isAccount(a.Account) || !IsResourceID(a.ResourceID) {
				t.Errorf("accepted %q", s)
			}
		}
	})
}
