package ivs

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/internal/cdkname"
	"github.com/ivscdk/ivscdk/internal/check"
	"github.com/ivscdk/ivscdk/internal/l2"
)

// DefaultGracePeriod is how long a rotated-out key stays in IVS when no
// PlaybackTokenEndpoint uses the key pair and ExternalTokenLifetime is not
// set: enough for 10-minute tokens from a service that caches the key for
// 5 minutes.
const DefaultGracePeriod = 15 * time.Minute

// ManagedPlaybackKeyPairProps configures a ManagedPlaybackKeyPair. The zero
// value is a key pair without rotation.
type ManagedPlaybackKeyPairProps struct {
	// RotationInterval turns on scheduled rotation through AWS Secrets
	// Manager: whole hours from 4h to 23h, or whole days from 24h to 1000
	// days (Secrets Manager's rate() schedules). It must be at least the
	// grace period (see GracePeriod). Default: no rotation.
	RotationInterval time.Duration
	// EncryptionKey encrypts the secret. Default: the account's
	// aws/secretsmanager key.
	EncryptionKey awskms.IKey
	// RemovalPolicy applies to the secret. Default: DESTROY (Secrets
	// Manager keeps a deleted secret recoverable for 30 days). The IVS key
	// pairs are always deleted with the construct.
	RemovalPolicy awscdk.RemovalPolicy
	// PlaybackKeyPairName starts the names of the IVS key pairs, which end
	// in the secret version's ID: letters, digits, '-' and '_', at most 90
	// characters. Default: a name made from the construct path.
	PlaybackKeyPairName string
	// ExternalTokenLifetime is, for tokens signed with this key by services
	// other than ivscdk's PlaybackTokenEndpoint, their longest lifetime
	// plus how long those services cache the key. It lengthens the grace
	// period. Default: 0.
	ExternalTokenLifetime time.Duration
	// Code replaces the Lambda code of the key manager (the handler in
	// github.com/ivscdk/ivscdk/lambda/managedkey, built with golambda by
	// default), for example with a build of your own pipeline. It must run
	// on provided.al2023, arm64, as "bootstrap".
	Code awslambda.Code
}

// ManagedPlaybackKeyPair is a playback key pair whose private key is
// generated at deploy time inside the account and never leaves AWS Secrets
// Manager: a custom resource backed by a Go Lambda function from this
// module generates an ECDSA P-384 key, puts it into a secret the construct
// creates, and imports the public half into IVS. It stands wherever a
// playback key pair does, and PlaybackTokenEndpoint signs with it.
//
// With RotationInterval set, Secrets Manager rotates the key: the new key
// is imported into IVS, signing moves to it, and the old IVS key pair is
// deleted once no token signed with it can still start playback. Never
// more than two IVS key pairs exist for one managed key pair.
//
// Deleting the construct deletes every IVS key pair it created.
type ManagedPlaybackKeyPair struct {
	l2.Construct // first field: see l2.Construct
	path         cdkname.Path
	props        ManagedPlaybackKeyPairProps
	secret       awssecretsmanager.Secret
	function     awslambda.Function
	resource     awscdk.CustomResource

	mu    sync.Mutex
	users map[string]time.Duration // grace needed per endpoint path
}

// NewManagedPlaybackKeyPair defines a managed playback key pair. props may
// be nil for all defaults.
func NewManagedPlaybackKeyPair(scope constructs.Construct, id string, props *ManagedPlaybackKeyPairProps) *ManagedPlaybackKeyPair {
	if props == nil {
		props = &ManagedPlaybackKeyPairProps{}
	}
	m := &ManagedPlaybackKeyPair{props: *props, users: map[string]time.Duration{}}
	m.path = l2.NewResource(m, &m.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	prefix := props.PlaybackKeyPairName
	if prefix == "" {
		prefix = m.path.UniqueName(90, "-_")
	} else if len(prefix) > 90 {
		problems.Addf("PlaybackKeyPairName %q is %d characters: use at most 90, leaving room for the secret version ID that ends each key pair's name", prefix, len(prefix))
	}
	problems.Name("PlaybackKeyPairName", props.PlaybackKeyPairName)
	schedule := rotationSchedule(&problems, props.RotationInterval)
	if props.ExternalTokenLifetime < 0 {
		problems.Addf("ExternalTokenLifetime %s is negative", props.ExternalTokenLifetime)
	}

	removal := props.RemovalPolicy
	if removal == "" {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	m.secret = awssecretsmanager.NewSecret(m, jsii.String("Secret"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("IVS playback private key managed by ivscdk (JSON: privateKeyPem, publicKeyPem). Never copy it out."),
		EncryptionKey: props.EncryptionKey,
		RemovalPolicy: removal,
	})
	// The key manager puts the first value; CloudFormation must not
	// generate a placeholder.
	m.secret.Node().DefaultChild().(awscdk.CfnResource).AddPropertyDeletionOverride(jsii.String("GenerateSecretString"))

	m.function = handlerFunction(m, &problems, props.Code, "managedkey",
		"ivscdk: creates, rotates and deletes a managed IVS playback key pair", 2*time.Minute,
		map[string]*string{
			managedkey.EnvNamePrefix:  jsii.String(prefix),
			managedkey.EnvGracePeriod: awscdk.Lazy_String(&gracePeriodProducer{m}, nil),
		})
	m.grantKeyManagement(m.function)

	m.resource = awscdk.NewCustomResource(m, jsii.String("Resource"), &awscdk.CustomResourceProps{
		ServiceToken: m.function.FunctionArn(),
		ResourceType: jsii.String("Custom::IvsManagedPlaybackKeyPair"),
		Properties:   &map[string]any{managedkey.PropertySecretArn: m.secret.SecretArn()},
	})

	slots := 1
	if schedule != "" {
		slots = 2
		m.addRotation(schedule)
		m.Node().AddValidation(&rotationCheck{m})
	}
	problems.Report(m)
	noteKeyPair(m.path)
	claimKeyPairSlots(m.path.Stack(), m.path.String(), slots, "")
	return m
}

// rotationSchedule returns Secrets Manager's rate() expression for every,
// or "" for no rotation.
func rotationSchedule(problems *check.Problems, every time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case every == 0:
		return ""
	case every%day == 0 && every/day >= 1 && every/day <= 1000:
		return fmt.Sprintf("rate(%d days)", every/day)
	case every%time.Hour == 0 && every >= 4*time.Hour && every < day:
		return fmt.Sprintf("rate(%d hours)", every/time.Hour)
	}
	problems.Addf("RotationInterval %s is invalid: Secrets Manager rotates every 4 to 23 whole hours, or every 1 to 1000 whole days "+
		"(for example 30 * 24 * time.Hour)", every)
	return ""
}

// grantKeyManagement gives the key manager exactly what it calls: the IVS
// playback key pair operations (list needs "*"), and reading, writing and
// relabelling this secret.
func (m *ManagedPlaybackKeyPair) grantKeyManagement(fn awslambda.Function) {
	stack := awscdk.Stack_Of(m)
	keyPairs := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ivs"), Resource: jsii.String("playback-key"), ResourceName: jsii.String("*")})
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivs:ImportPlaybackKeyPair", "ivs:GetPlaybackKeyPair", "ivs:DeletePlaybackKeyPair", "ivs:TagResource"),
		Resources: &[]*string{keyPairs},
	}))
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivs:ListPlaybackKeyPairs"),
		Resources: jsii.Strings("*"),
	}))
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
			"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"),
		Resources: &[]*string{m.secret.SecretArn()},
	}))
	if m.props.EncryptionKey != nil {
		m.props.EncryptionKey.Grant(fn, jsii.String("kms:Decrypt"), jsii.String("kms:GenerateDataKey"))
	}
	policy := fn.Role().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
	suppressNagFindings(policy, "AwsSolutions-IAM5",
		"IVS gives a playback key pair its ID when it is imported, so the key manager cannot name its key pairs in advance; "+
			"it reads and deletes only those tagged with its own secret. ivs:ListPlaybackKeyPairs takes no resource-level permission.",
		"Resource::arn:<AWS::Partition>:ivs:<AWS::Region>:<AWS::AccountId>:playback-key/*", "Resource::*")
}

// addRotation schedules rotation with the key manager as rotation function.
// It waits for the first key, and never rotates at deploy time.
func (m *ManagedPlaybackKeyPair) addRotation(schedule string) {
	m.function.AddPermission(jsii.String("SecretsManagerRotation"), &awslambda.Permission{
		Principal:     awsiam.NewServicePrincipal(jsii.String("secretsmanager.amazonaws.com"), nil),
		SourceAccount: awscdk.Stack_Of(m).Account(),
	})
	rotation := awssecretsmanager.NewCfnRotationSchedule(m, jsii.String("Rotation"), &awssecretsmanager.CfnRotationScheduleProps{
		SecretId:                  m.secret.SecretArn(),
		RotationLambdaArn:         m.function.FunctionArn(),
		RotateImmediatelyOnUpdate: jsii.Bool(false),
		RotationRules:             &awssecretsmanager.CfnRotationSchedule_RotationRulesProperty{ScheduleExpression: jsii.String(schedule)},
	})
	rotation.Node().AddDependency(m.resource)
}

// PlaybackKeyPairArn returns the ARN of the IVS key pair imported when the
// construct was created (or last updated). A rotation replaces that key
// pair; the current one is the IVS key pair tagged ivscdk:secret-version
// with the secret's AWSCURRENT version ID.
func (m *ManagedPlaybackKeyPair) PlaybackKeyPairArn() *string {
	return m.resource.GetAttString(jsii.String(managedkey.AttributeKeyArn))
}

// Secret returns the secret holding the private key (JSON: privateKeyPem,
// publicKeyPem; package github.com/ivscdk/ivscdk/handler/keysecret reads
// it).
func (m *ManagedPlaybackKeyPair) Secret() awssecretsmanager.ISecret { return m.secret }

// Function returns the key manager Lambda function.
func (m *ManagedPlaybackKeyPair) Function() awslambda.IFunction { return m.function }

// GrantReadPrivateKey lets grantee read the private key, to sign playback
// tokens in a service of its own (secretsmanager:GetSecretValue and
// DescribeSecret on the secret, and decrypting with its KMS key). Set
// ExternalTokenLifetime when that service's tokens live long.
func (m *ManagedPlaybackKeyPair) GrantReadPrivateKey(grantee awsiam.IGrantable) awsiam.Grant {
	return m.secret.GrantRead(grantee, nil)
}

// GracePeriod returns how long a rotated-out key stays in IVS: the longest
// token lifetime plus key cache time of the endpoints signing with this key
// pair, or ExternalTokenLifetime, whichever is longer; DefaultGracePeriod
// when neither is known. It is final once every endpoint is defined.
func (m *ManagedPlaybackKeyPair) GracePeriod() time.Duration {
	g, _ := m.grace()
	return g
}

// grace returns the grace period and what sets it.
func (m *ManagedPlaybackKeyPair) grace() (time.Duration, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.users) == 0 && m.props.ExternalTokenLifetime == 0 {
		return DefaultGracePeriod, "ivscdk's default for key pairs no endpoint uses"
	}
	g, why := m.props.ExternalTokenLifetime, "ExternalTokenLifetime"
	paths := make([]string, 0, len(m.users))
	for p := range m.users {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if m.users[p] > g {
			g, why = m.users[p], "the token lifetime plus key cache time of "+p
		}
	}
	return g, why
}

// signsFor records that the endpoint at path signs tokens living up to
// grace (token lifetime plus key cache time) with this key pair.
func (m *ManagedPlaybackKeyPair) signsFor(path string, grace time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users[path] = grace
}

type gracePeriodProducer struct{ m *ManagedPlaybackKeyPair }

// Produce implements awscdk.IStableStringProducer: the grace period is
// known only once every endpoint using the key pair is defined.
func (p *gracePeriodProducer) Produce() *string {
	return jsii.String(p.m.GracePeriod().String())
}

type rotationCheck struct{ m *ManagedPlaybackKeyPair }

// Validate implements constructs.IValidation.
func (c *rotationCheck) Validate() *[]*string {
	every := c.m.props.RotationInterval
	grace, why := c.m.grace()
	if every >= grace {
		return &[]*string{}
	}
	return &[]*string{jsii.String(fmt.Sprintf("RotationInterval %s is shorter than the grace period %s (%s): the previous key must stay "+
		"in IVS until no token signed with it can start playback, and a third key pair would be needed; rotate less often or shorten "+
		"the tokens", every, grace, strings.TrimSpace(why)))}
}

// A managed key pair stands wherever a playback key pair does.
var _ IPlaybackKeyPair = (*ManagedPlaybackKeyPair)(nil)
