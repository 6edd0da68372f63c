package cdktest

import (
	"strings"
	"testing"
)

func TestCheckSchemasFindsViolations(t *testing.T) {
	template := map[string]any{"Resources": map[string]any{
		"Good": map[string]any{"Type": "AWS::IVS::Channel", "Properties": map[string]any{"Name": "ok-name", "LatencyMode": "LOW"}},
		"Bad": map[string]any{"Type": "AWS::IVS::Channel", "Properties": map[string]any{
			"Name": "bad name", "LatencyMode": "FAST", "Bogus": 1,
		}},
		"NoChannel":  map[string]any{"Type": "AWS::IVS::StreamKey", "Properties": map[string]any{}},
		"Intrinsic":  map[string]any{"Type": "AWS::IVS::StreamKey", "Properties": map[string]any{"ChannelArn": map[string]any{"Fn::GetAtt": []any{"Good", "Arn"}}}},
		"Ad":         map[string]any{"Type": "AWS::IVS::AdConfiguration", "Properties": map[string]any{}},
		"NotIVS":     map[string]any{"Type": "AWS::S3::Bucket", "Properties": map[string]any{"Anything": true}},
		"UnknownIVS": map[string]any{"Type": "AWS::IVS::Nope"},
	}}
	findings := strings.Join(CheckSchemas(template), "\n")
	for _, want := range []string{
		"Bad (AWS::IVS::Channel) at /Name", "Bad (AWS::IVS::Channel) at /LatencyMode", "Bogus",
		"NoChannel (AWS::IVS::StreamKey)", "no registry schema for AWS::IVS::Nope",
	} {
		if !strings.Contains(findings, want) {
			t.Errorf("findings lack %q:\n%s", want, findings)
		}
	}
	for _, clean := range []string{"Good", "Intrinsic", "NotIVS", "Ad ("} {
		if strings.Contains(findings, clean+" (") || strings.HasPrefix(findings, clean+" ") {
			t.Errorf("findings mention %s:\n%s", clean, findings)
		}
	}
}

func TestAllSchemasLoad(t *testing.T) {
	all, err := loadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 13 {
		t.Errorf("loaded %d schemas, want the 13 IVS and IVS Chat types", len(all))
	}
}
