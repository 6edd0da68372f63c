package ivs

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/ivsarn"
)

// Resolution is a rendition resolution of a recording or its thumbnails.
type Resolution string

// Resolutions.
const (
	ResolutionLowest Resolution = "LOWEST_RESOLUTION"
	ResolutionSD     Resolution = "SD"
	ResolutionHD     Resolution = "HD"
	ResolutionFullHD Resolution = "FULL_HD"
)

var resolutions = []string{string(ResolutionLowest), string(ResolutionSD), string(ResolutionHD), string(ResolutionFullHD)}

// RenditionSelection says which renditions of a stream are recorded.
type RenditionSelection string

// Rendition selections.
const (
	// RenditionSelectionAll records every rendition. IVS's default.
	RenditionSelectionAll RenditionSelection = "ALL"
	// RenditionSelectionNone records no video renditions.
	RenditionSelectionNone RenditionSelection = "NONE"
	// RenditionSelectionCustom records the renditions listed in Renditions.
	RenditionSelectionCustom RenditionSelection = "CUSTOM"
)

// ThumbnailStorage says how thumbnails are kept in the bucket.
type ThumbnailStorage string

// Thumbnail storage modes.
const (
	// ThumbnailStorageSequential keeps every thumbnail.
	ThumbnailStorageSequential ThumbnailStorage = "SEQUENTIAL"
	// ThumbnailStorageLatest keeps only the latest thumbnail, overwritten.
	ThumbnailStorageLatest ThumbnailStorage = "LATEST"
)

// Thumbnails configures the thumbnails IVS records with a stream.
type Thumbnails struct {
	// Disabled turns thumbnails off. The other fields must then be empty.
	Disabled bool
	// TargetInterval is the time between thumbnails, 1 to 60 whole
	// seconds. Default: 60 seconds.
	TargetInterval time.Duration
	// Resolution of the thumbnails. Default: the source's.
	Resolution Resolution
	// Storage lists how thumbnails are kept (at most both modes, no
	// repeats). Default: SEQUENTIAL.
	Storage []ThumbnailStorage
}

// RecordingConfigurationProps configures a RecordingConfiguration.
type RecordingConfigurationProps struct {
	// Bucket receives the recordings. Required. It must be in the same
	// account and region as the recording configuration; IVS writes to it
	// through its service-linked role AWSServiceRoleForIVSRecordToS3, which
	// IVS creates and scopes to this bucket, so no bucket policy is needed.
	// Any bucket reference the CDK takes will do: an awss3.Bucket, an
	// imported one, or an L1 awss3.CfnBucket.
	Bucket interfacesawss3.IBucketRef
	// RecordingConfigurationName is the name: letters, digits, '-' and '_',
	// at most 128 characters. Default: none.
	RecordingConfigurationName string
	// RecordingReconnectWindow merges a stream that reconnects within this
	// window into the same recording: 0 to 300 whole seconds. Default: 0.
	RecordingReconnectWindow time.Duration
	// RenditionSelection chooses the recorded renditions. Default: IVS
	// records all.
	RenditionSelection RenditionSelection
	// Renditions lists the renditions to record; only with
	// RenditionSelectionCustom, which needs at least one.
	Renditions []Resolution
	// Thumbnails configures thumbnails. Default: nil, IVS's default of one
	// thumbnail every 60 seconds.
	Thumbnails *Thumbnails
	// Tags are added to the recording configuration (same limits as
	// ChannelProps.Tags). Default: none.
	Tags map[string]string
}

// IRecordingConfiguration is an IVS recording configuration, which a channel
// uses to record its streams to Amazon S3.
type IRecordingConfiguration interface {
	awscdk.IResource
	// RecordingConfigurationRef returns the reference CDK APIs take (interfacesawsivs.IRecordingConfigurationRef).
	interfacesawsivs.IRecordingConfigurationRef
	// RecordingConfigurationArn returns the recording configuration's ARN.
	RecordingConfigurationArn() *string
	// RecordingConfigurationId returns its ID, the last part of the ARN.
	RecordingConfigurationId() *string
}

// RecordingConfiguration is an AWS::IVS::RecordingConfiguration: where and
// how the streams of the channels that use it are recorded.
type RecordingConfiguration struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnRecordingConfiguration
	id           *string
	// renditions is the rendition selection, for the channel-type check.
	renditions RenditionSelection
}

// NewRecordingConfiguration defines a recording configuration.
func NewRecordingConfiguration(scope constructs.Construct, id string, props *RecordingConfigurationProps) *RecordingConfiguration {
	if props == nil {
		props = &RecordingConfigurationProps{}
	}
	r := &RecordingConfiguration{renditions: props.RenditionSelection}
	path := l2.NewResource(r, &r.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.RecordingConfigurationName)})

	var problems check.Problems
	problems.Name("RecordingConfigurationName", props.RecordingConfigurationName)
	problems.Tags("Tags", props.Tags)
	bucketName := recordingBucketName(&problems, props.Bucket, path.Stack())
	cfnProps := &awsivs.CfnRecordingConfigurationProps{
		Name: l2.Optional(props.RecordingConfigurationName),
		DestinationConfiguration: &awsivs.CfnRecordingConfiguration_DestinationConfigurationProperty{
			S3: &awsivs.CfnRecordingConfiguration_S3DestinationConfigurationProperty{BucketName: bucketName},
		},
		RecordingReconnectWindowSeconds: l2.WholeSeconds(&problems, "RecordingReconnectWindow", props.RecordingReconnectWindow, 0, 300),
		RenditionConfiguration:          renditionCfn(&problems, props.RenditionSelection, props.Renditions),
		Tags:                            l2.CfnTags(props.Tags),
	}
	if props.Thumbnails != nil {
		cfnProps.ThumbnailConfiguration = thumbnailCfn(&problems, props.Thumbnails)
	}
	r.cfn = awsivs.NewCfnRecordingConfiguration(r, jsii.String("Resource"), cfnProps)
	problems.Report(r)
	return r
}

// recordingBucketName returns the name of the bucket IVS records to, after
// checking it (required; see checkRecordingBucket).
func recordingBucketName(problems *check.Problems, bucket interfacesawss3.IBucketRef, stack awscdk.Stack) *string {
	if bucket == nil {
		problems.Addf("Bucket is required: give the S3 bucket that receives the recordings")
		return jsii.String("")
	}
	name := bucket.BucketRef().BucketName
	checkRecordingBucket(problems, bucket, *name, stack)
	return name
}

// checkRecordingBucket applies what IVS documents for the bucket: a valid
// name, and the same account and region as the recording configuration.
func checkRecordingBucket(problems *check.Problems, bucket interfacesawss3.IBucketRef, name string, stack awscdk.Stack) {
	if !cdktoken.IsUnresolved(name) && !validBucketName(name) {
		problems.Addf("Bucket name %q is invalid: IVS needs 3 to 63 lowercase letters, digits, '-' and '.'", name)
	}
	if stack == nil {
		return
	}
	bucketEnv := bucket.Env()
	for _, c := range []struct{ what, bucket, stack string }{
		{"region", *bucketEnv.Region, *stack.Region()},
		{"account", *bucketEnv.Account, *stack.Account()},
	} {
		if !cdktoken.IsUnresolved(c.bucket) && !cdktoken.IsUnresolved(c.stack) && c.bucket != c.stack {
			problems.Addf("Bucket is in %s %q but the recording configuration in %q: IVS records only to a bucket in the same account and region",
				c.what, c.bucket, c.stack)
		}
	}
}

func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func renditionCfn(problems *check.Problems, selection RenditionSelection, renditions []Resolution) *awsivs.CfnRecordingConfiguration_RenditionConfigurationProperty {
	if selection == "" && len(renditions) == 0 {
		return nil
	}
	problems.OneOf("RenditionSelection", string(selection), string(RenditionSelectionAll), string(RenditionSelectionNone), string(RenditionSelectionCustom))
	switch {
	case selection == RenditionSelectionCustom && len(renditions) == 0:
		problems.Addf("Renditions is empty: RenditionSelection %q needs at least one of %q", selection, resolutions)
	case selection != RenditionSelectionCustom && len(renditions) > 0:
		problems.Addf("Renditions %q are set but RenditionSelection is %q: list renditions only with %q",
			renditions, selection, RenditionSelectionCustom)
	}
	seen := map[Resolution]bool{}
	values := make([]*string, 0, len(renditions))
	for _, r := range renditions {
		problems.OneOf("Renditions", string(r), resolutions...)
		if seen[r] {
			problems.Addf("Renditions lists %q twice", r)
		}
		seen[r] = true
		values = append(values, jsii.String(string(r)))
	}
	out := &awsivs.CfnRecordingConfiguration_RenditionConfigurationProperty{RenditionSelection: l2.Optional(string(selection))}
	if len(values) > 0 {
		out.Renditions = &values
	}
	return out
}

func thumbnailCfn(problems *check.Problems, t *Thumbnails) *awsivs.CfnRecordingConfiguration_ThumbnailConfigurationProperty {
	if t.Disabled {
		if t.TargetInterval != 0 || t.Resolution != "" || len(t.Storage) > 0 {
			problems.Addf("Thumbnails are Disabled but TargetInterval, Resolution or Storage is set: remove them, or enable thumbnails")
		}
		return &awsivs.CfnRecordingConfiguration_ThumbnailConfigurationProperty{RecordingMode: jsii.String("DISABLED")}
	}
	problems.OneOf("Thumbnails.Resolution", string(t.Resolution), resolutions...)
	seen := map[ThumbnailStorage]bool{}
	var storage []*string
	for _, s := range t.Storage {
		problems.OneOf("Thumbnails.Storage", string(s), string(ThumbnailStorageSequential), string(ThumbnailStorageLatest))
		if seen[s] {
			problems.Addf("Thumbnails.Storage lists %q twice", s)
		}
		seen[s] = true
		storage = append(storage, jsii.String(string(s)))
	}
	out := &awsivs.CfnRecordingConfiguration_ThumbnailConfigurationProperty{
		RecordingMode:         jsii.String("INTERVAL"),
		TargetIntervalSeconds: l2.WholeSeconds(problems, "Thumbnails.TargetInterval", t.TargetInterval, 1, 60),
		Resolution:            l2.Optional(string(t.Resolution)),
	}
	if len(storage) > 0 {
		out.Storage = &storage
	}
	return out
}

// RecordingConfigurationArn returns the recording configuration's ARN.
func (r *RecordingConfiguration) RecordingConfigurationArn() *string { return r.cfn.AttrArn() }

// RecordingConfigurationId returns the recording configuration's ID.
func (r *RecordingConfiguration) RecordingConfigurationId() *string {
	if r.id == nil {
		r.id = l2.ARNResourceID(r.cfn.AttrArn())
	}
	return r.id
}

// RecordingConfigurationState returns the state IVS reports
// (CREATING, CREATE_FAILED or ACTIVE).
func (r *RecordingConfiguration) RecordingConfigurationState() *string { return r.cfn.AttrState() }

// RecordingConfigurationFromRecordingConfigurationArn imports an existing
// recording configuration by ARN, so that channels can record with it.
// Literal ARNs are checked (service "ivs", resource type
// "recording-configuration"); tokens are accepted as they are.
func RecordingConfigurationFromRecordingConfigurationArn(scope constructs.Construct, id string, arn string) IRecordingConfiguration {
	r := &importedRecordingConfiguration{arn: arn}
	l2.NewImported(r, &r.Construct, scope, id, arn, "ivs", "recording-configuration")
	return r
}

// RecordingConfigurationFromRecordingConfigurationId imports an existing
// recording configuration of this stack's account and region by ID.
func RecordingConfigurationFromRecordingConfigurationId(scope constructs.Construct, id string, recordingConfigurationID string) IRecordingConfiguration {
	cdkname.CheckScope(scope)
	arn := awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("ivs"),
		Resource:     jsii.String("recording-configuration"),
		ResourceName: jsii.String(recordingConfigurationID),
	})
	r := &importedRecordingConfiguration{arn: *arn, id: recordingConfigurationID}
	l2.NewImported(r, &r.Construct, scope, id, *arn, "ivs", "recording-configuration")
	if !cdktoken.IsUnresolved(recordingConfigurationID) && !ivsarn.IsResourceID(recordingConfigurationID) {
		var problems check.Problems
		problems.Addf("recording configuration ID %q is invalid: want letters, digits and hyphens, such as AbCdEf123456", recordingConfigurationID)
		problems.Report(r)
	}
	return r
}

type importedRecordingConfiguration struct {
	l2.Construct // first field: see l2.Construct
	arn          string
	id           string // "" when imported by ARN
}

func (r *importedRecordingConfiguration) RecordingConfigurationArn() *string {
	return jsii.String(r.arn)
}

// RecordingConfigurationId returns the ID the import was given, or the
// ARN's last part (computed in Go for a literal ARN).
func (r *importedRecordingConfiguration) RecordingConfigurationId() *string {
	if r.id != "" {
		return jsii.String(r.id)
	}
	return l2.ARNResourceID(jsii.String(r.arn))
}
