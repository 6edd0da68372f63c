// Package ivsarn parses and checks the ARNs of Amazon IVS and IVS Chat
// resources, such as arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh.
// It knows literal strings only (the standard library is its one
// dependency), so ivstoken and the handlers use it as it is; the constructs
// skip CDK tokens first (internal/cdk/check.ARN).
package ivsarn

import (
	"fmt"
	"strings"
)

// ARN is a parsed resource ARN.
type ARN struct {
	Partition    string
	Service      string
	Region       string
	Account      string
	ResourceType string
	ResourceID   string
}

// Parse splits an ARN of the form
// arn:partition:service:region:account:type/id.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, fmt.Errorf("%q is not an ARN: want arn:<partition>:<service>:<region>:<account>:<type>/<id>", s)
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4]}
	typ, id, found := strings.Cut(parts[5], "/")
	if !found {
		return ARN{}, fmt.Errorf("%q is not a resource ARN: its last part %q has no <type>/<id>", s, parts[5])
	}
	a.ResourceType, a.ResourceID = typ, id
	return a, nil
}

// CheckLiteral verifies that s is the ARN of an IVS resource of the given
// service ("ivs" or "ivschat") and resource type ("channel", "stream-key",
// ...), in the shape the CloudFormation schemas accept. A CDK token is
// refused like any other malformed ARN.
func CheckLiteral(s, service, resourceType string) error {
	a, err := Parse(s)
	if err != nil {
		return err
	}
	switch {
	case a.Partition != "aws":
		return fmt.Errorf("%q has partition %q: IVS is only in partition \"aws\"", s, a.Partition)
	case a.Service != service:
		return fmt.Errorf("%q belongs to service %q: want service %q", s, a.Service, service)
	case a.ResourceType != resourceType:
		return fmt.Errorf("%q names a %q: want a %q", s, a.ResourceType, resourceType)
	case !isRegion(a.Region):
		return fmt.Errorf("%q has region %q: want a region such as us-west-2", s, a.Region)
	case !isAccount(a.Account):
		return fmt.Errorf("%q has account %q: want a 12-digit account ID", s, a.Account)
	case !IsResourceID(a.ResourceID):
		return fmt.Errorf("%q has resource ID %q: want letters, digits and hyphens only", s, a.ResourceID)
	}
	return nil
}

func isRegion(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

func isAccount(s string) bool {
	return len(s) == 12 && strings.Trim(s, "0123456789") == ""
}

// IsResourceID reports whether s has the form of an IVS resource ID:
// letters, digits and hyphens.
func IsResourceID(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == ""
}
