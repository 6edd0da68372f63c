// Package managedkey is the runtime half of ivs.ManagedPlaybackKeyPair,
// ivs.ManagedPublicKey and the managed cookie key of ivs.RecordingLibrary:
// it generates key pairs inside the account (ECDSA P-384 for IVS, P-256
// for CloudFront, see KeyFormat), keeps the private half only in an AWS
// Secrets Manager secret, imports the public half (as an IVS playback key
// pair, an IVS real-time public key, or a CloudFront public key in a key
// group, see KeyStore), and rotates the pair through Secrets Manager's
// rotation protocol.
//
// One Lambda function (github.com/ivscdk/ivscdk/lambda/managedkey) serves
// both entry points: the CloudFormation custom resource that creates the
// first key (HandleCustomResource) and the Secrets Manager rotation steps
// (HandleRotation). The package never imports the CDK.
//
// What is where:
//   - The secret's value is the JSON of SecretValue: both PEMs.
//   - Each IVS key pair the package imports is named NamePrefix-<secret
//     version ID> and tagged TagSecret=<secret ARN> and TagVersion=<secret
//     version ID>, so that every step can find the key pair of a version,
//     and deletion can remove every key pair of a secret.
//   - The private key is never logged, never returned to CloudFormation
//     (whose response data DescribeStackResources exposes) and never put in
//     an environment variable.
//
// Rotation follows AWS's four steps (createSecret, setSecret, testSecret,
// finishSecret), each idempotent and safe to retry, with the secret's
// staging labels as the only state; testSecret also passes Secrets
// Manager's set-up test, which has no key of ours to test. Signing moves
// to the new key at finishSecret, when AWSCURRENT moves. The old IVS key
// stays for GracePeriod after the rotation completed (tokens signed with
// it may start playback or a join until then) and is deleted by the first
// sweep after that: the construct runs ActionRetireExpiredKeys on a
// schedule, and every createSecret sweeps too. ActionRevoke is the
// emergency exit: a new key at once, every other key deleted.
package managedkey

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// Tags on every IVS key pair the package imports.
const (
	TagSecret  = wire.KeyTagSecret
	TagVersion = wire.KeyTagVersion
)

// Secrets Manager's staging labels.
const (
	stageCurrent  = "AWSCURRENT"
	stagePending  = "AWSPENDING"
	stagePrevious = "AWSPREVIOUS"
)

// IVSAPI is the part of the IVS client PlaybackKeyPairs calls.
type IVSAPI interface {
	ImportPlaybackKeyPair(context.Context, *ivs.ImportPlaybackKeyPairInput, ...func(*ivs.Options)) (*ivs.ImportPlaybackKeyPairOutput, error)
	ListPlaybackKeyPairs(context.Context, *ivs.ListPlaybackKeyPairsInput, ...func(*ivs.Options)) (*ivs.ListPlaybackKeyPairsOutput, error)
	DeletePlaybackKeyPair(context.Context, *ivs.DeletePlaybackKeyPairInput, ...func(*ivs.Options)) (*ivs.DeletePlaybackKeyPairOutput, error)
}

// SecretsAPI is the part of the Secrets Manager client the package calls.
type SecretsAPI interface {
	GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	PutSecretValue(context.Context, *secretsmanager.PutSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	DescribeSecret(context.Context, *secretsmanager.DescribeSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
	UpdateSecretVersionStage(context.Context, *secretsmanager.UpdateSecretVersionStageInput, ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error)
}

// Manager manages the key pairs of one secret's versions.
type Manager struct {
	// Keys is where the public halves go: PlaybackKeyPairs, PublicKeys or
	// CloudFrontPublicKeys.
	Keys KeyStore
	// Format is the kind of key pair generated: PlaybackKeys (for IVS,
	// the default when nil) or CookieKeys (for CloudFront).
	Format KeyFormat
	// Secrets reads and writes the secret holding the private keys.
	Secrets SecretsAPI
	// NamePrefix starts the name of every IVS key pair (letters, digits,
	// '-' and '_'; at most 90 characters, leaving room for the version ID).
	NamePrefix string
	// GracePeriod is how long after a rotation tokens signed with the old
	// key can still start playback: the longest token lifetime of the
	// endpoints using the key plus how long they cache it.
	GracePeriod time.Duration
	// SecretArn is the one secret this manager serves. When set, requests
	// naming another secret are refused: the function's IAM policy is
	// scoped to it anyway, and a confused request fails with a clear
	// message.
	SecretArn string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// NewVersionID makes the first version's ID; ivstoken.NewUUID when nil.
	NewVersionID func() string
	// Logf logs progress (never key material); log.Printf when nil.
	Logf func(format string, args ...any)
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Manager) format() KeyFormat {
	if m.Format != nil {
		return m.Format
	}
	return PlaybackKeys
}

func (m *Manager) logf(format string, args ...any) {
	if m.Logf != nil {
		m.Logf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// serves reports whether the manager may act on secretArn.
func (m *Manager) serves(secretArn string) error {
	if m.SecretArn != "" && secretArn != m.SecretArn {
		return fmt.Errorf("this function serves secret %s, not %s", m.SecretArn, secretArn)
	}
	return nil
}

// keyPairsOf lists the keys in IVS tagged with the secret, by version ID.
func (m *Manager) keyPairsOf(ctx context.Context, secretArn string) (map[string][]string, error) {
	keys, err := m.Keys.List(ctx)
	if err != nil {
		return nil, err
	}
	byVersion := map[string][]string{}
	for _, k := range keys {
		if k.Tags[TagSecret] == secretArn && k.Arn != "" {
			byVersion[k.Tags[TagVersion]] = append(byVersion[k.Tags[TagVersion]], k.Arn)
		}
	}
	return byVersion, nil
}

// ensureKeyPair imports the public key of the secret's version into IVS
// unless a key of that version exists, and returns its ARN.
func (m *Manager) ensureKeyPair(ctx context.Context, secretArn, versionID, value string) (string, error) {
	existing, err := m.keyPairsOf(ctx, secretArn)
	if err != nil {
		return "", err
	}
	if arns := existing[versionID]; len(arns) > 0 {
		// A key group store may have made the key but not yet put it in
		// its group (an import cut short): finish that first.
		if err := m.ensureInGroup(ctx, arns[0]); err != nil {
			return "", err
		}
		return arns[0], nil
	}
	// PublicKeyPEM checks that this is the public half the secret holds.
	publicPEM, err := m.format().PublicKeyPEM(value)
	if err != nil {
		return "", fmt.Errorf("version %s: %w", versionID, err)
	}
	arn, err := m.Keys.Import(ctx, m.NamePrefix+"-"+versionID, publicPEM, map[string]string{TagSecret: secretArn, TagVersion: versionID})
	if err != nil {
		return "", fmt.Errorf("importing the %s: %w", m.Keys.Kind(), err)
	}
	m.logf("imported %s %s for secret %s version %s", m.Keys.Kind(), arn, secretArn, versionID)
	return arn, nil
}

// ensureInGroup puts the key in the store's key group, if it has one.
func (m *Manager) ensureInGroup(ctx context.Context, keyID string) error {
	if groups, ok := m.Keys.(KeyGroupStore); ok {
		_, err := groups.EnsureInGroup(ctx, keyID)
		return err
	}
	return nil
}

// deleteKeyPair deletes a key from IVS; one already gone is no error.
func (m *Manager) deleteKeyPair(ctx context.Context, arn string) error {
	if err := m.Keys.Delete(ctx, arn); err != nil {
		return fmt.Errorf("deleting %s %s: %w", m.Keys.Kind(), arn, err)
	}
	m.logf("deleted %s %s", m.Keys.Kind(), arn)
	return nil
}

// secretValue reads a version's value by ID and, when stage is not "",
// staging label.
func (m *Manager) secretValue(ctx context.Context, secretArn, versionID, stage string) (string, string, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretArn)}
	if versionID != "" {
		in.VersionId = aws.String(versionID)
	}
	if stage != "" {
		in.VersionStage = aws.String(stage)
	}
	out, err := m.Secrets.GetSecretValue(ctx, in)
	if err != nil {
		return "", "", err
	}
	return aws.ToString(out.VersionId), aws.ToString(out.SecretString), nil
}

func isNotFound(err error) bool {
	var nf *smtypes.ResourceNotFoundException
	return errors.As(err, &nf)
}

// sortedKeys returns the keys of m in order, so that logs and deletions
// follow the same order on every run.
func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// versionWith returns the ID of the version carrying stage, or "".
func versionWith(versions map[string][]string, stage string) string {
	for id, stages := range versions {
		if slices.Contains(stages, stage) {
			return id
		}
	}
	return ""
}
