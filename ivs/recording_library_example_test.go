package ivs_test

import (
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
)

// Past broadcasts of a public channel: an index of its recordings, kept
// from the bucket (30 days), and an endpoint that lists and plays them,
// served with the recordings from the page's distribution.
func ExampleNewRecordingLibrary() {
	stack := exampleStack()
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), nil)
	recording := ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:     bucket,
		Thumbnails: &ivs.Thumbnails{Storage: []ivs.ThumbnailStorage{ivs.ThumbnailStorageLatest}}, // the listing shows the latest
	})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: recording})
	page := awscloudfront.NewDistribution(stack, jsii.String("Page"), &awscloudfront.DistributionProps{ // or webpage.Page.Distribution()
		DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String("example.com"), nil)}})

	ivs.NewRecordingLibrary(stack, "Library", &ivs.RecordingLibraryProps{
		Bucket:         bucket,
		Retention:      30 * 24 * time.Hour,
		Channels:       []ivs.IChannel{channel},
		Distribution:   page, // serves ivs/* and /recordings*
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "client-id"),
	})

	template := assertions.Template_FromStack(stack, nil)
	var types []string
	for _, t := range []string{"AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::ApiGatewayV2::Route", "AWS::Events::Rule", "Custom::S3BucketNotifications"} {
		types = append(types, fmt.Sprintf("%s %d", t, len(*template.FindResources(jsii.String(t), nil))))
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Println(t)
	}
	// Output:
	// AWS::ApiGatewayV2::Route 3
	// AWS::DynamoDB::Table 1
	// AWS::Events::Rule 2
	// AWS::Lambda::Function 3
	// Custom::S3BucketNotifications 1
}

// A stage's participant recordings for its hosts: each publisher's
// recording indexed from the stage's bucket and served, signed, from the
// page's distribution to the "hosts" group.
func ExampleNewRecordingLibrary_stages() {
	stack := exampleStack()
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{EnforceSSL: jsii.Bool(true)})
	stage := ivs.NewStage(stack, "Stage", &ivs.StageProps{AutoParticipantRecording: &ivs.AutoParticipantRecording{
		StorageConfiguration: ivs.NewStorageConfiguration(stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket}),
	}})
	page := awscloudfront.NewDistribution(stack, jsii.String("Page"), &awscloudfront.DistributionProps{ // or webpage.Page.Distribution()
		DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String("example.com"), nil)}})

	ivs.NewRecordingLibrary(stack, "Library", &ivs.RecordingLibraryProps{
		Bucket:         bucket,
		Stages:         []ivs.IStage{stage},
		Distribution:   page, // serves <stage ID>/* and /recordings*
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "client-id"),
		CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts",
			Capabilities: []string{ivs.CapabilityWatchStageRecordings}}},
	})

	template := assertions.Template_FromStack(stack, nil)
	rules := template.FindResources(jsii.String("AWS::Events::Rule"), nil)
	for _, r := range *rules {
		if pattern, ok := (*r)["Properties"].(map[string]any)["EventPattern"].(map[string]any); ok {
			fmt.Println(pattern["detail-type"])
		}
	}
	// The bucket's policy keeps IVS's write access beside CloudFront's read.
	policies := template.FindResources(jsii.String("AWS::S3::BucketPolicy"), nil)
	for _, p := range *policies {
		for _, st := range (*p)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			if sid, ok := st.(map[string]any)["Sid"]; ok {
				fmt.Println(sid)
			}
		}
	}
	// Output:
	// [IVS Recording State Change IVS Participant Recording State Change]
	// IvsStorageConfigurationWrite
}
