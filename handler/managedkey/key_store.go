package managedkey

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"

	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
)

// errKeyQuota marks an import IVS refused because the region holds as many
// keys as its quota allows.
var errKeyQuota = errors.New("IVS key quota reached")

func isQuotaExceeded(err error) bool { return errors.Is(err, errKeyQuota) }

// StoredKey is a public key IVS holds, as a KeyStore lists it.
type StoredKey struct {
	// Arn is the key's ARN in IVS.
	Arn string
	// Tags are the key's tags, which name the secret version it holds.
	Tags map[string]string
}

// KeyStore is where the public halves of a secret's keys go: IVS playback
// key pairs (for playback tokens) or IVS real-time public keys (for
// participant tokens).
type KeyStore interface {
	// Kind names the resource in messages, such as "IVS playback key pair".
	Kind() string
	// List returns every key of the region, with its tags.
	List(ctx context.Context) ([]StoredKey, error)
	// Import imports a PEM public key under name with tags and returns
	// its ARN.
	Import(ctx context.Context, name, publicKeyPEM string, tags map[string]string) (string, error)
	// Delete deletes a key; one already gone is no error.
	Delete(ctx context.Context, arn string) error
}

// PlaybackKeyPairs keeps the public keys as IVS playback key pairs.
func PlaybackKeyPairs(client IVSAPI) KeyStore { return playbackKeyPairs{client} }

// PublicKeys keeps the public keys as IVS real-time public keys (the
// resource AWS::IVS::PublicKey creates), with a client for cfg.
func PublicKeys(cfg aws.Config) KeyStore { return publicKeys{realtimeapi.New(cfg)} }

type playbackKeyPairs struct{ client IVSAPI }

func (playbackKeyPairs) Kind() string { return "IVS playback key pair" }

func (s playbackKeyPairs) List(ctx context.Context) ([]StoredKey, error) {
	var out []StoredKey
	pages := ivs.NewListPlaybackKeyPairsPaginator(s.client, &ivs.ListPlaybackKeyPairsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing IVS playback key pairs: %w", err)
		}
		for _, kp := range page.KeyPairs {
			out = append(out, StoredKey{Arn: aws.ToString(kp.Arn), Tags: kp.Tags})
		}
	}
	return out, nil
}

func (s playbackKeyPairs) Import(ctx context.Context, name, publicKeyPEM string, tags map[string]string) (string, error) {
	out, err := s.client.ImportPlaybackKeyPair(ctx, &ivs.ImportPlaybackKeyPairInput{
		Name: aws.String(name), PublicKeyMaterial: aws.String(publicKeyPEM), Tags: tags,
	})
	var quota *ivstypes.ServiceQuotaExceededException
	if errors.As(err, &quota) {
		return "", fmt.Errorf("%w: the region already has IVS's maximum of 3 playback key pairs "+
			"(user guide, \"Create or Import an IVS Playback Key\"); delete one that is not in use: %w", errKeyQuota, err)
	}
	if err != nil {
		return "", err
	}
	return aws.ToString(out.KeyPair.Arn), nil
}

func (s playbackKeyPairs) Delete(ctx context.Context, arn string) error {
	_, err := s.client.DeletePlaybackKeyPair(ctx, &ivs.DeletePlaybackKeyPairInput{Arn: aws.String(arn)})
	var missing *ivstypes.ResourceNotFoundException
	if errors.As(err, &missing) {
		return nil
	}
	return err
}

type publicKeys struct{ client *realtimeapi.Client }

func (publicKeys) Kind() string { return "IVS public key" }

func (s publicKeys) List(ctx context.Context) ([]StoredKey, error) {
	keys, err := s.client.ListPublicKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing IVS public keys: %w", err)
	}
	out := make([]StoredKey, 0, len(keys))
	for _, k := range keys {
		out = append(out, StoredKey{Arn: k.Arn, Tags: k.Tags})
	}
	return out, nil
}

func (s publicKeys) Import(ctx context.Context, name, publicKeyPEM string, tags map[string]string) (string, error) {
	k, err := s.client.ImportPublicKey(ctx, name, publicKeyPEM, tags)
	if realtimeapi.IsQuotaExceeded(err) {
		return "", fmt.Errorf("%w: the region has reached IVS's quota of public keys; delete one that is not in use: %w", errKeyQuota, err)
	}
	if err != nil {
		return "", err
	}
	return k.Arn, nil
}

func (s publicKeys) Delete(ctx context.Context, arn string) error {
	if err := s.client.DeletePublicKey(ctx, arn); err != nil && !realtimeapi.IsNotFound(err) {
		return err
	}
	return nil
}

// FindKey returns the ARN of the key IVS holds for a secret's version, as
// the token endpoints need it for self-signed participant tokens (the
// "kid" header).
func FindKey(ctx context.Context, store KeyStore, secretArn, versionID string) (string, error) {
	keys, err := store.List(ctx)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		if k.Tags[TagSecret] == secretArn && k.Tags[TagVersion] == versionID {
			return k.Arn, nil
		}
	}
	return "", fmt.Errorf("there is no %s for version %s of secret %s", store.Kind(), versionID, secretArn)
}
