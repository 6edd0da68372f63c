package tokenapi

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// The ARN patterns of the resources the endpoints serve: ChannelArn (IVS
// API reference), StageArn (IVS Real-Time API reference) and RoomArn (IVS
// Chat API reference).
var (
	ChannelArnPattern = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+$`)
	StageArnPattern   = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$`)
	RoomArnPattern    = regexp.MustCompile(`^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$`)
)

// CheckARNs checks the ARNs of a configuration's kind ("channel", "stage",
// "room"): at least one, each of pattern.
func CheckARNs(kind string, arns []string, pattern *regexp.Regexp) error {
	if len(arns) == 0 {
		return fmt.Errorf("no %s", kind)
	}
	for _, arn := range arns {
		if !pattern.MatchString(arn) {
			return fmt.Errorf("%s %q is not a %s ARN", kind, arn, kind)
		}
	}
	return nil
}

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
