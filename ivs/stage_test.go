package ivs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestRealTimeConstructs(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	storage := ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket, StorageConfigurationName: "stage-recordings"})
	stage := ivs.NewStage(env.Stack, "Stage", &ivs.StageProps{
		StageName: "town-hall",
		AutoParticipantRecording: &ivs.AutoParticipantRecording{
			StorageConfiguration:     storage,
			MediaType:                ivs.MediaTypeAudioOnly,
			ReconnectWindow:          30 * time.Second,
			HLSTargetSegmentDuration: 4 * time.Second,
			Thumbnails:               &ivs.ParticipantThumbnails{TargetInterval: 5 * time.Minute, Storage: []ivs.ThumbnailStorage{ivs.ThumbnailStorageLatest}},
		},
		Tags: map[string]string{"team": "video"},
	})
	key := ivs.NewPublicKey(env.Stack, "PublicKey", &ivs.PublicKeyProps{PublicKeyMaterial: publicKeyPEM(t), PublicKeyName: "participants"})
	encoder := ivs.NewEncoderConfiguration(env.Stack, "Encoder", &ivs.EncoderConfigurationProps{Video: ivs.EncoderVideoFullHD1080p30})
	ingest := ivs.NewIngestConfiguration(env.Stack, "Ingest", &ivs.IngestConfigurationProps{Stage: stage, UserID: "obs-studio"})
	role := newRole(env, "Role")
	stage.GrantCreateParticipantToken(role)
	stage.OnStageUpdate("StageUpdate", nil)
	for id, v := range map[string]*string{
		"StageId": stage.StageId(), "Session": stage.StageActiveSessionId(), "Key": key.PublicKeyArn(), "Fingerprint": key.PublicKeyFingerprint(),
		"Encoder": encoder.EncoderConfigurationArn(), "Ingest": ingest.IngestConfigurationArn(), "Participant": ingest.IngestConfigurationParticipantId(),
		"IngestState": ingest.IngestConfigurationState(),
	} {
		awscdk.NewCfnOutput(env.Stack, jsii.String("Out"+id), &awscdk.CfnOutputProps{Value: v})
	}
	stageID := env.LogicalID("Stage")
	storageID := env.LogicalID("Storage")
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::StorageConfiguration"), map[string]any{
		"Name": "stage-recordings", "S3": map[string]any{"BucketName": map[string]any{"Ref": assertions.Match_AnyValue()}},
	})
	template.HasResourceProperties(jsii.String("AWS::IVS::Stage"), map[string]any{
		"Name": "town-hall",
		"AutoParticipantRecordingConfiguration": map[string]any{
			"StorageConfigurationArn":         map[string]any{"Fn::GetAtt": []any{storageID, "Arn"}},
			"MediaTypes":                      []any{"AUDIO_ONLY"},
			"RecordingReconnectWindowSeconds": 30,
			"HlsConfiguration":                map[string]any{"ParticipantRecordingHlsConfiguration": map[string]any{"TargetSegmentDurationSeconds": 4}},
			"ThumbnailConfiguration": map[string]any{"ParticipantThumbnailConfiguration": map[string]any{
				"RecordingMode": "INTERVAL", "TargetIntervalSeconds": 300, "Storage": []any{"LATEST"},
			}},
		},
	})
	template.HasResourceProperties(jsii.String("AWS::IVS::PublicKey"), map[string]any{"Name": "participants", "PublicKeyMaterial": publicKeyPEM(t)})
	template.HasResourceProperties(jsii.String("AWS::IVS::EncoderConfiguration"), map[string]any{
		"Video": map[string]any{"Width": 1920, "Height": 1080, "Framerate": 30, "Bitrate": 6000000},
	})
	template.HasResourceProperties(jsii.String("AWS::IVS::IngestConfiguration"), map[string]any{
		"StageArn": map[string]any{"Fn::GetAtt": []any{stageID, "Arn"}}, "UserId": "obs-studio",
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:CreateParticipantToken", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{stageID, "Arn"}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stage Update"},
			"resources": []any{map[string]any{"Fn::GetAtt": []any{stageID, "Arn"}}}},
	})
	cdktest.Golden(t, "testdata/golden/real-time.json", got)
}

func TestRealTimeDefaults(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewStage(env.Stack, "Stage", nil)
	ivs.NewEncoderConfiguration(env.Stack, "Encoder", nil)
	ivs.NewIngestConfiguration(env.Stack, "Ingest", nil)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::Stage"), map[string]any{"AutoParticipantRecordingConfiguration": assertions.Match_Absent()})
	template.HasResourceProperties(jsii.String("AWS::IVS::EncoderConfiguration"), map[string]any{"Video": assertions.Match_Absent()})
	template.HasResourceProperties(jsii.String("AWS::IVS::IngestConfiguration"), map[string]any{"StageArn": assertions.Match_Absent()})
}

func TestRealTimeRejectsBadInput(t *testing.T) {
	storage := func(env *cdktest.Env) ivs.IStorageConfiguration {
		return ivs.StorageConfigurationFromStorageConfigurationArn(env.Stack, "S", "arn:aws:ivs:us-west-2:123456789012:storage-configuration/AbC123")
	}
	cases := []struct {
		name  string
		build func(env *cdktest.Env)
		want  []string
	}{
		{"stage without storage", func(env *cdktest.Env) {
			ivs.NewStage(env.Stack, "X", &ivs.StageProps{AutoParticipantRecording: &ivs.AutoParticipantRecording{}})
		}, []string{"AutoParticipantRecording.StorageConfiguration is required"}},
		{"stage bad recording settings", func(env *cdktest.Env) {
			ivs.NewStage(env.Stack, "X", &ivs.StageProps{StageName: "a b", AutoParticipantRecording: &ivs.AutoParticipantRecording{
				StorageConfiguration: storage(env), MediaType: "VIDEO_ONLY", ReconnectWindow: 301 * time.Second,
				HLSTargetSegmentDuration: 11 * time.Second,
				Thumbnails:               &ivs.ParticipantThumbnails{TargetInterval: 25 * time.Hour, Storage: []ivs.ThumbnailStorage{"ALL"}},
			}})
		}, []string{`StageName "a b"`, `MediaType "VIDEO_ONLY" is invalid`, "ReconnectWindow 5m1s is invalid", "HLSTargetSegmentDuration 11s is invalid: use whole seconds from 2 to 10",
			"TargetInterval 25h0m0s is invalid: use whole seconds from 1 to 86400", `Thumbnails.Storage "ALL" is invalid`}},
		{"storage without bucket", func(env *cdktest.Env) { ivs.NewStorageConfiguration(env.Stack, "X", nil) }, []string{"Bucket is required"}},
		{"public key missing", func(env *cdktest.Env) { ivs.NewPublicKey(env.Stack, "X", nil) }, []string{"PublicKeyMaterial is required"}},
		{"public key private", func(env *cdktest.Env) {
			ivs.NewPublicKey(env.Stack, "X", &ivs.PublicKeyProps{PublicKeyMaterial: "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"})
		}, []string{"PublicKeyMaterial holds a PRIVATE key"}},
		{"encoder out of range", func(env *cdktest.Env) {
			ivs.NewEncoderConfiguration(env.Stack, "X", &ivs.EncoderConfigurationProps{Video: ivs.EncoderVideo{Width: 3840, Height: 1, Framerate: 120, Bitrate: 9_000_000}})
		}, []string{"Video.Width 3840 is invalid: use 2 to 1920", "Video.Height 1 is invalid", "Video.Height 1 is odd", "Video.Framerate 120 is invalid", "Video.Bitrate 9000000 is invalid"}},
		{"encoder pixels", func(env *cdktest.Env) {
			ivs.NewEncoderConfiguration(env.Stack, "X", &ivs.EncoderConfigurationProps{Video: ivs.EncoderVideo{Width: 1920, Height: 1920}})
		}, []string{"Video 1920x1920 has 3686400 pixels: IVS encodes at most 2073600"}},
		{"ingest user ID", func(env *cdktest.Env) {
			ivs.NewIngestConfiguration(env.Stack, "X", &ivs.IngestConfigurationProps{UserID: strings.Repeat("u", 129)})
		}, []string{"UserID is 129 characters: IVS takes at most 128"}},
		{"encoder odd width", func(env *cdktest.Env) {
			ivs.NewEncoderConfiguration(env.Stack, "X", &ivs.EncoderConfigurationProps{Video: ivs.EncoderVideo{Width: 1279}})
		}, []string{"Video.Width 1279 is odd"}},
		{"rtmp without insecure", func(env *cdktest.Env) {
			ivs.NewIngestConfiguration(env.Stack, "X", &ivs.IngestConfigurationProps{IngestProtocol: ivs.IngestProtocolRTMP})
		}, []string{`IngestProtocol "RTMP" needs InsecureIngest`}},
		{"bad protocol", func(env *cdktest.Env) {
			ivs.NewIngestConfiguration(env.Stack, "X", &ivs.IngestConfigurationProps{IngestProtocol: "SRT"})
		}, []string{`IngestProtocol "SRT" is invalid`}},
		{"imports", func(env *cdktest.Env) {
			ivs.StageFromStageArn(env.Stack, "X", referenceChannelArn)
		}, []string{`want a "stage"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			c.build(env)
			wantMessages(t, validationMessages(t, env, "X"), c.want...)
		})
	}
}

func TestRealTimeImports(t *testing.T) {
	env := cdktest.New(t)
	for _, arn := range []string{
		*ivs.StageFromStageArn(env.Stack, "Stage", "arn:aws:ivs:us-west-2:123456789012:stage/AbC123").StageArn(),
		*ivs.PublicKeyFromPublicKeyArn(env.Stack, "Key", "arn:aws:ivs:us-west-2:123456789012:public-key/AbC123").PublicKeyArn(),
		*ivs.EncoderConfigurationFromEncoderConfigurationArn(env.Stack, "Enc", "arn:aws:ivs:us-west-2:123456789012:encoder-configuration/AbC123").EncoderConfigurationArn(),
	} {
		if arn == "" {
			t.Error("empty ARN")
		}
	}
	for _, path := range []string{"Stage", "Key", "Enc"} {
		if msgs := validationMessages(t, env, path); len(msgs) != 0 {
			t.Errorf("%s: %q", path, msgs)
		}
	}
}

// Composition events name the composition in resources; the stage is in
// detail.stage_arn, so that is what the rule matches.
func TestOnCompositionStateChangeMatchesTheStageInTheDetail(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	stage.OnCompositionStateChange("Compositions", &awsevents.OnEventOptions{
		EventPattern: &awsevents.EventPattern{Detail: &map[string]any{"event_name": []string{"Session End"}}},
	})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": assertions.Match_ObjectEquals(&map[string]any{
			"source":      []any{"aws.ivs"},
			"detail-type": []any{"IVS Composition State Change"},
			"detail": map[string]any{
				"event_name": []any{"Session End"},
				"stage_arn":  []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}}},
			},
		}),
	})
}

func TestStageGrantDisconnectParticipant(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	stage.GrantDisconnectParticipant(newRole(env, "Moderator"))
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:DisconnectParticipant", "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}},
		}}},
	})
}

// Replication reaches the source stage and each destination, imported
// ones too.
func TestStageGrantParticipantReplication(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	other := ivs.NewStage(env.Stack, "Other", nil)
	imported := ivs.StageFromStageArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh")
	stage.GrantParticipantReplication(newRole(env, "Replicator"), other, imported, nil)
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"ivs:StartParticipantReplication", "ivs:StopParticipantReplication"}, "Effect": "Allow",
			"Resource": []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}}, map[string]any{"Fn::GetAtt": []any{env.LogicalID("Other"), "Arn"}},
				"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh"},
		}}},
	})
}

// The endpoints come from GetStage at deploy time, with a role that may
// read this stage only.
func TestStageEndpoints(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	endpoints := stage.Endpoints()
	if stage.Endpoints() != endpoints {
		t.Error("a second call made a second custom resource")
	}
	awscdk.NewCfnOutput(env.Stack, jsii.String("Events"), &awscdk.CfnOutputProps{Value: endpoints.Events})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Whip"), &awscdk.CfnOutputProps{Value: endpoints.Whip})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.ResourceCountIs(jsii.String("Custom::AWS"), jsii.Number(1))
	call := jsonString(t, template.FindResources(jsii.String("Custom::AWS"), nil))
	for _, want := range []string{`\"service\":\"IVSRealTime\"`, `\"action\":\"GetStage\"`, "stage.endpoints.events", "stage.endpoints.whip"} {
		if !strings.Contains(call, want) {
			t.Errorf("the custom resource lacks %s: %s", want, call)
		}
	}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:GetStage", "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}},
		}}},
	})
	template.HasOutput(jsii.String("Events"), map[string]any{"Value": map[string]any{
		"Fn::GetAtt": []any{assertions.Match_AnyValue(), "stage.endpoints.events"},
	}})
}

func TestIngestConfigurationPublishesToAStageOfItsEnvironment(t *testing.T) {
	env := cdktest.NewOregon(t)
	ivs.NewIngestConfiguration(env.Stack, "Far", &ivs.IngestConfigurationProps{
		Stage: ivs.StageFromStageArn(env.Stack, "Dublin", "arn:aws:ivs:eu-west-1:123456789012:stage/dublinstage1"),
	})
	ivs.NewIngestConfiguration(env.Stack, "Near", &ivs.IngestConfigurationProps{
		Stage: ivs.StageFromStageArn(env.Stack, "Local", "arn:aws:ivs:us-west-2:123456789012:stage/localstage01"),
	})
	msg := env.SynthError()
	wantMessages(t, []string{msg}, "Oregon/Far", "is in region eu-west-1")
	if strings.Contains(msg, "Oregon/Near") {
		t.Errorf("an ingest configuration for a local stage was refused: %s", msg)
	}
}

// Starting a composition needs the stage and an encoder configuration
// (required resource types of ivs:StartComposition in the Service
// Authorization Reference) and the destinations named, nothing more.
func TestStageGrantStartComposition(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	encoder := ivs.NewEncoderConfiguration(env.Stack, "Encoder", nil)
	channel := ivs.NewChannel(env.Stack, "Channel", nil)
	storage := ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: awss3.NewBucket(env.Stack, jsii.String("Bucket"), nil)})
	stage.GrantStartComposition(newRole(env, "Composer"), &ivs.CompositionTargets{
		EncoderConfigurations: []ivs.IEncoderConfiguration{encoder},
		Channels:              []ivs.IChannel{channel},
		StorageConfigurations: []ivs.IStorageConfiguration{storage},
	})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:StartComposition", "Effect": "Allow",
			"Resource": []any{
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}},
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Encoder"), "Arn"}},
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Channel"), "Arn"}},
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Storage"), "Arn"}},
			},
		}}},
	})
}

// Without an encoder configuration the grant covers those of the stage's
// environment; stopping covers the environment's compositions (their ARNs
// are only known once they start). A literal ARN gives literal patterns.
func TestStageCompositionGrantsForAnImportedStage(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.StageFromStageArn(env.Stack, "Stage", "arn:aws:ivs:eu-west-1:111122223333:stage/abcdABCD1234")
	channel := ivs.ChannelFromChannelArn(env.Stack, "Channel", "arn:aws:ivs:eu-west-1:111122223333:channel/abcdABCD1234")
	stage.GrantStartComposition(newRole(env, "Composer"), &ivs.CompositionTargets{Channels: []ivs.IChannel{channel}})
	stage.GrantStopComposition(newRole(env, "Stopper"))
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:StartComposition", "Effect": "Allow",
			"Resource": []any{
				"arn:aws:ivs:eu-west-1:111122223333:stage/abcdABCD1234",
				"arn:aws:ivs:eu-west-1:111122223333:encoder-configuration/*",
				"arn:aws:ivs:eu-west-1:111122223333:channel/abcdABCD1234",
			},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:StopComposition", "Effect": "Allow",
			"Resource": "arn:aws:ivs:eu-west-1:111122223333:composition/*",
		}}},
	})
}

// For a stage of this stack the patterns are built from its ARN at deploy
// time.
func TestStageGrantStopCompositionForANewStage(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	stage.GrantStopComposition(newRole(env, "Stopper"))
	got := env.Synth()
	resource := jsonString(t, cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).FindResources(jsii.String("AWS::IAM::Policy"), nil))
	for _, want := range []string{`"Fn::Join"`, `":composition/*"`, `"Fn::Split"`, env.LogicalID("Stage")} {
		if !strings.Contains(resource, want) {
			t.Errorf("the StopComposition policy lacks %s: %s", want, resource)
		}
	}
}

func TestStageGrantStartCompositionNeedsADestination(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	stage.GrantStartComposition(newRole(env, "Composer"), nil)
	msg := env.SynthError()
	for _, want := range []string{"Stage", "GrantStartComposition needs a destination", "channel or storage configuration"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

// A composition's targets must be in the stage's account and region.
func TestStageCompositionTargetsAreLocal(t *testing.T) {
	env := cdktest.NewOregon(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	stage.GrantStartComposition(newRole(env, "Composer"), &ivs.CompositionTargets{
		Channels: []ivs.IChannel{ivs.ChannelFromChannelArn(env.Stack, "Far", "arn:aws:ivs:eu-west-1:123456789012:channel/abcdABCDefgh")},
		StorageConfigurations: []ivs.IStorageConfiguration{ivs.StorageConfigurationFromStorageConfigurationArn(env.Stack, "Other",
			"arn:aws:ivs:us-west-2:999999999999:storage-configuration/abcdABCD1234")},
		EncoderConfigurations: []ivs.IEncoderConfiguration{ivs.EncoderConfigurationFromEncoderConfigurationArn(env.Stack, "Enc",
			"arn:aws:ivs:us-east-1:123456789012:encoder-configuration/abcdABCD1234")},
	})
	msg := env.SynthError()
	for _, want := range []string{"CompositionTargets.Channels[0]", "region eu-west-1", "CompositionTargets.StorageConfigurations[0]",
		"account 999999999999", "CompositionTargets.EncoderConfigurations[0]", "region us-east-1", "ChannelDestinationConfiguration"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	// Local targets pass.
	env = cdktest.NewOregon(t)
	ivs.NewStage(env.Stack, "Stage", nil).GrantStartComposition(newRole(env, "Composer"), &ivs.CompositionTargets{
		Channels: []ivs.IChannel{ivs.ChannelFromChannelArn(env.Stack, "Near", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")}})
	env.Synth()
}

// The publisher recording rule matches its detail type account-wide:
// nothing documents which resource those events name.
func TestOnPublisherRecordingStateChange(t *testing.T) {
	env := cdktest.New(t)
	ivs.OnPublisherRecordingStateChange(env.Stack, "PublisherRecording", &awsevents.OnEventOptions{
		EventPattern: &awsevents.EventPattern{Detail: &map[string]any{"event_name": []any{"Recording End"}}},
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{
			"source":      []any{"aws.ivs"},
			"detail-type": []any{"IVS Publisher Recording State Change"},
			"detail":      map[string]any{"event_name": []any{"Recording End"}},
		},
	})
	rules := jsonString(t, template.FindResources(jsii.String("AWS::Events::Rule"), nil))
	if strings.Contains(rules, `"resources"`) {
		t.Errorf("the rule filters on resources nothing documents: %s", rules)
	}
}

// Stage metrics carry the stage's ID in the Stage dimension: computed for
// a literal ARN, Fn::Select/Fn::Split for the stage's own.
func TestStageMetrics(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	imported := ivs.StageFromStageArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234")
	awscloudwatch.NewAlarm(env.Stack, jsii.String("NoPublisher"), &awscloudwatch.AlarmProps{
		Metric: stage.MetricPublishers(nil), Threshold: jsii.Number(1), EvaluationPeriods: jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD,
	})
	awscloudwatch.NewAlarm(env.Stack, jsii.String("LowBitrate"), &awscloudwatch.AlarmProps{
		Metric: imported.MetricPublishBitrate(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(1))}), Threshold: jsii.Number(300000), EvaluationPeriods: jsii.Number(1),
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVSRealTime", "MetricName": "Publishers", "Statistic": "Maximum",
		"Dimensions": []any{map[string]any{"Name": "Stage", "Value": map[string]any{
			"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}}}}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVSRealTime", "MetricName": "PublishBitrate", "Statistic": "Average", "Period": 60,
		"Dimensions": []any{map[string]any{"Name": "Stage", "Value": "abcdABCD1234"}},
	})
	for want, m := range map[string]awscloudwatch.Metric{
		"Subscribers": stage.MetricSubscribers(nil), "SubscribeBitrate": stage.MetricSubscribeBitrate(nil),
		"DroppedFrames": stage.MetricDroppedFrames(nil), "DownloadPacketLoss": stage.MetricDownloadPacketLoss(nil),
		"ConcurrentPublishers": ivs.MetricAccountConcurrentPublishers(nil), "Custom": stage.Metric("Custom", nil),
		"AccountWide": ivs.RealTimeMetric("AccountWide", nil),
	} {
		if *m.MetricName() != want || *m.Namespace() != ivs.RealTimeMetricNamespace {
			t.Errorf("%s: got %s/%s", want, *m.Namespace(), *m.MetricName())
		}
	}
	// ConcurrentPublishers and ConcurrentSubscriptions have no dimension
	// in IVS's table (a Stage one would match no data).
	for _, m := range []awscloudwatch.Metric{ivs.RealTimeMetric("AccountWide", nil), ivs.MetricAccountConcurrentPublishers(nil), ivs.MetricAccountConcurrentSubscriptions(nil)} {
		if d := m.Dimensions(); d != nil && len(*d) > 0 {
			t.Errorf("the account-wide metric %s has dimensions %v", *m.MetricName(), *d)
		}
	}
}

// IVS records stages only to SSE-S3 buckets of the stage's region
// ("IVS Individual Participant Recording").
func TestStageRecordingBucketRules(t *testing.T) {
	// Every KMS form fails: AWS managed key, a key the CDK creates (its ARN
	// is a token), a key of the app, and dual-layer.
	for name, props := range map[string]func(env *cdktest.Env) *awss3.BucketProps{
		"KMS managed": func(*cdktest.Env) *awss3.BucketProps {
			return &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS_MANAGED}
		},
		"KMS, key created": func(*cdktest.Env) *awss3.BucketProps {
			return &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS}
		},
		"KMS, key given": func(env *cdktest.Env) *awss3.BucketProps {
			return &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS, EncryptionKey: awskms.NewKey(env.Stack, jsii.String("Key"), nil)}
		},
		"dual-layer KMS": func(*cdktest.Env) *awss3.BucketProps {
			return &awss3.BucketProps{Encryption: awss3.BucketEncryption_DSSE_MANAGED}
		},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			bucket := awss3.NewBucket(env.Stack, jsii.String("Bucket"), props(env))
			ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})
			msg := env.SynthError()
			for _, want := range []string{"Storage", `Bucket encrypts with "aws:kms`, "SSE-S3", "IVS Individual Participant Recording"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
		})
	}
	for name, encryption := range map[string]awss3.BucketEncryption{"SSE-S3": awss3.BucketEncryption_S3_MANAGED, "default": ""} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props := &awss3.BucketProps{}
			if encryption != "" {
				props.Encryption = encryption
			}
			ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: awss3.NewBucket(env.Stack, jsii.String("Bucket"), props)})
			env.Synth()
		})
	}
	// An L1 bucket is checked alike.
	t.Run("L1 bucket with KMS", func(t *testing.T) {
		env := cdktest.New(t)
		bucket := awss3.NewCfnBucket(env.Stack, jsii.String("Bucket"), &awss3.CfnBucketProps{
			BucketEncryption: &awss3.CfnBucket_BucketEncryptionProperty{ServerSideEncryptionConfiguration: &[]any{
				&awss3.CfnBucket_ServerSideEncryptionRuleProperty{ServerSideEncryptionByDefault: &awss3.CfnBucket_ServerSideEncryptionByDefaultProperty{
					SseAlgorithm: jsii.String("aws:kms")}}}},
		})
		ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})
		if msg := env.SynthError(); !strings.Contains(msg, `Bucket encrypts with "aws:kms"`) {
			t.Errorf("error %q", msg)
		}
	})
	t.Run("imported bucket", func(t *testing.T) {
		env := cdktest.New(t)
		ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: awss3.Bucket_FromBucketName(env.Stack, jsii.String("Bucket"), jsii.String("existing-recordings"))})
		env.Synth()
	})
	t.Run("storage configuration in another region", func(t *testing.T) {
		env := cdktest.NewOregon(t)
		storage := ivs.StorageConfigurationFromStorageConfigurationArn(env.Stack, "Storage", "arn:aws:ivs:eu-west-1:123456789012:storage-configuration/abcdABCD1234")
		ivs.NewStage(env.Stack, "Stage", &ivs.StageProps{AutoParticipantRecording: &ivs.AutoParticipantRecording{StorageConfiguration: storage}})
		msg := env.SynthError()
		for _, want := range []string{"Stage", "AutoParticipantRecording.StorageConfiguration", "region eu-west-1", "us-west-2"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q lacks %q", msg, want)
			}
		}
	})
}
