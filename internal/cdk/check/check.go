// Package check validates construct properties in plain Go and reports the
// problems as CDK construct validations.
//
// Checks run on literal values when a construct is created; values that hold
// unresolved tokens are skipped, because they are only known at deploy time.
// Nothing is reported to the CDK unless something is wrong, so valid
// constructs pay no jsii round trip for their validation.
package check

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/ivsarn"
)

// Problems collects what is wrong with one construct's properties, one
// complete sentence each, naming the property, the bad value and what is
// allowed. The CDK adds the construct path when it reports them.
type Problems struct {
	messages []string
}

// Addf records a problem.
func (p *Problems) Addf(format string, args ...any) {
	p.messages = append(p.messages, fmt.Sprintf(format, args...))
}

// Messages returns the problems recorded so far.
func (p *Problems) Messages() []string { return p.messages }

// Report attaches the problems to c as a construct validation, so that
// `cdk synth` fails and lists them with c's path. It does nothing when there
// are no problems.
func (p *Problems) Report(c constructs.Construct) {
	if len(p.messages) == 0 {
		return
	}
	c.Node().AddValidation(&failed{messages: p.messages})
}

type failed struct{ messages []string }

// Validate implements constructs.IValidation.
func (f *failed) Validate() *[]*string {
	out := make([]*string, len(f.messages))
	for i := range f.messages {
		out[i] = &f.messages[i]
	}
	return &out
}

// IVS names all follow one rule in the CloudFormation schemas:
// pattern ^[a-zA-Z0-9-_]*$ and at most 128 characters.
const maxNameLength = 128

// Name checks an IVS resource name. The empty string means "not set".
func (p *Problems) Name(prop, value string) {
	if value == "" || cdktoken.IsUnresolved(value) {
		return
	}
	bad := strings.IndexFunc(value, func(r rune) bool {
		return !(r < utf8.RuneSelf && (isAlnum(byte(r)) || r == '-' || r == '_'))
	}) >= 0
	if bad || len(value) > maxNameLength {
		p.Addf("%s %q is invalid: use only letters, digits, hyphens (-) and underscores (_), at most %d characters (got %d)",
			prop, value, maxNameLength, utf8.RuneCountInString(value))
	}
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// OneOf checks that a set value is one of allowed. The empty string means
// "not set" and passes.
func (p *Problems) OneOf(prop, value string, allowed ...string) {
	if value == "" || cdktoken.IsUnresolved(value) {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	p.Addf("%s %q is invalid: allowed values are %s", prop, value, quoteAll(allowed))
}

func quoteAll(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// Tag limits shared by every IVS and IVS Chat resource (CloudFormation
// schemas and the AWS tagging rules).
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// Tags checks a tag map: at most 50 tags, keys of 1 to 128 characters and
// values of at most 256, no "aws:" prefix (reserved for AWS), and only the
// characters AWS allows in tags.
func (p *Problems) Tags(prop string, tags map[string]string) {
	if len(tags) > maxTags {
		p.Addf("%s has %d tags: at most %d are allowed", prop, len(tags), maxTags)
	}
	for _, key := range SortedKeys(tags) {
		value := tags[key]
		if cdktoken.IsUnresolved(key) {
			continue
		}
		if n := utf8.RuneCountInString(key); n < 1 || n > maxTagKeyLen {
			p.Addf("%s key %q is invalid: a tag key must be 1 to %d characters (got %d)", prop, key, maxTagKeyLen, n)
		}
		if strings.HasPrefix(strings.ToLower(key), "aws:") {
			p.Addf("%s key %q is invalid: the prefix \"aws:\" is reserved for AWS", prop, key)
		}
		if r, ok := badTagRune(key); ok {
			p.Addf("%s key %q is invalid: character %q is not allowed; use letters, digits, spaces and _ . : / = + - @", prop, key, r)
		}
		if cdktoken.IsUnresolved(value) {
			continue
		}
		if n := utf8.RuneCountInString(value); n > maxTagValueLen {
			p.Addf("%s value for key %q is invalid: a tag value must be at most %d characters (got %d)", prop, key, maxTagValueLen, n)
		}
		if r, ok := badTagRune(value); ok {
			p.Addf("%s value for key %q is invalid: character %q is not allowed; use letters, digits, spaces and _ . : / = + - @", prop, key, r)
		}
	}
}

func badTagRune(s string) (rune, bool) {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || strings.ContainsRune("_.:/=+-@", r)) {
			return r, true
		}
	}
	return 0, false
}

// SortedKeys returns the keys of m in ascending order, so that templates are
// the same on every synth.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ARN verifies that s is the ARN of an IVS resource of the given service
// and resource type (ivsarn.CheckLiteral). ARNs holding tokens are not
// checked: they are only known at deploy time.
func ARN(s, service, resourceType string) error {
	if cdktoken.IsUnresolved(s) {
		return nil
	}
	return ivsarn.CheckLiteral(s, service, resourceType)
}
