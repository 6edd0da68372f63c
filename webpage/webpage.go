// Package webpage hosts a static web page the way a careful team would: a
// private S3 bucket that only CloudFront reads (origin access control),
// HTTPS only (HTTP redirects; HSTS), a response headers policy with a content security policy
// that allows exactly the sources the page needs, a Permissions-Policy
// and Cross-Origin-Opener-Policy (Headers), the page's npm scripts built
// from their lockfile into the page (Scripts, BuildScripts), and the
// page's runtime settings written at deploy time as config.json, next to
// its files.
//
// ivscdk's examples use it for their viewer, chat and stage pages:
//
//	page := webpage.New(stack, "Page", &webpage.Props{
//		Directory:      "./web",
//		Scripts:        "./sdk", // package.json, package-lock.json and a build script
//		Config:         map[string]any{"tokenUrl": tokens.Url()},
//		ConnectSources: []string{"https://*.execute-api.us-west-2.amazonaws.com"},
//	})
//	awscdk.NewCfnOutput(stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url()})
package webpage

import (
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
)

// ConfigFile is the object the runtime settings are written to, beside the
// page's files; the page fetches it.
const ConfigFile = "config.json"

// Props configures a Page.
type Props struct {
	// Directory holds the page's files (index.html first), relative to
	// the working directory of the app. Required.
	Directory string
	// Config is written to config.json at deploy time; values may be CDK
	// tokens (an endpoint's URL, a user pool client's ID), or a
	// func() *string called at synthesis, for a value defined after the
	// page (an endpoint whose CORS allow list names the page's URL).
	// Default: {}.
	Config map[string]any
	// ScriptSources, ConnectSources, MediaSources, ImageSources and
	// WorkerSources are added to the content security policy's
	// script-src, connect-src, media-src, img-src and worker-src, after
	// 'self'. Give exact origins ("https://player.live-video.net"; a
	// remote <script> must also carry its integrity, or synthesis fails:
	// Scripts builds an npm package into the page instead); a
	// token is allowed (an endpoint's origin), and Later gives one for a
	// value defined after the page. An endpoint whose CORS allow list
	// names the page cannot be named exactly (the distribution would need
	// the endpoint and the endpoint the distribution: a cycle); give its
	// service's wildcard for the region then
	// ("https://*.execute-api.us-west-2.amazonaws.com").
	ScriptSources, ConnectSources, MediaSources, ImageSources, WorkerSources []string
	// Scripts is a folder that builds the scripts the page loads from npm
	// packages, pinned by its package-lock.json: it holds package.json
	// (with a "build" script), package-lock.json and the build's own
	// sources. At synthesis BuildScripts runs `npm ci --ignore-scripts` and
	// `npm run build -- <folder>` in a copy of it; what the build writes to
	// <folder> is deployed under the Scripts folder's base name
	// (Scripts "sdk" puts sdk/player.js at /sdk/player.js). A <script> tag
	// of the page that loads a built file must carry its integrity
	// (Integrity), and synthesis fails naming the right value otherwise, so
	// the browser runs only those bytes. The policy's script-src stays
	// 'self'. Relative to the working directory of the app. Default: none.
	Scripts string
	// IVSSDKs builds the Amazon IVS web SDKs into the page, under sdk/
	// (SDKFolder): the Player Web SDK (PlayerScript, with its WebAssembly
	// worker and binary; the page needs WebAssembly), the Chat Client
	// Messaging SDK (ChatScript) and the Web Broadcast SDK
	// (BroadcastScript), pinned by ivscdk's own package-lock.json and
	// built at synthesis as Scripts is (BuildIVSSDKs), so a page needs no
	// npm project of its own for them. Each <script> tag that loads one
	// must carry its integrity, as with Scripts. Scripts may build more
	// files beside them, under another base name than sdk. Default: false.
	IVSSDKs bool
	// Devices are the devices the page may ask for, from its own origin
	// only: "camera", "microphone" (a page that joins a stage as a
	// publisher). The Permissions-Policy header allows them for the
	// page's origin ((self)) and denies every other powerful feature it
	// names (geolocation, screen capture, payment, USB and the rest) to the
	// page and anything it embeds. Default: none.
	Devices []string
	// Files are more files deployed beside Directory's, by name: a path
	// from the page's root such as "signin.js", for files a Go package
	// provides (signin.PageFiles). A <script> that loads one may carry its
	// integrity, and synthesis fails if it is not the file's. A name that
	// Directory holds, that the built Scripts would, or config.json is
	// refused. Default: none.
	Files map[string][]byte
	// WebAssembly allows the page's scripts to compile WebAssembly
	// ('wasm-unsafe-eval' in script-src), as the IVS Player SDK does.
	// Default: false.
	WebAssembly bool
}

// Page is a static page on CloudFront.
type Page struct {
	construct    constructs.Construct
	bucket       awss3.Bucket
	distribution awscloudfront.Distribution
}

// New defines the page: bucket, distribution with its headers policy, and
// the deployment of the files and config.json.
func New(scope constructs.Construct, id string, props *Props) *Page {
	cdkname.CheckScope(scope)
	if props == nil {
		props = &Props{}
	}
	p := &Page{construct: constructs.NewConstruct(scope, jsii.String(id))}
	c := p.construct
	var problems check.Problems
	haveFiles := false
	if info, err := os.Stat(props.Directory); props.Directory == "" || err != nil || !info.IsDir() {
		problems.Addf("Directory %q is not a folder: give the folder of the page's files, relative to where the app runs", props.Directory)
	} else if _, err := os.Stat(filepath.Join(props.Directory, "index.html")); err != nil {
		problems.Addf("Directory %q has no index.html: the page's entry point", props.Directory)
	} else {
		haveFiles = true
	}
	var built []string // the folders of built scripts
	var files []string // the valid names of props.Files
	if haveFiles && props.Scripts != "" {
		name := filepath.Base(filepath.Clean(props.Scripts))
		if _, err := os.Stat(filepath.Join(props.Directory, name)); err == nil {
			problems.Addf("Directory %q has its own %s, where the built Scripts %q go: rename one of them", props.Directory, name, props.Scripts)
		} else if props.IVSSDKs && name == SDKFolder {
			problems.Addf("Scripts %q would be deployed under %s/, where IVSSDKs puts the IVS web SDKs: rename the Scripts folder", props.Scripts, SDKFolder)
		} else if folder, err := BuildScripts(props); err != nil {
			problems.Addf("%v", err)
		} else {
			built = append(built, folder)
		}
	}
	if haveFiles && props.IVSSDKs {
		if _, err := os.Stat(filepath.Join(props.Directory, SDKFolder)); err == nil {
			problems.Addf("Directory %q has its own %s, where IVSSDKs puts the IVS web SDKs: rename it", props.Directory, SDKFolder)
		} else if folder, err := BuildIVSSDKs(); err != nil {
			problems.Addf("%v", err)
		} else {
			built = append(built, folder)
		}
	}
	if haveFiles {
		files = checkFiles(props, &problems)
		if found, err := checkIntegrity(props.Directory, built, props.Files); err != nil {
			problems.Addf("reading the page's files in %q: %v", props.Directory, err)
		} else {
			for _, p := range found {
				problems.Addf("%s", p)
			}
		}
	}
	for _, s := range allSources(props) {
		if strings.ContainsAny(s, " ;'") {
			problems.Addf("content security policy source %q is invalid: give one origin such as https://player.live-video.net (no spaces, quotes or semicolons)", s)
		}
	}

	p.bucket = awss3.NewBucket(c, jsii.String("Bucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
		AutoDeleteObjects: jsii.Bool(true),
	})
	suppress(p.bucket.Node().DefaultChild(), "AwsSolutions-S1",
		"The bucket holds the page's own files, deployed by the stack; CloudFront is its only reader.")
	for _, d := range props.Devices {
		if !slices.Contains(devices, d) {
			problems.Addf("Devices %q is invalid: allowed values are %q and %q", d, devices[0], devices[1])
		}
	}
	var custom []*awscloudfront.ResponseCustomHeader
	for _, name := range []string{"Permissions-Policy", "Cross-Origin-Opener-Policy"} {
		custom = append(custom, &awscloudfront.ResponseCustomHeader{
			Header: jsii.String(name), Value: jsii.String(Headers(props)[name]), Override: jsii.Bool(true)})
	}
	headers := awscloudfront.NewResponseHeadersPolicy(c, jsii.String("Headers"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("ivscdk page: content security policy and security headers"),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String(Policy(props)), Override: jsii.Bool(true)},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			FrameOptions: &awscloudfront.ResponseHeadersFrameOptions{
				FrameOption: awscloudfront.HeadersFrameOption_DENY, Override: jsii.Bool(true)},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_NO_REFERRER, Override: jsii.Bool(true)},
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(365)), IncludeSubdomains: jsii.Bool(true), Override: jsii.Bool(true)},
		},
		CustomHeadersBehavior: &awscloudfront.ResponseCustomHeadersBehavior{CustomHeaders: &custom},
	})
	p.distribution = awscloudfront.NewDistribution(c, jsii.String("Distribution"), &awscloudfront.DistributionProps{
		Comment:           jsii.String("ivscdk page"),
		DefaultRootObject: jsii.String("index.html"),
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:                awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(p.bucket, nil),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			ResponseHeadersPolicy: headers,
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
		},
	})
	suppress(p.distribution.Node().DefaultChild(), "AwsSolutions-CFR1",
		"The page serves every country; restrict it with a geo restriction if your viewers are in known countries.")
	suppress(p.distribution.Node().DefaultChild(), "AwsSolutions-CFR2",
		"A static page without forms or server code; add AWS WAF if your threat model needs it.")
	suppress(p.distribution.Node().DefaultChild(), "AwsSolutions-CFR3",
		"Access logs of a static page are optional; the token endpoints it calls log every request.")
	suppress(p.distribution.Node().DefaultChild(), "AwsSolutions-CFR4",
		"The default CloudFront domain's certificate: its TLS policy is CloudFront's; use a custom domain to choose TLSv1.2_2021.")

	config := map[string]any{}
	for k, v := range props.Config {
		if f, ok := v.(func() *string); ok {
			v = awscdk.Lazy_String(&stringProducer{f}, nil)
		}
		config[k] = v
	}
	sources := &[]awss3deployment.ISource{awss3deployment.Source_JsonData(jsii.String(ConfigFile), config, nil)}
	if haveFiles {
		*sources = append([]awss3deployment.ISource{awss3deployment.Source_Asset(jsii.String(props.Directory), nil)}, *sources...)
	}
	for _, folder := range slices.Backward(built) {
		*sources = append([]awss3deployment.ISource{awss3deployment.Source_Asset(jsii.String(folder), nil)}, *sources...)
	}
	for _, name := range files {
		*sources = append(*sources, awss3deployment.Source_Data(jsii.String(name), jsii.String(string(props.Files[name])), nil))
	}
	awss3deployment.NewBucketDeployment(c, jsii.String("Files"), &awss3deployment.BucketDeploymentProps{
		Sources:           sources,
		DestinationBucket: p.bucket,
		Distribution:      p.distribution,
		DistributionPaths: jsii.Strings("/*"),
		Prune:             jsii.Bool(true),
	})
	suppressDeploymentFunction(awscdk.Stack_Of(c))
	problems.Report(c)
	return p
}

// checkFiles reports each of props.Files whose name is not a plain path
// from the page's root, or is taken: by Directory's own files, by the
// built Scripts' folder, or by config.json. It returns the other names,
// sorted.
func checkFiles(props *Props, problems *check.Problems) (valid []string) {
	scripts := ""
	if props.Scripts != "" {
		scripts = filepath.Base(filepath.Clean(props.Scripts))
	}
	for _, name := range slices.Sorted(maps.Keys(props.Files)) {
		first, _, _ := strings.Cut(name, "/")
		switch {
		case name == "" || path.Clean(name) != name || strings.HasPrefix(name, "/") || first == ".." || strings.Contains(name, "\\"):
			problems.Addf("Files %q is invalid: name each file by its path from the page's root, such as \"signin.js\" or \"js/signin.js\"", name)
		case name == ConfigFile:
			problems.Addf("Files %q is taken: the page's config.json is written from Config", name)
		case scripts != "" && first == scripts:
			problems.Addf("Files %q is under %s/, where the built Scripts %q go: choose another path", name, scripts, props.Scripts)
		case props.IVSSDKs && first == SDKFolder:
			problems.Addf("Files %q is under %s/, where IVSSDKs puts the IVS web SDKs: choose another path", name, SDKFolder)
		default:
			if _, err := os.Stat(filepath.Join(props.Directory, filepath.FromSlash(name))); err == nil {
				problems.Addf("Files %q is also in Directory %q: deploy one of them", name, props.Directory)
			} else {
				valid = append(valid, name)
			}
		}
	}
	return valid
}

// suppressDeploymentFunction records why cdk-nag's findings on the CDK's
// own BucketDeployment function (one per stack) do not apply to ivscdk's
// use of it.
func suppressDeploymentFunction(stack awscdk.Stack) {
	for _, child := range *stack.Node().Children() {
		if !strings.HasPrefix(*child.Node().Id(), "Custom::CDKBucketDeployment") {
			continue
		}
		for _, c := range *child.Node().FindAll(constructs.ConstructOrder_PREORDER) {
			if _, ok := c.(awscdk.CfnResource); !ok {
				continue
			}
			suppress(c, "AwsSolutions-L1", "The AWS CDK's BucketDeployment function: the CDK chooses and updates its runtime.")
			suppress(c, "AwsSolutions-IAM4", "The AWS CDK's BucketDeployment function logs with AWSLambdaBasicExecutionRole, as the CDK defines it.")
			suppress(c, "AwsSolutions-IAM5", "The AWS CDK's BucketDeployment function copies the page's files: it reads the CDK asset bucket "+
				"and writes and deletes objects in the page's own bucket only, and invalidates its distribution.")
		}
	}
}

// Construct returns the construct that holds the page's resources (its
// path is the scope and id given to New).
func (p *Page) Construct() constructs.Construct { return p.construct }

// Node returns the construct tree node of the page.
func (p *Page) Node() constructs.Node { return p.construct.Node() }

// Url returns the page's HTTPS URL (https://<distribution domain>).
func (p *Page) Url() *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("https://"), p.distribution.DistributionDomainName()})
}

// Origin returns the page's origin, for the CORS allow list of the
// endpoints it calls: the same as Url.
func (p *Page) Origin() *string { return p.Url() }

// Bucket returns the bucket that holds the files.
func (p *Page) Bucket() awss3.Bucket { return p.bucket }

// Distribution returns the CloudFront distribution.
func (p *Page) Distribution() awscloudfront.Distribution { return p.distribution }

// Policy returns the content security policy New sets: everything from
// the page's own origin only, plus the sources in props, no plugins, no
// framing, no inline script. Sources may hold CDK tokens. It also serves
// the page with the same policy elsewhere (the browser tests do).
func Policy(props *Props) string {
	if props == nil {
		props = &Props{}
	}
	script := append([]string{"'self'"}, props.ScriptSources...)
	if props.WebAssembly {
		script = append(script, "'wasm-unsafe-eval'")
	}
	directives := []string{
		"default-src 'self'",
		"script-src " + strings.Join(script, " "),
		"connect-src " + strings.Join(append([]string{"'self'"}, props.ConnectSources...), " "),
		"media-src " + strings.Join(append([]string{"'self'", "blob:"}, props.MediaSources...), " "),
		"img-src " + strings.Join(append([]string{"'self'", "data:"}, props.ImageSources...), " "),
		"worker-src " + strings.Join(append([]string{"'self'", "blob:"}, props.WorkerSources...), " "),
		"style-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"frame-ancestors 'none'",
		"form-action 'self'",
	}
	return strings.Join(directives, "; ")
}

// devices are the values Props.Devices takes.
var devices = []string{"camera", "microphone"}

// deniedFeatures are the powerful features the Permissions-Policy header
// denies unless Devices allows one (names as browsers know them:
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Permissions-Policy).
var deniedFeatures = []string{"accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
	"hid", "magnetometer", "microphone", "midi", "payment", "serial", "usb"}

// Headers returns the response headers New sets on every file of the page,
// by name: the content security policy (Policy), the Permissions-Policy
// (Devices for the page's own origin, the other features denied),
// Cross-Origin-Opener-Policy same-origin (no other window keeps a handle on
// the page, such as the sign-in's), and the security headers
// (nosniff, frame denial, no referrer, HSTS for a year). The browser tests
// serve the page with them.
func Headers(props *Props) map[string]string {
	if props == nil {
		props = &Props{}
	}
	var features []string
	for _, f := range deniedFeatures {
		if slices.Contains(props.Devices, f) {
			features = append(features, f+"=(self)")
		} else {
			features = append(features, f+"=()")
		}
	}
	return map[string]string{
		"Content-Security-Policy":    Policy(props),
		"Permissions-Policy":         strings.Join(features, ", "),
		"Cross-Origin-Opener-Policy": "same-origin",
		"X-Content-Type-Options":     "nosniff",
		"X-Frame-Options":            "DENY",
		"Referrer-Policy":            "no-referrer",
		"Strict-Transport-Security":  "max-age=31536000; includeSubDomains",
	}
}

func allSources(p *Props) []string {
	var out []string
	for _, list := range [][]string{p.ScriptSources, p.ConnectSources, p.MediaSources, p.ImageSources, p.WorkerSources} {
		for _, s := range list {
			if !strings.Contains(s, "${Token[") {
				out = append(out, s)
			}
		}
	}
	return out
}

// suppress records why a cdk-nag rule does not apply (cdkapp.SuppressNag).
func suppress(resource constructs.IConstruct, rule, reason string) {
	cdkapp.SuppressNag(resource, rule, reason)
}

// Later is a string that f gives at synthesis: for a content security
// policy source or another string setting whose value is defined after
// the page (the sign-in domain of a user pool whose app client names the
// page's URL).
func Later(f func() *string) string { return *awscdk.Lazy_String(&stringProducer{f}, nil) }

// stringProducer makes a func a CDK lazy value's producer.
type stringProducer struct{ f func() *string }

// Produce implements awscdk.IStableStringProducer.
func (p *stringProducer) Produce() *string { return p.f() }
