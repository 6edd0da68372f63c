package tokenapi

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The configuration comes from the named variable, and a configuration
// that does not parse stops the function before any handler is made.
func TestFromEnvironmentReadsTheNamedVariable(t *testing.T) {
	t.Setenv("AWS_REGION", "us-west-2")
	env := map[string]string{"CONFIG": "good"}
	parse := func(s string) (*string, error) {
		if s != "good" {
			return nil, errors.New("bad config " + s)
		}
		return &s, nil
	}
	got, err := FromEnvironment(context.Background(), func(k string) string { return env[k] }, "CONFIG", parse,
		func(c string, cfg aws.Config) (string, error) { return c + " in " + cfg.Region, nil })
	if err != nil || got != "good in us-west-2" {
		t.Errorf("got %q, %v", got, err)
	}
	built := false
	_, err = FromEnvironment(context.Background(), func(string) string { return "broken" }, "CONFIG", parse,
		func(string, aws.Config) (string, error) { built = true; return "", nil })
	if err == nil || built {
		t.Errorf("a bad configuration: err %v, handler made %v", err, built)
	}
}
