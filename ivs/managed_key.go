package ivs

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// managedKeySpec is what differs between the managed key constructs.
type managedKeySpec struct {
	service      string // "IVS" or "CloudFront": where the public keys go
	kind         string // the resource, in messages
	storeKind    string // wire.KeyEnvKind
	resourceType string // the custom resource's type
	nameProperty string // the props field naming the IVS keys
	arnResource  string // the IVS ARN's resource type
	importAction string
	deleteAction string
	listAction   string
	// listOnKeys: the Service Authorization Reference lists the key
	// resource type for listAction, so the grant names the keys; else
	// "*" (see grantKeyManagement).
	listOnKeys bool
	// grant gives the key manager what it calls on the keys' service;
	// grantKeyManagement (IVS) when nil.
	grant func(m *managedKey, scope constructs.Construct)
}

// managedKeyOptions are the props both managed key constructs share.
type managedKeyOptions struct {
	RotationInterval      time.Duration
	EncryptionKey         awskms.IKey
	RemovalPolicy         awscdk.RemovalPolicy
	Name                  string
	ExternalTokenLifetime time.Duration
	Code                  awslambda.Code
}

// managedKey is the body of ManagedPlaybackKeyPair and ManagedPublicKey:
// a secret, the key manager function, its custom resource and rotation.
type managedKey struct {
	path     cdkname.Path
	prefix   string // the keys' names start with prefix + "-"
	opts     managedKeyOptions
	spec     managedKeySpec
	secret   awssecretsmanager.Secret
	function awslambda.Function
	resource awscdk.CustomResource

	mu    sync.Mutex
	users map[string]time.Duration // grace needed per endpoint path
}

// init defines the managed key's resources under scope and returns how
// many IVS keys it may hold at once (2 with rotation).
func (m *managedKey) init(scope constructs.Construct, path cdkname.Path, opts managedKeyOptions, spec managedKeySpec) int {
	m.path, m.opts, m.spec, m.users = path, opts, spec, map[string]time.Duration{}
	var problems check.Problems
	prefix := opts.Name
	if prefix == "" {
		prefix = path.UniqueName(90, "-_")
	}
	m.prefix = prefix
	if len(prefix) > 90 {
		problems.Addf("%s %q is %d characters: use at most 90, leaving room for the secret version ID that ends each key's name", spec.nameProperty, prefix, len(prefix))
	}
	problems.Name(spec.nameProperty, opts.Name)
	schedule, oddHours := rotationSchedule(&problems, opts.RotationInterval)
	if oddHours {
		check.Warn(scope, WarningRotationInHours, fmt.Sprintf("RotationInterval %s is not a whole number of days: the schedule is %s. "+
			"Secrets Manager starts a rate() rotation window at midnight UTC and never lets it run into the next UTC day "+
			"(Secrets Manager API reference, RotationRulesType), so rotations may not fall every %s exactly; whole days are predictable",
			opts.RotationInterval, schedule, opts.RotationInterval))
	}
	if opts.ExternalTokenLifetime < 0 {
		problems.Addf("ExternalTokenLifetime %s is negative", opts.ExternalTokenLifetime)
	}

	removal := opts.RemovalPolicy
	if removal == "" {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	m.secret = awssecretsmanager.NewSecret(scope, jsii.String("Secret"), &awssecretsmanager.SecretProps{
		Description:   jsii.String(spec.service + " " + spec.kind + " private key managed by ivscdk (JSON: privateKeyPem, publicKeyPem). Never copy it out."),
		EncryptionKey: opts.EncryptionKey,
		RemovalPolicy: removal,
	})
	// The key manager puts the first value; CloudFormation must not
	// generate a placeholder.
	m.secret.Node().DefaultChild().(awscdk.CfnResource).AddPropertyDeletionOverride(jsii.String("GenerateSecretString"))

	m.function = lambdafn.New(scope, &problems, opts.Code, "managedkey",
		"ivscdk: creates, rotates and deletes a managed "+spec.service+" "+spec.kind, 2*time.Minute,
		map[string]*string{
			wire.KeyEnvNamePrefix:  jsii.String(prefix),
			wire.KeyEnvGracePeriod: awscdk.Lazy_String(&gracePeriodProducer{m}, nil),
			wire.KeyEnvKind:        jsii.String(spec.storeKind),
			wire.KeyEnvSecretArn:   m.secret.SecretArn(),
		})
	if spec.grant != nil {
		spec.grant(m, scope)
	} else {
		m.grantKeyManagement(scope)
	}
	m.grantSecret()

	m.resource = awscdk.NewCustomResource(scope, jsii.String("Resource"), &awscdk.CustomResourceProps{
		ServiceToken: m.function.FunctionArn(),
		ResourceType: jsii.String(spec.resourceType),
		Properties:   &map[string]any{wire.KeyPropertySecretArn: m.secret.SecretArn()},
		// CloudFormation waits an hour for an answer by default. The key
		// manager answers within its 2-minute timeout (it stops work 15
		// seconds before, to send FAILED with the reason); if it dies
		// anyway, the stack fails after this instead of an hour.
		ServiceTimeout: awscdk.Duration_Seconds(jsii.Number(CustomResourceServiceTimeout.Seconds())),
	})
	// The sweep that deletes rotated-out keys once their grace period has
	// ended, and unused keys a failed revocation left.
	awsevents.NewRule(scope, jsii.String("RetireExpiredKeys"), &awsevents.RuleProps{
		Description: jsii.String("ivscdk: deletes the " + spec.service + " " + spec.kind + "s of a managed key whose grace period has ended"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(KeySweepInterval.Minutes()))),
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(m.function, &awseventstargets.LambdaFunctionProps{
			Event: awsevents.RuleTargetInput_FromObject(map[string]string{"Action": wire.KeyActionRetireExpiredKeys}),
		})},
	})

	slots := 1
	if schedule != "" {
		slots = 2
		m.addRotation(scope, schedule)
		scope.Node().AddValidation(&rotationCheck{m})
	}
	problems.Report(scope)
	return slots
}

// WarningRotationInHours is the ID of the synth warning for a rotation
// interval longer than a day that is not a whole number of days.
const WarningRotationInHours = "ivscdk:ivs:rotationInHours"

// rotationSchedule returns Secrets Manager's rate() expression for every,
// or "" for no rotation, and whether it is hours that make no whole days
// beyond a day (allowed, but worth a warning). The refusals rest on the
// Secrets Manager API reference, RotationRulesType: rate() takes a whole
// number of hours or days, "you can rotate a secret as often as every four
// hours" (ScheduleExpression), and an interval of days is 1 to 1000
// (AutomaticallyAfterDays).
func rotationSchedule(problems *check.Problems, every time.Duration) (schedule string, oddHours bool) {
	const day = 24 * time.Hour
	switch {
	case every == 0:
		return "", false
	case every%day == 0 && every/day >= 1 && every/day <= 1000:
		return fmt.Sprintf("rate(%d days)", every/day), false
	case every%time.Hour == 0 && every >= 4*time.Hour && every <= 1000*day:
		return fmt.Sprintf("rate(%d hours)", every/time.Hour), every > day
	}
	problems.Addf("RotationInterval %s is invalid: Secrets Manager rotates at most every 4 hours and at least every 1000 days, "+
		"in whole hours or whole days (Secrets Manager API reference, RotationRulesType); for example 30 * 24 * time.Hour", every)
	return "", false
}

// grantKeyManagement gives the key manager exactly what it calls: the IVS
// key operations, and reading, writing and relabelling this secret.
//
// IVS gives a key its ARN when it is imported, so the key operations name
// every key of the kind; IAM conditions then narrow them to this secret's
// keys, as far as the Service Authorization Reference (Amazon Interactive
// Video Service) allows: the key resource types take aws:ResourceTag, and
// TagResource aws:RequestTag and aws:TagKeys. Delete is allowed only on
// keys tagged with this secret; tagging only with this secret's tag keys
// and secret ARN.
func (m *managedKey) grantKeyManagement(scope constructs.Construct) {
	stack := awscdk.Stack_Of(scope)
	keys := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ivs"), Resource: jsii.String(m.spec.arnResource), ResourceName: jsii.String("*")})
	fn := m.function
	secretArn := m.secret.SecretArn()
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(m.spec.importAction),
		Resources: &[]*string{keys},
	}))
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings(m.spec.deleteAction),
		Resources:  &[]*string{keys},
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/" + wire.KeyTagSecret: secretArn}},
	}))
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ivs:TagResource"),
		Resources: &[]*string{keys},
		Conditions: &map[string]any{
			"StringEquals":              map[string]any{"aws:RequestTag/" + wire.KeyTagSecret: secretArn},
			"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{wire.KeyTagSecret, wire.KeyTagVersion}},
		},
	}))
	listOn, listReason := keys, ""
	if !m.spec.listOnKeys {
		listOn = jsii.String("*")
		listReason = " " + m.spec.listAction + " is granted on \"*\": the copy of the Service Authorization Reference " +
			"retrievable when this was written predates IVS public keys and names no resource type for it."
	}
	fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(m.spec.listAction),
		Resources: &[]*string{listOn},
	}))
	policy := fn.Role().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
	appliesTo := []string{"Resource::arn:<AWS::Partition>:ivs:<AWS::Region>:<AWS::AccountId>:" + m.spec.arnResource + "/*"}
	if !m.spec.listOnKeys {
		appliesTo = append(appliesTo, "Resource::*")
	}
	lambdafn.SuppressNag(policy, "AwsSolutions-IAM5",
		"IVS gives a "+m.spec.kind+" its ID when it is imported, so the key manager cannot name its keys in advance; "+
			"deleting and tagging are conditioned on the secret's tag (aws:ResourceTag, aws:RequestTag, aws:TagKeys), and "+
			m.spec.listAction+" returns only summaries."+listReason, appliesTo...)
}

// grantSecret lets the key manager read, write and relabel its secret.
func (m *managedKey) grantSecret() {
	m.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
			"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"),
		Resources: &[]*string{m.secret.SecretArn()},
	}))
	if m.opts.EncryptionKey != nil {
		m.opts.EncryptionKey.Grant(m.function, jsii.String("kms:Decrypt"), jsii.String("kms:GenerateDataKey"))
	}
}

// addRotation schedules rotation with the key manager as rotation function.
// It waits for the first key, and never rotates at deploy time.
func (m *managedKey) addRotation(scope constructs.Construct, schedule string) {
	m.function.AddPermission(jsii.String("SecretsManagerRotation"), &awslambda.Permission{
		Principal:     awsiam.NewServicePrincipal(jsii.String("secretsmanager.amazonaws.com"), nil),
		SourceAccount: awscdk.Stack_Of(scope).Account(),
	})
	rotation := awssecretsmanager.NewCfnRotationSchedule(scope, jsii.String("Rotation"), &awssecretsmanager.CfnRotationScheduleProps{
		SecretId:                  m.secret.SecretArn(),
		RotationLambdaArn:         m.function.FunctionArn(),
		RotateImmediatelyOnUpdate: jsii.Bool(false),
		RotationRules:             &awssecretsmanager.CfnRotationSchedule_RotationRulesProperty{ScheduleExpression: jsii.String(schedule)},
	})
	rotation.Node().AddDependency(m.resource)
}

// Secret returns the secret holding the private key (JSON: privateKeyPem,
// publicKeyPem; package github.com/ivscdk/ivscdk/handler/keysecret reads
// it).
func (m *managedKey) Secret() awssecretsmanager.ISecret { return m.secret }

// Function returns the key manager Lambda function.
func (m *managedKey) Function() awslambda.IFunction { return m.function }

// GrantReadPrivateKey lets grantee read the private key, to sign tokens in
// a service of its own (secretsmanager:GetSecretValue and DescribeSecret
// on the secret, and decrypting with its KMS key). Set
// ExternalTokenLifetime when that service's tokens live long.
func (m *managedKey) GrantReadPrivateKey(grantee awsiam.IGrantable) awsiam.Grant {
	return m.secret.GrantRead(grantee, nil)
}

// GracePeriod returns how long a rotated-out key stays in IVS: the longest
// token lifetime plus key cache time of the endpoints signing with this
// key, or ExternalTokenLifetime, whichever is longer; DefaultGracePeriod
// when neither is known. It is final once every endpoint is defined.
func (m *managedKey) GracePeriod() time.Duration {
	g, _ := m.grace()
	return g
}

// grace returns the grace period and what sets it.
func (m *managedKey) grace() (time.Duration, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.users) == 0 && m.opts.ExternalTokenLifetime == 0 {
		return DefaultGracePeriod, "ivscdk's default for keys no endpoint uses"
	}
	g, why := m.opts.ExternalTokenLifetime, "ExternalTokenLifetime"
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
// grace (token lifetime plus key cache time) with this key.
func (m *managedKey) signsFor(path string, grace time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users[path] = grace
}

type gracePeriodProducer struct{ m *managedKey }

// Produce implements awscdk.IStableStringProducer: the grace period is
// known only once every endpoint using the key is defined.
func (p *gracePeriodProducer) Produce() *string {
	return jsii.String(p.m.GracePeriod().String())
}

type rotationCheck struct{ m *managedKey }

// Validate implements constructs.IValidation.
func (c *rotationCheck) Validate() *[]*string {
	every := c.m.opts.RotationInterval
	grace, why := c.m.grace()
	if every >= grace {
		return &[]*string{}
	}
	return &[]*string{jsii.String(fmt.Sprintf("RotationInterval %s is shorter than the grace period %s (%s): the previous key must stay "+
		"in IVS until no token signed with it can be used, and a third key would be needed; rotate less often or shorten "+
		"the tokens", every, grace, strings.TrimSpace(why)))}
}
