package ivs_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/recordinglist"
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
			if ref, ok := p["Ref"].(string); ok {
				b.WriteString(refs[ref])
			} else if att, ok := p["Fn::GetAtt"].([]any); ok {
				b.WriteString(refs[att[0].(string)+"."+att[1].(string)])
			}
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

// cookiePublicKey is an ECDSA P-256 public key, PEM, and its private half's
// PEM. The key is the same in every run (its scalar is a hash of a fixed
// phrase), so the templates that hold it are too, and their validation
// report comes from the cache.
func cookiePublicKey(t *testing.T) (public, private string) {
	t.Helper()
	scalar := sha256.Sum256([]byte("ivscdk test cookie key"))
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), scalar[:])
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	priv, _ := x509.MarshalPKCS8PrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv}))
}

// TestRecordingLibraryServesThroughThePagesDistribution: the endpoint's
// routes, its configuration as the function reads it, and the behaviours
// added to the page's distribution: playlists and the rest of the
// recordings (signed cookies for an authorized channel), then the
// endpoint, never cached.
func TestRecordingLibraryServesThroughThePagesDistribution(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	site := awss3.NewBucket(env.Stack, jsii.String("Site"), nil)
	page := awscloudfront.NewDistribution(env.Stack, jsii.String("Page"), &awscloudfront.DistributionProps{
		DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(site, nil)}})
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	public, _ := cookiePublicKey(t)
	secret := awssecretsmanager.NewSecret(env.Stack, jsii.String("CookieKey"), nil)
	ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{
		Bucket: bucket, Channels: []ivs.IChannel{channel}, Distribution: page,
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "client"),
		CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{ivs.CapabilityDeleteRecording}}},
		CookieKey:        &ivs.CookieKey{PublicKeyPem: public, PrivateKeySecret: secret},
	})
	// The library's own resources pass cdk-nag (the test's page and
	// secret are not the library's).
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Library/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	keyGroup, publicKey := env.LogicalID("Library/CookieKeys"), env.LogicalID("Library/CookiePublicKey")

	template.HasResourceProperties(jsii.String("AWS::CloudFront::PublicKey"), map[string]any{
		"PublicKeyConfig": assertions.Match_ObjectLike(&map[string]any{"EncodedKey": public})})
	template.HasResourceProperties(jsii.String("AWS::CloudFront::KeyGroup"), map[string]any{
		"KeyGroupConfig": assertions.Match_ObjectLike(&map[string]any{"Items": []any{map[string]any{"Ref": publicKey}}})})
	template.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{"CacheBehaviors": []any{
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "ivs/*.m3u8", "TrustedKeyGroups": []any{map[string]any{"Ref": keyGroup}},
				"ViewerProtocolPolicy": "https-only", "CachePolicyId": map[string]any{"Ref": env.LogicalID("Library/Playlists")}}),
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "ivs/*", "TrustedKeyGroups": []any{map[string]any{"Ref": keyGroup}},
				"CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}), // CachingOptimized
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "recordings*",
				"AllowedMethods":        []any{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"},
				"CachePolicyId":         "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // CachingDisabled
				"OriginRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac", // AllViewerExceptHostHeader
			}),
		}}),
	})
	for _, route := range []string{"GET /recordings", "DELETE /recordings", "GET /recordings/watch"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	template.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(3))

	fn := env.LogicalID("Library/Endpoint/Function")
	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[recordinglist.EnvConfig]
	text := resolveJoin(t, raw, map[string]string{env.LogicalID("Library/Index"): "index", env.LogicalID("Recordings"): "recordings",
		env.LogicalID("CookieKey"): "arn:aws:secretsmanager:us-west-2:123456789012:secret:cookie", publicKey: "K2JCJMDEHXQW5F",
		env.LogicalID("Channel") + ".Arn": "arn:aws:ivs:us-west-2:123456789012:channel/abc"})
	c, err := recordinglist.ParseConfig(text)
	if err != nil {
		t.Fatalf("the endpoint cannot read its configuration %s: %v", text, err)
	}
	if len(c.Channels) != 1 || !c.Channels[0].Authorized || c.KeyPairID != "K2JCJMDEHXQW5F" || c.Site != "" || len(c.Grants) != 1 {
		t.Errorf("the endpoint reads %+v", c)
	}
}

// TestRecordingLibraryManagesItsCookieKey: an authorized channel with no
// CookieKey gets a ManagedCookieKey: the distribution's recordings trust
// its key group (the custom resource's KeyGroupId), the endpoint reads
// its secret and finds its public key by name, and no key material is in
// the template.
func TestRecordingLibraryManagesItsCookieKey(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	page := awscloudfront.NewDistribution(env.Stack, jsii.String("Page"), &awscloudfront.DistributionProps{
		DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String("example.com"), nil)}})
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	library := ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{
		Bucket: bucket, Channels: []ivs.IChannel{channel}, Distribution: page, CookieLifetime: time.Hour,
	})
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Library/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	key := env.LogicalID("Library/CookieKey/Resource")
	template.ResourceCountIs(jsii.String("AWS::CloudFront::PublicKey"), jsii.Number(0))
	template.ResourceCountIs(jsii.String("Custom::IvsManagedCookieKey"), jsii.Number(1))
	trusted := []any{map[string]any{"Fn::GetAtt": []any{key, "KeyGroupId"}}}
	template.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{"CacheBehaviors": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "ivs/*.m3u8", "TrustedKeyGroups": trusted}),
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "ivs/*", "TrustedKeyGroups": trusted}),
		})}),
	})
	// The key manager makes CloudFront keys, keeps a rotated-out key for
	// the cookies' lifetime plus the endpoint's key cache, and rotates
	// every 30 days.
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": assertions.Match_ObjectLike(&map[string]any{
			"KEY_KIND": "cloudfront-public-key", "GRACE_PERIOD": "1h10m0s",
			"KEY_PAIR_NAME_PREFIX": library.CookieKey().KeyGroupName()})}})
	template.HasResourceProperties(jsii.String("AWS::SecretsManager::RotationSchedule"), map[string]any{
		"RotationRules": map[string]any{"ScheduleExpression": "rate(30 days)"}})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Action": []any{"cloudfront:CreatePublicKey", "cloudfront:GetPublicKey", "cloudfront:DeletePublicKey",
				"cloudfront:ListPublicKeys", "cloudfront:CreateKeyGroup", "cloudfront:GetKeyGroup", "cloudfront:UpdateKeyGroup",
				"cloudfront:DeleteKeyGroup", "cloudfront:ListKeyGroups"},
			"Resource": "*"})})}})

	secret := env.LogicalID("Library/CookieKey/Secret")
	fn := env.LogicalID("Library/Endpoint/Function")
	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[recordinglist.EnvConfig]
	text := resolveJoin(t, raw, map[string]string{env.LogicalID("Library/Index"): "index", env.LogicalID("Recordings"): "recordings",
		secret:                            "arn:aws:secretsmanager:us-west-2:123456789012:secret:cookie",
		env.LogicalID("Channel") + ".Arn": "arn:aws:ivs:us-west-2:123456789012:channel/abc"})
	c, err := recordinglist.ParseConfig(text)
	if err != nil {
		t.Fatalf("the endpoint cannot read its configuration %s: %v", text, err)
	}
	if c.KeyPairID != "" || c.KeyNamePrefix != library.CookieKey().KeyGroupName() || c.SecretArn == "" {
		t.Errorf("the endpoint reads %+v", c)
	}
	all, _ := json.Marshal(got)
	if strings.Contains(string(all), "PRIVATE KEY") || strings.Contains(string(all), "GenerateSecretString") {
		t.Error("the template holds key material or a generated secret")
	}
}

// TestRecordingLibraryRefusesAnUnsignedPrivateChannel: an authorized
// channel's recordings need the cookie key, a private key is refused as
// the public one, and the endpoint needs its distribution.
func TestRecordingLibraryRefusesAnUnsignedPrivateChannel(t *testing.T) {
	public, private := cookiePublicKey(t)
	secret := func(s awscdk.Stack) awssecretsmanager.ISecret {
		return awssecretsmanager.NewSecret(s, jsii.String("K"), nil)
	}
	for name, c := range map[string]struct {
		set  func(awscdk.Stack, *ivs.RecordingLibraryProps)
		page bool
		want string
	}{
		"no secret": {page: true, want: "CookieKey.PrivateKeySecret is nil", set: func(_ awscdk.Stack, p *ivs.RecordingLibraryProps) {
			p.CookieKey = &ivs.CookieKey{PublicKeyPem: public}
		}},
		"private key": {page: true, want: "CookieKey.PublicKeyPem: this is a private key (PRIVATE KEY): give the public key only",
			set: func(s awscdk.Stack, p *ivs.RecordingLibraryProps) {
				p.CookieKey = &ivs.CookieKey{PublicKeyPem: private, PrivateKeySecret: secret(s)}
			}},
		"two keys": {page: true, want: "CookieKey and ManagedCookieKey both set", set: func(s awscdk.Stack, p *ivs.RecordingLibraryProps) {
			p.CookieKey = &ivs.CookieKey{PublicKeyPem: public, PrivateKeySecret: secret(s)}
			p.ManagedCookieKey = ivs.NewManagedCookieKey(s, "Managed", nil)
		}},
		"cookie lifetime": {page: true, want: "CookieLifetime 25h0m0s is invalid: give 1m to 24h", set: func(_ awscdk.Stack, p *ivs.RecordingLibraryProps) {
			p.CookieLifetime = 25 * time.Hour
		}},
		"nil channel": {page: true, want: "Channels[1] is nil", set: func(_ awscdk.Stack, p *ivs.RecordingLibraryProps) {
			p.Channels = append(p.Channels, nil)
		}},
		"no page": {want: "Channels (or Stages) and Distribution go together"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props := &ivs.RecordingLibraryProps{Bucket: awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil),
				Channels: []ivs.IChannel{ivs.ChannelFromChannelArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:channel/abc")}}
			if c.page {
				props.Distribution = awscloudfront.NewDistribution(env.Stack, jsii.String("Page"), &awscloudfront.DistributionProps{
					DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String("example.com"), nil)}})
			}
			if c.set != nil {
				c.set(env.Stack, props)
			}
			ivs.NewRecordingLibrary(env.Stack, "Library", props)
			if msg := env.SynthError(); !strings.Contains(msg, c.want) || !strings.Contains(msg, "[TestStack/Library]") {
				t.Errorf("synthesis error %q does not say %q", msg, c.want)
			}
		})
	}
}

// TestRecordingLibraryServesAStagesParticipantRecordings: with Stages the
// index reads the whole bucket (participant recordings are at its root),
// S3 notifies it of every .json object, the rule takes both recording
// events, the distribution serves each stage's folder with the key group,
// and the endpoint serves the stage's recordings to the hosts' grant.
func TestRecordingLibraryServesAStagesParticipantRecordings(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil)
	site := awss3.NewBucket(env.Stack, jsii.String("Site"), nil)
	page := awscloudfront.NewDistribution(env.Stack, jsii.String("Page"), &awscloudfront.DistributionProps{
		DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(site, nil)}})
	stage := ivs.NewStage(env.Stack, "Stage", &ivs.StageProps{AutoParticipantRecording: &ivs.AutoParticipantRecording{
		StorageConfiguration: ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})}})
	ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{
		Bucket: bucket, Stages: []ivs.IStage{stage}, Distribution: page, Retention: 7 * 24 * time.Hour,
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "client"),
		CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityWatchStageRecordings}}},
	})
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Library/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	fn, b, st := env.LogicalID("Library/Function"), env.LogicalID("Recordings"), env.LogicalID("Stage")

	template.HasResourceProperties(jsii.String("Custom::S3BucketNotifications"), map[string]any{
		"NotificationConfiguration": map[string]any{"LambdaFunctionConfigurations": []any{map[string]any{
			"Events":            []any{"s3:ObjectCreated:*"},
			"Filter":            map[string]any{"Key": map[string]any{"FilterRules": []any{map[string]any{"Name": "suffix", "Value": ".json"}}}},
			"LambdaFunctionArn": map[string]any{"Fn::GetAtt": []any{fn, "Arn"}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Recording State Change", "IVS Participant Recording State Change"},
			"detail": map[string]any{"recording_s3_bucket_name": []any{map[string]any{"Ref": b}}}},
	})
	// The retention covers the whole bucket: participant recordings are
	// at its root.
	template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{"LifecycleConfiguration": map[string]any{"Rules": []any{
		map[string]any{"Id": "ivscdk-recording-retention", "ExpirationInDays": 7, "Status": "Enabled"}}}})
	// The index function reads every object and lists the whole bucket.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "s3:GetObject", "Effect": "Allow",
				"Resource": map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{b, "Arn"}}, "/*"}}}},
			map[string]any{"Action": "s3:ListBucket", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{b, "Arn"}}},
		})},
	})
	// The distribution's read access makes the stack manage the bucket's
	// policy: the storage configuration keeps IVS's write access in it.
	template.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"Action": "s3:GetObject", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"}}),
			assertions.Match_ObjectLike(&map[string]any{"Sid": ivs.StorageWriteStatementID}),
		})},
	})
	stageID := map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::GetAtt": []any{st, "Arn"}}}}}}
	keyGroup := map[string]any{"Fn::GetAtt": []any{env.LogicalID("Library/CookieKey/Resource"), "KeyGroupId"}}
	template.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{"CacheBehaviors": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": map[string]any{"Fn::Join": []any{"", []any{stageID, "/*.m3u8"}}},
				"TrustedKeyGroups": []any{keyGroup}, "CachePolicyId": map[string]any{"Ref": env.LogicalID("Library/Playlists")}}),
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": map[string]any{"Fn::Join": []any{"", []any{stageID, "/*"}}},
				"TrustedKeyGroups": []any{keyGroup}, "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}),
		})}),
	})

	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[recordingindex.EnvConfig]
	if c, err := recordingindex.ParseConfig(resolveJoin(t, raw, map[string]string{b: "recordings", env.LogicalID("Library/Index"): "index"})); err != nil || !c.Participants {
		t.Errorf("the index function reads %+v, %v: want participants", c, err)
	}
	endpoint := env.LogicalID("Library/Endpoint/Function")
	raw = got["Resources"].(map[string]any)[endpoint].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[recordinglist.EnvConfig]
	text := resolveJoin(t, raw, map[string]string{env.LogicalID("Library/Index"): "index", b: "recordings",
		env.LogicalID("Library/CookieKey/Secret"): "arn:aws:secretsmanager:us-west-2:123456789012:secret:cookie",
		st + ".Arn": "arn:aws:ivs:us-west-2:123456789012:stage/abc"})
	c, err := recordinglist.ParseConfig(text)
	if err != nil {
		t.Fatalf("the endpoint cannot read its configuration %s: %v", text, err)
	}
	if len(c.Stages) != 1 || len(c.Channels) != 0 || c.KeyNamePrefix == "" || len(c.Grants) != 1 {
		t.Errorf("the endpoint reads %+v", c)
	}
}

// TestRecordingLibraryRefusesStagesNobodyMayWatch: a stage's recordings
// are for its hosts; an endpoint where nobody, or anybody, could watch
// them is refused.
func TestRecordingLibraryRefusesStagesNobodyMayWatch(t *testing.T) {
	for name, c := range map[string]struct {
		auth ivs.EndpointAuthentication
		want string
	}{
		"anyone":  {ivs.NoAuthentication(), "Stages need IAMAuthentication or JWTAuthentication"},
		"nobody":  {ivs.JWTAuthentication("https://issuer.example.com", "client"), "need a CapabilityGrant of CapabilityWatchStageRecordings"},
		"nil one": {ivs.IAMAuthentication(), "Stages[1] is nil"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			page := awscloudfront.NewDistribution(env.Stack, jsii.String("Page"), &awscloudfront.DistributionProps{
				DefaultBehavior: &awscloudfront.BehaviorOptions{Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String("example.com"), nil)}})
			stages := []ivs.IStage{ivs.NewStage(env.Stack, "Stage", nil)}
			if name == "nil one" {
				stages = append(stages, nil)
			}
			ivs.NewRecordingLibrary(env.Stack, "Library", &ivs.RecordingLibraryProps{Bucket: awss3.NewBucket(env.Stack, jsii.String("Recordings"), nil),
				Stages: stages, Distribution: page, Authentication: c.auth})
			msg := env.SynthError()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, "[TestStack/Library]") {
				t.Errorf("synthesis error %q does not say %q", msg, c.want)
			}
		})
	}
}
