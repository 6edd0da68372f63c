package ivs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestRecordingConfigurationAllProperties(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	rc := ivs.NewRecordingConfiguration(env.Stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:                     bucket,
		RecordingConfigurationName: "main-recording",
		RecordingReconnectWindow:   30 * time.Second,
		RenditionSelection:         ivs.RenditionSelectionCustom,
		Renditions:                 []ivs.Resolution{ivs.ResolutionHD, ivs.ResolutionFullHD},
		Thumbnails: &ivs.Thumbnails{
			TargetInterval: 10 * time.Second,
			Resolution:     ivs.ResolutionSD,
			Storage:        []ivs.ThumbnailStorage{ivs.ThumbnailStorageSequential, ivs.ThumbnailStorageLatest},
		},
		Tags: map[string]string{"team": "video"},
	})
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: rc})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Id"), &awscdk.CfnOutputProps{Value: rc.RecordingConfigurationId()})
	awscdk.NewCfnOutput(env.Stack, jsii.String("State"), &awscdk.CfnOutputProps{Value: rc.RecordingConfigurationState()})
	logicalID := env.LogicalID("Recording")
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::RecordingConfiguration"), map[string]any{
		"Name":                            "main-recording",
		"DestinationConfiguration":        map[string]any{"S3": map[string]any{"BucketName": map[string]any{"Ref": assertions.Match_AnyValue()}}},
		"RecordingReconnectWindowSeconds": 30,
		"RenditionConfiguration":          map[string]any{"RenditionSelection": "CUSTOM", "Renditions": []any{"HD", "FULL_HD"}},
		"ThumbnailConfiguration": map[string]any{
			"RecordingMode": "INTERVAL", "TargetIntervalSeconds": 10, "Resolution": "SD", "Storage": []any{"SEQUENTIAL", "LATEST"},
		},
		"Tags": []any{map[string]any{"Key": "team", "Value": "video"}},
	})
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"RecordingConfigurationArn": map[string]any{"Fn::GetAtt": []any{logicalID, "Arn"}},
	})
	template.HasOutput(jsii.String("Id"), map[string]any{"Value": map[string]any{
		"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::GetAtt": []any{logicalID, "Arn"}}}}},
	}})
	template.HasOutput(jsii.String("State"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{logicalID, "State"}}})
	cdktest.Golden(t, "testdata/golden/recording-configuration.json", got)
}

func TestRecordingConfigurationDefaultsAndDisabledThumbnails(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.Bucket_FromBucketName(env.Stack, jsii.String("Bucket"), jsii.String("my-recordings.example"))
	ivs.NewRecordingConfiguration(env.Stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:     bucket,
		Thumbnails: &ivs.Thumbnails{Disabled: true},
	})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::RecordingConfiguration"), map[string]any{
		"DestinationConfiguration":        map[string]any{"S3": map[string]any{"BucketName": "my-recordings.example"}},
		"ThumbnailConfiguration":          map[string]any{"RecordingMode": "DISABLED"},
		"RecordingReconnectWindowSeconds": assertions.Match_Absent(),
		"RenditionConfiguration":          assertions.Match_Absent(),
	})
}

func TestRecordingConfigurationImports(t *testing.T) {
	env := cdktest.New(t)
	arn := "arn:aws:ivs:us-west-2:123456789012:recording-configuration/AbCdEf123456"
	byArn := ivs.RecordingConfigurationFromRecordingConfigurationArn(env.Stack, "ByArn", arn)
	if got := *byArn.RecordingConfigurationId(); got != "AbCdEf123456" {
		t.Errorf("ID of imported = %q", got)
	}
	byID := ivs.RecordingConfigurationFromRecordingConfigurationId(env.Stack, "ById", "XyZ123")
	if got := *byID.RecordingConfigurationId(); got != "XyZ123" {
		t.Errorf("an import by ID returns its ID as %q, want the literal", got)
	}
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: byID})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"RecordingConfigurationArn": map[string]any{"Fn::Join": []any{"", []any{
			"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ivs:", map[string]any{"Ref": "AWS::Region"}, ":",
			map[string]any{"Ref": "AWS::AccountId"}, ":recording-configuration/XyZ123",
		}}},
	})
	env2 := cdktest.New(t)
	ivs.RecordingConfigurationFromRecordingConfigurationId(env2.Stack, "Bad", "a/b")
	wantMessages(t, validationMessages(t, env2, "Bad"), `recording configuration ID "a/b" is invalid`)
}

func TestRecordingConfigurationRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		props func(env *cdktest.Env) *ivs.RecordingConfigurationProps
		want  []string
	}{
		{"no bucket", func(*cdktest.Env) *ivs.RecordingConfigurationProps { return nil }, []string{"Bucket is required"}},
		{"bad name", withBucket(ivs.RecordingConfigurationProps{RecordingConfigurationName: "a b"}), []string{`RecordingConfigurationName "a b" is invalid`}},
		{"window too long", withBucket(ivs.RecordingConfigurationProps{RecordingReconnectWindow: 301 * time.Second}), []string{"RecordingReconnectWindow 5m1s is invalid: use whole seconds from 0 to 300"}},
		{"window fraction", withBucket(ivs.RecordingConfigurationProps{RecordingReconnectWindow: 1500 * time.Millisecond}), []string{"RecordingReconnectWindow 1.5s is invalid"}},
		{"window in nanoseconds", withBucket(ivs.RecordingConfigurationProps{RecordingReconnectWindow: 30}), []string{"RecordingReconnectWindow 30ns is invalid", "write 30 * time.Second"}},
		{"negative window", withBucket(ivs.RecordingConfigurationProps{RecordingReconnectWindow: -time.Second}), []string{"RecordingReconnectWindow -1s is invalid"}},
		{"custom without renditions", withBucket(ivs.RecordingConfigurationProps{RenditionSelection: ivs.RenditionSelectionCustom}), []string{"Renditions is empty"}},
		{"renditions with all", withBucket(ivs.RecordingConfigurationProps{RenditionSelection: ivs.RenditionSelectionAll, Renditions: []ivs.Resolution{ivs.ResolutionHD}}), []string{`RenditionSelection is "ALL"`}},
		{"renditions without selection", withBucket(ivs.RecordingConfigurationProps{Renditions: []ivs.Resolution{ivs.ResolutionHD}}), []string{`RenditionSelection is ""`}},
		{"duplicate rendition", withBucket(ivs.RecordingConfigurationProps{RenditionSelection: ivs.RenditionSelectionCustom, Renditions: []ivs.Resolution{ivs.ResolutionHD, ivs.ResolutionHD}}), []string{`Renditions lists "HD" twice`}},
		{"bad rendition", withBucket(ivs.RecordingConfigurationProps{RenditionSelection: ivs.RenditionSelectionCustom, Renditions: []ivs.Resolution{"4K"}}), []string{`Renditions "4K" is invalid`}},
		{"bad selection", withBucket(ivs.RecordingConfigurationProps{RenditionSelection: "SOME"}), []string{`RenditionSelection "SOME" is invalid`}},
		{"disabled with settings", withBucket(ivs.RecordingConfigurationProps{Thumbnails: &ivs.Thumbnails{Disabled: true, TargetInterval: time.Second}}), []string{"Thumbnails are Disabled but"}},
		{"interval too long", withBucket(ivs.RecordingConfigurationProps{Thumbnails: &ivs.Thumbnails{TargetInterval: time.Minute + time.Second}}), []string{"Thumbnails.TargetInterval 1m1s is invalid: use whole seconds from 1 to 60"}},
		{"interval fraction", withBucket(ivs.RecordingConfigurationProps{Thumbnails: &ivs.Thumbnails{TargetInterval: 500 * time.Millisecond}}), []string{"Thumbnails.TargetInterval 500ms is invalid"}},
		{"bad storage", withBucket(ivs.RecordingConfigurationProps{Thumbnails: &ivs.Thumbnails{Storage: []ivs.ThumbnailStorage{"ALL", ivs.ThumbnailStorageLatest, ivs.ThumbnailStorageLatest}}}), []string{`Thumbnails.Storage "ALL" is invalid`, `Thumbnails.Storage lists "LATEST" twice`}},
		{"bad thumbnail resolution", withBucket(ivs.RecordingConfigurationProps{Thumbnails: &ivs.Thumbnails{Resolution: "8K"}}), []string{`Thumbnails.Resolution "8K" is invalid`}},
		{"bad bucket name", func(env *cdktest.Env) *ivs.RecordingConfigurationProps {
			return &ivs.RecordingConfigurationProps{Bucket: awss3.Bucket_FromBucketName(env.Stack, jsii.String("B"), jsii.String("Bad_Bucket"))}
		}, []string{`Bucket name "Bad_Bucket" is invalid`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewRecordingConfiguration(env.Stack, "Recording", c.props(env))
			wantMessages(t, validationMessages(t, env, "Recording"), c.want...)
		})
	}
}

func withBucket(props ivs.RecordingConfigurationProps) func(env *cdktest.Env) *ivs.RecordingConfigurationProps {
	return func(env *cdktest.Env) *ivs.RecordingConfigurationProps {
		p := props
		p.Bucket = awss3.Bucket_FromBucketName(env.Stack, jsii.String("Bucket"), jsii.String("recordings"))
		return &p
	}
}

func TestRecordingConfigurationBucketElsewhere(t *testing.T) {
	env := cdktest.NewApp(t)
	env.Stack = awscdk.NewStack(env.App, jsii.String("TestStack"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-west-2")},
	})
	otherRegion := awss3.Bucket_FromBucketAttributes(env.Stack, jsii.String("East"), &awss3.BucketAttributes{
		BucketName: jsii.String("east-bucket"), Region: jsii.String("us-east-1"),
	})
	otherAccount := awss3.Bucket_FromBucketAttributes(env.Stack, jsii.String("Foreign"), &awss3.BucketAttributes{
		BucketName: jsii.String("foreign-bucket"), Account: jsii.String("210987654321"),
	})
	same := awss3.NewBucket(env.Stack, jsii.String("Local"), nil)
	ivs.NewRecordingConfiguration(env.Stack, "EastRecording", &ivs.RecordingConfigurationProps{Bucket: otherRegion})
	ivs.NewRecordingConfiguration(env.Stack, "ForeignRecording", &ivs.RecordingConfigurationProps{Bucket: otherAccount})
	ivs.NewRecordingConfiguration(env.Stack, "LocalRecording", &ivs.RecordingConfigurationProps{Bucket: same})
	wantMessages(t, validationMessages(t, env, "EastRecording"), `Bucket is in region "us-east-1" but the recording configuration in "us-west-2"`)
	wantMessages(t, validationMessages(t, env, "ForeignRecording"), `Bucket is in account "210987654321"`)
	if msgs := validationMessages(t, env, "LocalRecording"); len(msgs) != 0 {
		t.Errorf("same-region bucket reported %q", msgs)
	}
}

// A channel records only with a recording configuration of its own region
// (and account, which owns the bucket).
func TestChannelRecordsInItsOwnRegion(t *testing.T) {
	env := cdktest.NewOregon(t)
	far := ivs.RecordingConfigurationFromRecordingConfigurationArn(env.Stack, "Far",
		"arn:aws:ivs:eu-west-1:123456789012:recording-configuration/abcdABCDefgh")
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: far})
	wantMessages(t, validationMessages(t, env, "Channel"), "RecordingConfiguration arn:aws:ivs:eu-west-1:", "region eu-west-1",
		"us-west-2", "Auto-Record to Amazon S3")

	env = cdktest.NewOregon(t)
	near := ivs.RecordingConfigurationFromRecordingConfigurationArn(env.Stack, "Near",
		"arn:aws:ivs:us-west-2:123456789012:recording-configuration/abcdABCDefgh")
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: near})
	if messages := validationMessages(t, env, "Channel"); len(messages) != 0 {
		t.Errorf("a local recording configuration: %q", messages)
	}
}
