package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// StageEndpoints are a stage's endpoints, as the IVS real-time GetStage API
// returns them (IVS Real-Time API reference, StageEndpoints). Participant
// tokens signed outside IVS must carry Events and Whip.
type StageEndpoints struct {
	// Events is the events endpoint (the token's events_url).
	Events *string
	// Whip is the WHIP endpoint (the token's whip_url).
	Whip *string
	// Rtmp and Rtmps are the RTMP(S) ingest endpoints.
	Rtmp, Rtmps *string
}

// ReadStageEndpoints reads the stage's endpoints at deploy time.
// AWS::IVS::Stage has no attribute for them, so a custom resource (the
// CDK's AwsCustomResource, id in scope) calls GetStage when it is created
// or updated; its role may call ivs:GetStage on this stage only. The API
// reference recommends caching the values, which this does: they are read
// once per deployment and handed out as CloudFormation values.
func ReadStageEndpoints(scope constructs.Construct, id string, stage IStage) *StageEndpoints {
	arn := stage.StageArn()
	call := &customresources.AwsSdkCall{
		Service:            jsii.String("IVSRealTime"),
		Action:             jsii.String("GetStage"),
		Parameters:         map[string]any{"arn": arn},
		PhysicalResourceId: customresources.PhysicalResourceId_Of(arn),
		OutputPaths:        jsii.Strings("stage.endpoints.events", "stage.endpoints.whip", "stage.endpoints.rtmp", "stage.endpoints.rtmps"),
	}
	cr := customresources.NewAwsCustomResource(scope, jsii.String(id), &customresources.AwsCustomResourceProps{
		OnCreate: call,
		OnUpdate: call,
		Policy: customresources.AwsCustomResourcePolicy_FromStatements(&[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ivs:GetStage"),
				Resources: &[]*string{arn},
			}),
		}),
		InstallLatestAwsSdk: jsii.Bool(false),
	})
	suppressProviderNagFindings(scope)
	field := func(path string) *string { return cr.GetResponseField(jsii.String(path)) }
	return &StageEndpoints{
		Events: field("stage.endpoints.events"),
		Whip:   field("stage.endpoints.whip"),
		Rtmp:   field("stage.endpoints.rtmp"),
		Rtmps:  field("stage.endpoints.rtmps"),
	}
}

// Endpoints returns the stage's endpoints, read at deploy time with
// GetStage (see ReadStageEndpoints). The first call adds the custom
// resource, as the stage's child "Endpoints"; later calls reuse it.
func (s *Stage) Endpoints() *StageEndpoints {
	if s.endpoints == nil {
		s.endpoints = ReadStageEndpoints(s, "Endpoints", s)
	}
	return s.endpoints
}
