package main

// This file is the same in every example that has an endpoint.

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// TestAccessFromContext: the CDK context chooses who may call the
// endpoint, as access documents, and contradictions are refused by name.
func TestAccessFromContext(t *testing.T) {
	for _, c := range []struct {
		context map[string]any
		want    access
		refused string
	}{
		{context: map[string]any{}, want: access{cognito: true}},
		{context: map[string]any{"cognito": "true"}, want: access{cognito: true}},
		{context: map[string]any{"cognito": true}, want: access{cognito: true}},
		{context: map[string]any{"cognito": "false"}, want: access{}},
		{context: map[string]any{"cognito": false}, want: access{}},
		{context: map[string]any{"invokerRoleArn": "arn:aws:iam::123456789012:role/backend"},
			want: access{invokerRoleArn: "arn:aws:iam::123456789012:role/backend"}},
		{context: map[string]any{"jwtIssuer": "https://issuer.example.com", "jwtAudience": "client"},
			want: access{issuer: "https://issuer.example.com", audience: "client"}},
		{context: map[string]any{"cognito": "yes"}, refused: "-c cognito=yes: want true or false"},
		{context: map[string]any{"cognito": "true", "jwtIssuer": "https://issuer.example.com"}, refused: "-c cognito=true cannot go with"},
		{context: map[string]any{"cognito": "true", "invokerRoleArn": "arn:aws:iam::123456789012:role/backend"}, refused: "-c cognito=true cannot go with"},
		{context: map[string]any{"jwtAudience": "client", "invokerRoleArn": "arn:aws:iam::123456789012:role/backend"}, refused: "-c invokerRoleArn needs"},
	} {
		app := awscdk.NewApp(&awscdk.AppProps{Context: &c.context, Outdir: jsii.String(t.TempDir())})
		got, refusal := func() (a access, refusal string) {
			defer func() {
				if r := recover(); r != nil {
					refusal, _ = r.(string)
				}
			}()
			return accessFromContext(app), ""
		}()
		switch {
		case c.refused != "" && !strings.Contains(refusal, c.refused):
			t.Errorf("context %v: refusal %q, want one saying %q", c.context, refusal, c.refused)
		case c.refused == "" && refusal != "":
			t.Errorf("context %v refused: %s", c.context, refusal)
		case c.refused == "" && got != c.want:
			t.Errorf("context %v: %+v, want %+v", c.context, got, c.want)
		}
	}
}
