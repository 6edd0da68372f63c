package managedkey

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// RotationEvent is what Secrets Manager sends a rotation function.
type RotationEvent struct {
	// SecretID is the ARN of the secret being rotated.
	SecretID string `json:"SecretId"`
	// ClientRequestToken is the ID of the version being made.
	ClientRequestToken string `json:"ClientRequestToken"`
	// Step is createSecret, setSecret, testSecret or finishSecret.
	Step string `json:"Step"`
}

// HandleRotation runs one rotation step. An error leaves AWSCURRENT, and so
// signing, on the key that works; Secrets Manager records the failure and
// the next attempt resumes where this one stopped.
func (m *Manager) HandleRotation(ctx context.Context, event RotationEvent) error {
	desc, err := m.Secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(event.SecretID)})
	if err != nil {
		return fmt.Errorf("%s: describing secret %s: %w", event.Step, event.SecretID, err)
	}
	secretArn, token := aws.ToString(desc.ARN), event.ClientRequestToken
	if err := m.serves(secretArn); err != nil {
		return fmt.Errorf("%s: %w", event.Step, err)
	}
	if !aws.ToBool(desc.RotationEnabled) {
		return fmt.Errorf("%s: secret %s does not have rotation enabled", event.Step, secretArn)
	}
	stages, ok := desc.VersionIdsToStages[token]
	if !ok {
		return fmt.Errorf("%s: secret %s has no version %s", event.Step, secretArn, token)
	}
	if slices.Contains(stages, stageCurrent) {
		m.logf("%s: version %s of secret %s is already AWSCURRENT", event.Step, token, secretArn)
		return nil
	}
	if !slices.Contains(stages, stagePending) {
		return fmt.Errorf("%s: version %s of secret %s is not AWSPENDING", event.Step, token, secretArn)
	}
	switch event.Step {
	case "createSecret":
		err = m.createSecret(ctx, secretArn, token, desc)
	case "setSecret":
		err = m.setSecret(ctx, secretArn, token)
	case "testSecret":
		err = m.testSecret(ctx, secretArn, token)
	case "finishSecret":
		err = m.finishSecret(ctx, secretArn, token, desc.VersionIdsToStages)
	default:
		err = fmt.Errorf("unknown step")
	}
	if err != nil {
		return fmt.Errorf("%s of secret %s version %s: %w", event.Step, secretArn, token, err)
	}
	m.logf("%s of secret %s version %s done", event.Step, secretArn, token)
	return nil
}

// createSecret retires the keys whose grace has ended, then generates the
// new key as the AWSPENDING version (unless it exists). A rotation inside
// the previous key's grace period goes ahead: the previous key stays until
// its grace ends (the scheduled sweep removes it), so for that while the
// secret has three keys in IVS.
func (m *Manager) createSecret(ctx context.Context, secretArn, token string, desc *secretsmanager.DescribeSecretOutput) error {
	if err := m.retire(ctx, secretArn, desc); err != nil {
		return err
	}
	if _, _, err := m.secretValue(ctx, secretArn, token, stagePending); err == nil {
		return nil
	} else if !isNotFound(err) {
		return fmt.Errorf("reading the pending version: %w", err)
	}
	value, err := m.format().New()
	if err != nil {
		return err
	}
	_, err = m.Secrets.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(secretArn),
		ClientRequestToken: aws.String(token),
		SecretString:       aws.String(value),
		VersionStages:      []string{stagePending},
	})
	if err != nil {
		return fmt.Errorf("storing the new private key: %w", err)
	}
	return nil
}

// retire deletes the IVS keys of the secret that no token can use any
// more. The keys of the AWSCURRENT and AWSPENDING versions stay. Every
// other key was current at the latest until the last completed rotation
// (DescribeSecret's LastRotatedDate, "the most recent date and time that
// the Secrets Manager rotation process was successfully completed"), so
// tokens signed with it start playback or a join until GracePeriod after
// that; it goes once that has passed. With no completed rotation, no
// other version was ever current (the custom resource made the first key,
// and a revocation deletes the rest itself): such keys are left over from
// abandoned rotations and go at once.
func (m *Manager) retire(ctx context.Context, secretArn string, desc *secretsmanager.DescribeSecretOutput) error {
	byVersion, err := m.keyPairsOf(ctx, secretArn)
	if err != nil {
		return err
	}
	current := versionWith(desc.VersionIdsToStages, stageCurrent)
	pending := versionWith(desc.VersionIdsToStages, stagePending)
	for _, version := range sortedKeys(byVersion) {
		if version == current || version == pending {
			continue
		}
		if desc.LastRotatedDate != nil {
			if until := desc.LastRotatedDate.Add(m.GracePeriod); m.now().Before(until) {
				m.logf("keeping the %s of version %s until %s: tokens signed with it may still be used", m.Keys.Kind(),
					version, until.UTC().Format(time.RFC3339))
				continue
			}
		}
		for _, arn := range byVersion[version] {
			if err := m.deleteKeyPair(ctx, arn); err != nil {
				return err
			}
		}
	}
	return nil
}

// setSecret imports the pending public key into IVS.
func (m *Manager) setSecret(ctx context.Context, secretArn, token string) error {
	_, value, err := m.secretValue(ctx, secretArn, token, stagePending)
	if err != nil {
		return fmt.Errorf("reading the pending version: %w", err)
	}
	_, err = m.ensureKeyPair(ctx, secretArn, token, value)
	return err
}

// testSecret checks that IVS has the pending key and that the pending
// private key signs tokens its public key verifies.
//
// Secrets Manager also runs testSecret alone, when rotation is set up
// without an immediate rotation (RotateSecret's RotateImmediately=false, or
// CloudFormation's RotateImmediatelyOnUpdate=false, as ivscdk sets it):
// "the test creates an AWSPENDING version of the secret and then removes
// it" (Secrets Manager API reference, RotateSecret). That version holds no
// value, or the current value: no createSecret made it, so there is
// nothing of ours to test. testSecret then passes and touches nothing: no
// IVS key is made or deleted, nothing is written to the secret.
// finishSecret refuses such a version, so a probe can never become
// AWSCURRENT.
func (m *Manager) testSecret(ctx context.Context, secretArn, token string) error {
	_, value, err := m.secretValue(ctx, secretArn, token, stagePending)
	if isNotFound(err) {
		m.logf("testSecret: version %s of secret %s has no value: Secrets Manager's set-up test; nothing to test", token, secretArn)
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the pending version: %w", err)
	}
	if _, current, err := m.secretValue(ctx, secretArn, "", stageCurrent); err == nil && current == value {
		m.logf("testSecret: version %s of secret %s holds the current value: Secrets Manager's set-up test; nothing to test", token, secretArn)
		return nil
	}
	return m.checkPending(ctx, secretArn, token, value)
}

// checkPending checks that value holds a managed key that IVS knows under
// version token and that signs tokens its public key verifies.
func (m *Manager) checkPending(ctx context.Context, secretArn, token, value string) error {
	if _, err := m.format().PublicKeyPEM(value); err != nil {
		return err
	}
	byVersion, err := m.keyPairsOf(ctx, secretArn)
	if err != nil {
		return err
	}
	if len(byVersion[token]) == 0 {
		return fmt.Errorf("there is no %s for the pending version: setSecret has not run or its key was deleted", m.Keys.Kind())
	}
	return m.format().Test(value, m.now())
}

// finishSecret moves AWSCURRENT to the pending version: from now on the
// token endpoints sign with it (after their key cache expires).
//
// It moves only a version that createSecret and setSecret made: one that
// holds a managed key other than the current one, which IVS knows.
func (m *Manager) finishSecret(ctx context.Context, secretArn, token string, versions map[string][]string) error {
	_, value, err := m.secretValue(ctx, secretArn, token, stagePending)
	if err != nil {
		return fmt.Errorf("reading the pending version: %w", err)
	}
	if _, current, err := m.secretValue(ctx, secretArn, "", stageCurrent); err == nil && current == value {
		return fmt.Errorf("the pending version holds the current key: createSecret has not made a new one")
	}
	if err := m.checkPending(ctx, secretArn, token, value); err != nil {
		return err
	}
	in := &secretsmanager.UpdateSecretVersionStageInput{
		SecretId:        aws.String(secretArn),
		VersionStage:    aws.String(stageCurrent),
		MoveToVersionId: aws.String(token),
	}
	if current := versionWith(versions, stageCurrent); current != "" {
		in.RemoveFromVersionId = aws.String(current)
	}
	if _, err := m.Secrets.UpdateSecretVersionStage(ctx, in); err != nil {
		return fmt.Errorf("moving AWSCURRENT to the new version: %w", err)
	}
	return nil
}
