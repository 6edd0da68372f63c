package managedkey

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ivscdk/ivscdk/internal/wire"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// The custom resource's property and attribute names.
const (
	// PropertySecretArn is the custom resource property naming the secret.
	PropertySecretArn = wire.KeyPropertySecretArn
	// AttributeKeyArn is the attribute holding the ARN of the IVS key (a
	// playback key pair or a public key) of the secret's current version
	// when the resource was created or last updated.
	AttributeKeyArn = wire.KeyAttributeKeyArn
	// AttributeKeyGroupID is the attribute holding the ID of the
	// CloudFront key group, for a manager whose store is a KeyGroupStore.
	AttributeKeyGroupID = wire.KeyAttributeKeyGroupID
)

// HandleCustomResource serves the CloudFormation custom resource of a
// managed key pair. Its physical ID is the secret's ARN, so rotation never
// replaces it.
//
//   - Create: unless the secret already holds a managed key (a retried
//     create), generate one and put it as the secret's AWSCURRENT version;
//     then import its public key into IVS (unless imported already).
//   - Update: the same for the secret named now (a new secret is a new
//     physical ID, and CloudFormation then deletes the old one).
//   - Delete: delete every IVS key tagged with the secret named by the
//     physical resource ID. The secret itself is CloudFormation's, and
//     follows its removal policy.
//
// Delete trusts only the physical ID, which this function chose, never
// ResourceProperties: a Delete whose properties name another secret must
// not delete that secret's keys. A physical ID that is no secret ARN (a
// create that failed before it named one) has no keys to delete.
//
// The response data holds only the key's ARN (and, for CloudFront keys,
// the key group's ID).
func (m *Manager) HandleCustomResource(ctx context.Context, event cfn.Event) (string, map[string]any, error) {
	if event.RequestType == cfn.RequestDelete {
		secretArn := event.PhysicalResourceID
		if !isSecretArn(secretArn) || m.serves(secretArn) != nil {
			m.logf("Delete of physical ID %q: not a secret of this function; nothing to delete", secretArn)
			return event.PhysicalResourceID, nil, nil
		}
		return event.PhysicalResourceID, nil, m.deleteAll(ctx, secretArn)
	}
	secretArn, _ := event.ResourceProperties[PropertySecretArn].(string)
	if secretArn == "" {
		return event.PhysicalResourceID, nil, fmt.Errorf("the custom resource property %s is missing", PropertySecretArn)
	}
	if err := m.serves(secretArn); err != nil {
		return event.PhysicalResourceID, nil, err
	}
	switch event.RequestType {
	case cfn.RequestCreate, cfn.RequestUpdate:
		arn, err := m.initialKey(ctx, secretArn)
		if err != nil {
			return secretArn, nil, err
		}
		data := map[string]any{AttributeKeyArn: arn}
		if groups, ok := m.Keys.(KeyGroupStore); ok {
			id, err := groups.EnsureInGroup(ctx, arn)
			if err != nil {
				return secretArn, nil, err
			}
			data[AttributeKeyGroupID] = id
		}
		return secretArn, data, nil
	}
	return event.PhysicalResourceID, nil, fmt.Errorf("unknown request type %q", event.RequestType)
}

// isSecretArn reports whether s has the form of a Secrets Manager secret
// ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME).
func isSecretArn(s string) bool {
	parts := strings.SplitN(s, ":", 7)
	return len(parts) == 7 && parts[0] == "arn" && parts[2] == "secretsmanager" && parts[5] == "secret" && parts[6] != ""
}

// initialKey makes sure the secret's AWSCURRENT version holds a managed key
// and that IVS has its public half.
func (m *Manager) initialKey(ctx context.Context, secretArn string) (string, error) {
	versionID, value, err := m.secretValue(ctx, secretArn, "", stageCurrent)
	if err != nil && !isNotFound(err) {
		return "", fmt.Errorf("reading secret %s: %w", secretArn, err)
	}
	if err != nil || !m.holdsManagedKey(value) {
		if value, err = m.format().New(); err != nil {
			return "", err
		}
		versionID = m.newVersionID()
		if err := m.putCurrent(ctx, secretArn, versionID, value); err != nil {
			return "", err
		}
		m.logf("generated a key pair into secret %s version %s", secretArn, versionID)
	}
	return m.ensureKeyPair(ctx, secretArn, versionID, value)
}

// newVersionID returns the ID of a version the manager makes itself (not
// one Secrets Manager's rotation names).
func (m *Manager) newVersionID() string {
	if m.NewVersionID != nil {
		return m.NewVersionID()
	}
	return ivstoken.NewUUID()
}

// putCurrent stores value as version versionID and makes it AWSCURRENT in
// one call (Secrets Manager gives the old version AWSPREVIOUS).
func (m *Manager) putCurrent(ctx context.Context, secretArn, versionID, value string) error {
	_, err := m.Secrets.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(secretArn),
		ClientRequestToken: aws.String(versionID),
		SecretString:       aws.String(value),
		VersionStages:      []string{stageCurrent},
	})
	if err != nil {
		return fmt.Errorf("storing the new private key in secret %s: %w", secretArn, err)
	}
	return nil
}

func (m *Manager) holdsManagedKey(value string) bool {
	_, err := m.format().PublicKeyPEM(value)
	return err == nil
}

// deleteAll deletes every IVS key pair tagged with the secret.
func (m *Manager) deleteAll(ctx context.Context, secretArn string) error {
	byVersion, err := m.keyPairsOf(ctx, secretArn)
	if err != nil {
		return err
	}
	var errs []error
	for _, arns := range byVersion {
		for _, arn := range arns {
			errs = append(errs, m.deleteKeyPair(ctx, arn))
		}
	}
	return errors.Join(errs...)
}
