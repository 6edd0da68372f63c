package ivs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// TestRecordingLibraryTemplate: the index table (AWS::DynamoDB::Table:
// channel and start, on demand, time to live with a retention), the
// function with its configuration, the bucket's notification of the
// metadata files, the event rule, the schedule, and the lifecycle rule.
func TestRecordingLibraryTemplate(t *testing.T) {
	env := cdktest.New(t)
	logs := awss3.NewBucket(env.Stack, jsii.String("Logs"), &awss3.BucketProps{EnforceSSL: jsii.Bool(true)})
	logs.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cdk_nag"), map[string]any{
		"rules_to_suppress": []any{map[string]any{"id": "AwsSolutions-S1", "reason": "The access logs' own bucket."}}})
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), &awss3.BucketProps{EnforceSSL: jsii.Bool(true), ServerAccessLogsBucket: logs})
	ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{Bucket: bucket, Retention: 30 * 24 * time.Hour})
	findings := nagFindings(env)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	table, fn, b := env.LogicalID("Library/Index"), env.LogicalID("Library/Function"), env.LogicalID("Recordings")

	template.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]any{
		"Properties": map[string]any{
			"KeySchema":                        []any{map[string]any{"AttributeName": "channel", "KeyType": "HASH"}, map[string]any{"AttributeName": "start", "KeyType": "RANGE"}},
			"BillingMode":                      "PAY_PER_REQUEST",
			"TimeToLiveSpecification":          map[string]any{"AttributeName": "expiresAt", "Enabled": true},
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		},
		"DeletionPolicy": "Retain",
	})
	fnResource := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)
	raw := fnResource["Environment"].(map[string]any)["Variables"].(map[string]any)[recordingindex.EnvConfig]
	// The configuration holds tokens (the bucket's and the table's
	// names); resolved as CloudFormation would, it is what the function
	// parses.
	text, _ := json.Marshal(raw)
	for _, want := range []string{`"lookback\":\"48h0m0s\"`, `"retention\":\"720h0m0s\"`, `{"Ref":"` + b + `"}`, `{"Ref":"` + table + `"}`} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the function's configuration %s lacks %s", text, want)
		}
	}
	if c, err := recordingindex.ParseConfig(resolveJoin(t, raw, map[string]string{b: "recordings", table: "index"})); err != nil {
		t.Errorf("the function cannot read its configuration: %v", err)
	} else if c.Bucket != "recordings" || c.Table != "index" || time.Duration(c.Retention) != 720*time.Hour || time.Duration(c.Lookback) != 48*time.Hour {
		t.Errorf("the function reads %+v", c)
	}
	// S3 notifies the function of new objects under ivs/v1/ ending in .json.
	template.HasResourceProperties(jsii.String("Custom::S3BucketNotifications"), map[string]any{
		"NotificationConfiguration": map[string]any{"LambdaFunctionConfigurations": []any{map[string]any{
			"Events":            []any{"s3:ObjectCreated:*"},
			"Filter":            map[string]any{"Key": map[string]any{"FilterRules": []any{map[string]any{"Name": "suffix", "Value": ".json"}, map[string]any{"Name": "prefix", "Value": "ivs/v1/"}}}},
			"LambdaFunctionArn": map[string]any{"Fn::GetAtt": []any{fn, "Arn"}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Recording State Change"},
			"detail": map[string]any{"recording_s3_bucket_name": []any{map[string]any{"Ref": b}}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{"ScheduleExpression": "rate(1 hour)"})
	template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
		"LifecycleConfiguration": map[string]any{"Rules": []any{map[string]any{
			"Id": "ivscdk-recording-retention", "Prefix": "ivs/", "ExpirationInDays": 30, "Status": "Enabled"}}},
	})
	// It may read the metadata files and list the recordings' folders,
	// and put and query index entries: nothing else.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "s3:GetObject", "Effect": "Allow", "Resource": map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{b, "Arn"}}, "/ivs/*"}}}},
			map[string]any{"Action": "s3:ListBucket", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{b, "Arn"}},
				"Condition": map[string]any{"StringLike": map[string]any{"s3:prefix": "ivs/*"}}},
			map[string]any{"Action": []any{"dynamodb:PutItem", "dynamodb:Query"}, "Effect": "Allow", "Resource": []any{map[string]any{"Fn::GetAtt": []any{table, "Arn"}}}},
		})},
	})
	for _, f := range findings {
		t.Errorf("unsuppressed cdk-nag finding: %s", f)
	}
}

// resolveJoin resolves an Fn::Join of literals and Refs of the given
// logical IDs, as CloudFormation would.
func resolveJoin(t *testing.T, v any, refs map[string]string) string {
	t.Helper()
	join, ok := v.(map[string]any)["Fn::Join"].([]any)
	if !ok {
		t.Fatalf("%v is not an Fn::Join", v)
	}
	var b strings.Builder
	for _, part := range join[1].([]any) {
		switch p := part.(type) {
		case string:
			b.WriteString(p)
		case map[string]any:
			b.WriteString(refs[p["Ref"].(string)])
		}
	}
	return b.String()
}

// TestRecordingLibraryDefaultsAndRefusals: without a retention nothing
// expires; bad input is refused with the construct's path, the property,
// the value and what is allowed.
func TestRecordingLibraryDefaultsAndRefusals(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{Bucket: bucket, RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]any{
		"Properties": map[string]any{"TimeToLiveSpecification": assertions.Match_Absent()}, "DeletionPolicy": "Delete"})
	template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{"LifecycleConfiguration": assertions.Match_Absent()})

	for name, c := range map[string]struct {
		props ivs.RecordingLibraryProps
		want  []string
	}{
		"no bucket": {ivs.RecordingLibraryProps{}, []string{"Bucket is required"}},
		"interval": {ivs.RecordingLibraryProps{ReconcileInterval: time.Minute},
			[]string{"ReconcileInterval 1m0s is invalid: give whole minutes from 5m to 24h"}},
		"lookback": {ivs.RecordingLibraryProps{ReconcileInterval: 2 * time.Hour, ReconcileLookback: time.Hour},
			[]string{"ReconcileLookback 1h0m0s is invalid: give at least ReconcileInterval (2h0m0s)"}},
		"retention": {ivs.RecordingLibraryProps{Retention: 36 * time.Hour}, []string{"Retention 36h0m0s is invalid: give whole days"}},
		"imported":  {ivs.RecordingLibraryProps{Retention: 48 * time.Hour}, []string{"Retention needs the bucket defined in this app"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props := c.props
			if name == "imported" {
				props.Bucket = awss3.Bucket_FromBucketName(env.Stack, jsii.String("Imported"), jsii.String("recordings"))
			} else if name != "no bucket" {
				props.Bucket = awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
			}
			ivs.NewRecordingLibrary(env.Stack, "Library", &props)
			msg := env.SynthError()
			for _, want := range append(c.want, "[TestStack/Library]") {
				if !strings.Contains(msg, want) {
					t.Errorf("synthesis error %q does not say %q", msg, want)
				}
			}
		})
	}
}
