package managedkey

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// Actions the key manager takes besides CloudFormation requests and
// rotation steps: the event {"Action": "..."}.
const (
	// ActionRetireExpiredKeys deletes the keys whose grace period has
	// ended. The construct invokes it on a schedule, so a rotated-out key
	// leaves IVS soon after its grace period, not at the next rotation.
	ActionRetireExpiredKeys = wire.KeyActionRetireExpiredKeys
	// ActionRevoke is the emergency revocation of a compromised key: a new
	// key becomes current at once and every other IVS key of the secret is
	// deleted, so that no token signed with them starts a new playback or
	// join. Unlike a rotation it cuts valid tokens, on purpose.
	ActionRevoke = "Revoke"
)

// RevokeReport is the key manager's answer to ActionRevoke.
type RevokeReport struct {
	// Revoked are the ARNs of the IVS keys deleted.
	Revoked []string `json:"revoked"`
	// Current is the ARN of the new key's IVS key.
	Current string `json:"current"`
	// Version is the secret version ID of the new key (AWSCURRENT).
	Version string `json:"version"`
	// Note says what happens next.
	Note string `json:"note"`
}

// RetireExpired deletes the secret's IVS keys whose grace period has ended
// (see retire).
func (m *Manager) RetireExpired(ctx context.Context, secretArn string) error {
	desc, err := m.Secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(secretArn)})
	if err != nil {
		return fmt.Errorf("describing secret %s: %w", secretArn, err)
	}
	return m.retire(ctx, aws.ToString(desc.ARN), desc)
}

// Revoke replaces the secret's key at once and deletes every other IVS key
// of the secret. The order keeps the gap without a usable key as short as
// IVS's quota allows: keys of versions other than AWSCURRENT go first
// (they are revoked anyway, and free quota); the new public key is
// imported, and only if the quota is still full is the current key deleted
// before that; then the new version becomes AWSCURRENT in one
// PutSecretValue (Secrets Manager moves the label and gives the old
// version AWSPREVIOUS); then the old current key goes. Token endpoints
// sign with the new key once their key cache reads the secret again
// (within half of KeyCacheTTL).
func (m *Manager) Revoke(ctx context.Context, secretArn string) (*RevokeReport, error) {
	value, err := m.format().New()
	if err != nil {
		return nil, err
	}
	version := m.newVersionID()
	current, _, err := m.secretValue(ctx, secretArn, "", stageCurrent)
	if err != nil {
		return nil, fmt.Errorf("revoking: reading the current version of secret %s: %w (nothing was revoked)", secretArn, err)
	}
	report := &RevokeReport{Version: version}
	// deleteKeys deletes the keys of the versions keep does not want.
	deleteKeys := func(keep func(version string) bool) error {
		byVersion, err := m.keyPairsOf(ctx, secretArn)
		if err != nil {
			return err
		}
		for _, v := range sortedKeys(byVersion) {
			if keep(v) {
				continue
			}
			for _, old := range byVersion[v] {
				if err := m.deleteKeyPair(ctx, old); err != nil {
					return err
				}
				report.Revoked = append(report.Revoked, old)
			}
		}
		return nil
	}
	if err := deleteKeys(func(v string) bool { return v == current || v == version }); err != nil {
		return nil, fmt.Errorf("revoking: %w; the current key was not replaced: run the revocation again", err)
	}
	arn, err := m.ensureKeyPair(ctx, secretArn, version, value)
	if isQuotaExceeded(err) {
		m.logf("revoking: the key quota is full; deleting the current key before importing the new one")
		if err := deleteKeys(func(v string) bool { return v == version }); err != nil {
			return nil, fmt.Errorf("revoking: %w; run the revocation again", err)
		}
		arn, err = m.ensureKeyPair(ctx, secretArn, version, value)
	}
	if err != nil {
		return nil, fmt.Errorf("revoking: %w; the current key was not replaced: run the revocation again", err)
	}
	if err := m.putCurrent(ctx, secretArn, version, value); err != nil {
		return nil, fmt.Errorf("revoking: %w; the current key was not replaced: run the revocation "+
			"again (the unused key %s goes with the next sweep)", err, arn)
	}
	report.Current = arn
	if err := deleteKeys(func(v string) bool { return v == version }); err != nil {
		return nil, fmt.Errorf("revoking: the new key is current, but %w; run the revocation again", err)
	}
	report.Note = fmt.Sprintf("%d %s(s) deleted: tokens signed with them no longer start playback or a join, "+
		"valid ones included. Token endpoints sign with the new key once their key cache reads the secret again "+
		"(within half of KeyCacheTTL).", len(report.Revoked), m.Keys.Kind())
	m.logf("revoked secret %s: new version %s, %s %s; deleted %v", secretArn, version, m.Keys.Kind(), arn, report.Revoked)
	return report, nil
}
