package tokenapi

import (
	"net/http"
	"regexp"
	"strings"
)

// Served is the set of IVS resources (channels, stages or rooms) an
// endpoint hands out tokens for, which callers name by ARN or by ID.
type Served struct {
	kind       string
	arns       []string
	byName     map[string]string
	arnPattern *regexp.Regexp
}

// idPattern is an IVS resource ID (the ARN's last part).
var idPattern = regexp.MustCompile(`^[a-zA-Z0-9-]{1,64}$`)

// NewServed returns the set of arns. kind names the resource in answers
// ("Channel", "Stage", "Room"); arnPattern is the form of its ARNs.
func NewServed(kind string, arnPattern *regexp.Regexp, arns []string) *Served {
	s := &Served{kind: kind, arns: arns, byName: map[string]string{}, arnPattern: arnPattern}
	for _, arn := range arns {
		s.byName[arn] = arn
		s.byName[arn[strings.LastIndexByte(arn, '/')+1:]] = arn
	}
	return s
}

// Pick returns the ARN of the resource name (an ARN or an ID) names, or
// the error answer: 400 Malformed request when name is empty and more than
// one is served, 400 Invalid<kind> when name is neither form, 404
// <kind>NotServed for a well-formed name the endpoint does not serve.
func (s *Served) Pick(name string) (string, error) {
	lower := strings.ToLower(s.kind)
	if name == "" {
		if len(s.arns) == 1 {
			return s.arns[0], nil
		}
		return "", Fail(http.StatusBadRequest, "MalformedRequest", "name the %s: this endpoint serves %d", lower, len(s.arns))
	}
	if arn, ok := s.byName[name]; ok {
		return arn, nil
	}
	if !s.arnPattern.MatchString(name) && !idPattern.MatchString(name) {
		return "", Fail(http.StatusBadRequest, "Invalid"+s.kind, "%.80q is neither an IVS %s ARN nor a %s ID", name, lower, lower)
	}
	return "", Fail(http.StatusNotFound, s.kind+"NotServed", "this endpoint does not serve %s %s", lower, name)
}
