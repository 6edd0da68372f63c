package ivs

import (
	"math"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// EncoderVideo is the video of a server-side composition. Zero fields take
// IVS's defaults: 1280x720, 30 fps, 2.5 Mbps.
type EncoderVideo struct {
	// Width in pixels: even, 2 to 1920, and Width times Height at most
	// MaxEncoderPixels. Default: 1280.
	Width int
	// Height in pixels: even, 2 to 1920. Default: 720.
	Height int
	// Framerate in frames per second, 1 to 60. Default: 30.
	Framerate float64
	// Bitrate in bits per second, 1 to 8,500,000. Default: 2,500,000.
	Bitrate int
}

// Encoder presets for common layouts, within the documented ranges.
var (
	// EncoderVideoHD720p30 is 1280x720 at 30 fps, 2.5 Mbps (IVS's default).
	EncoderVideoHD720p30 = EncoderVideo{Width: 1280, Height: 720, Framerate: 30, Bitrate: 2_500_000}
	// EncoderVideoFullHD1080p30 is 1920x1080 at 30 fps, 6 Mbps.
	EncoderVideoFullHD1080p30 = EncoderVideo{Width: 1920, Height: 1080, Framerate: 30, Bitrate: 6_000_000}
	// EncoderVideoFullHD1080p60 is 1920x1080 at 60 fps, 8.5 Mbps (the most
	// IVS allows).
	EncoderVideoFullHD1080p60 = EncoderVideo{Width: 1920, Height: 1080, Framerate: 60, Bitrate: 8_500_000}
	// EncoderVideoPortrait720x1280 is vertical 720x1280 at 30 fps, 2.5 Mbps.
	EncoderVideoPortrait720x1280 = EncoderVideo{Width: 720, Height: 1280, Framerate: 30, Bitrate: 2_500_000}
)

// EncoderConfigurationProps configures an EncoderConfiguration.
type EncoderConfigurationProps struct {
	// Video is the output video. Default: IVS's (see EncoderVideo).
	Video EncoderVideo
	// EncoderConfigurationName is the name: letters, digits, '-' and '_', at
	// most 128 characters. Default: none.
	EncoderConfigurationName string
	// Tags are added to the encoder configuration.
	Tags map[string]string
}

// IEncoderConfiguration is an IVS encoder configuration, created in this app
// or imported.
type IEncoderConfiguration interface {
	awscdk.IResource
	// EncoderConfigurationRef returns the reference CDK APIs take (interfacesawsivs.IEncoderConfigurationRef).
	interfacesawsivs.IEncoderConfigurationRef
	// EncoderConfigurationArn returns the encoder configuration's ARN.
	EncoderConfigurationArn() *string
}

// MaxEncoderPixels is the most pixels (width times height) an encoder
// configuration's video may have.
const MaxEncoderPixels = 1920 * 1080

// EncoderConfiguration is an AWS::IVS::EncoderConfiguration: how a
// server-side composition of a stage is encoded.
type EncoderConfiguration struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnEncoderConfiguration
}

// NewEncoderConfiguration defines an encoder configuration.
func NewEncoderConfiguration(scope constructs.Construct, id string, props *EncoderConfigurationProps) *EncoderConfiguration {
	if props == nil {
		props = &EncoderConfigurationProps{}
	}
	e := &EncoderConfiguration{}
	l2.NewResource(e, &e.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.EncoderConfigurationName)})
	var problems check.Problems
	problems.Name("EncoderConfigurationName", props.EncoderConfigurationName)
	problems.Tags("Tags", props.Tags)
	v := props.Video
	video := &awsivs.CfnEncoderConfiguration_VideoProperty{
		Width:     l2.IntInRange(&problems, "Video.Width", v.Width, 2, 1920),
		Height:    l2.IntInRange(&problems, "Video.Height", v.Height, 2, 1920),
		Bitrate:   l2.IntInRange(&problems, "Video.Bitrate", v.Bitrate, 1, 8_500_000),
		Framerate: nil,
	}
	// Both dimensions even, and at most 1920x1080 pixels in all
	// (2,073,600: landscape or portrait), says the CloudFormation schema's
	// Video description and the IVS Real-Time API reference (Video).
	for _, d := range []struct {
		name  string
		value int
	}{{"Video.Width", v.Width}, {"Video.Height", v.Height}} {
		if d.value%2 != 0 {
			problems.Addf("%s %d is odd: IVS encodes even dimensions only", d.name, d.value)
		}
	}
	width, height := v.Width, v.Height
	if width == 0 {
		width = 1280 // IVS's defaults
	}
	if height == 0 {
		height = 720
	}
	if width <= 1920 && height <= 1920 && width*height > MaxEncoderPixels {
		problems.Addf("Video %dx%d has %d pixels: IVS encodes at most %d (1920x1080 or 1080x1920)", width, height, width*height, MaxEncoderPixels)
	}
	if v.Framerate != 0 {
		if v.Framerate < 1 || v.Framerate > 60 || math.IsNaN(v.Framerate) {
			problems.Addf("Video.Framerate %v is invalid: use 1 to 60 frames per second", v.Framerate)
		}
		video.Framerate = jsii.Number(v.Framerate)
	}
	cfnProps := &awsivs.CfnEncoderConfigurationProps{Name: l2.Optional(props.EncoderConfigurationName), Tags: l2.CfnTags(props.Tags)}
	if v != (EncoderVideo{}) {
		cfnProps.Video = video
	}
	e.cfn = awsivs.NewCfnEncoderConfiguration(e, jsii.String("Resource"), cfnProps)
	problems.Report(e)
	return e
}

// EncoderConfigurationArn returns the encoder configuration's ARN.
func (e *EncoderConfiguration) EncoderConfigurationArn() *string { return e.cfn.AttrArn() }

// EncoderConfigurationFromEncoderConfigurationArn imports an existing encoder
// configuration by ARN (service "ivs", resource type "encoder-configuration").
func EncoderConfigurationFromEncoderConfigurationArn(scope constructs.Construct, id string, arn string) IEncoderConfiguration {
	e := &importedEncoderConfiguration{arn: arn}
	l2.NewImported(e, &e.Construct, scope, id, arn, "ivs", "encoder-configuration")
	return e
}

type importedEncoderConfiguration struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (e *importedEncoderConfiguration) EncoderConfigurationArn() *string { return jsii.String(e.arn) }
