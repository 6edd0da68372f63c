package managedkey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// CloudFrontAPI is the part of the CloudFront client CloudFrontPublicKeys
// calls.
type CloudFrontAPI interface {
	CreatePublicKey(context.Context, *cloudfront.CreatePublicKeyInput, ...func(*cloudfront.Options)) (*cloudfront.CreatePublicKeyOutput, error)
	ListPublicKeys(context.Context, *cloudfront.ListPublicKeysInput, ...func(*cloudfront.Options)) (*cloudfront.ListPublicKeysOutput, error)
	GetPublicKey(context.Context, *cloudfront.GetPublicKeyInput, ...func(*cloudfront.Options)) (*cloudfront.GetPublicKeyOutput, error)
	DeletePublicKey(context.Context, *cloudfront.DeletePublicKeyInput, ...func(*cloudfront.Options)) (*cloudfront.DeletePublicKeyOutput, error)
	CreateKeyGroup(context.Context, *cloudfront.CreateKeyGroupInput, ...func(*cloudfront.Options)) (*cloudfront.CreateKeyGroupOutput, error)
	ListKeyGroups(context.Context, *cloudfront.ListKeyGroupsInput, ...func(*cloudfront.Options)) (*cloudfront.ListKeyGroupsOutput, error)
	GetKeyGroup(context.Context, *cloudfront.GetKeyGroupInput, ...func(*cloudfront.Options)) (*cloudfront.GetKeyGroupOutput, error)
	UpdateKeyGroup(context.Context, *cloudfront.UpdateKeyGroupInput, ...func(*cloudfront.Options)) (*cloudfront.UpdateKeyGroupOutput, error)
	DeleteKeyGroup(context.Context, *cloudfront.DeleteKeyGroupInput, ...func(*cloudfront.Options)) (*cloudfront.DeleteKeyGroupOutput, error)
}

// KeyGroupStore is a KeyStore whose keys are trusted through a CloudFront
// key group. The custom resource reports the group's ID (attribute
// AttributeKeyGroupID) for the distribution's cache behaviours.
type KeyGroupStore interface {
	KeyStore
	// EnsureInGroup puts the key with ID keyID in the store's key group,
	// creating the group if there is none, and returns the group's ID.
	EnsureInGroup(ctx context.Context, keyID string) (string, error)
}

// CloudFrontPublicKeys keeps the public keys as CloudFront public keys in
// one key group, for signed cookies and URLs. Each key is named
// <namePrefix>-<secret version ID> (CloudFront public keys carry no tags,
// so the name says which version a key holds, and List reports it as the
// tags the other stores carry); the key group is named namePrefix.
//
// Import creates the key and adds it to the group; Delete takes it out of
// the group first (CloudFront refuses to delete a key a group holds) and
// deletes the group with its last key, since a key group holds at least
// one key (API reference, CreateKeyGroup). Every change of the group sends
// the ETag it read, so two writers never lose each other's change.
func CloudFrontPublicKeys(client CloudFrontAPI, secretArn, namePrefix string) KeyGroupStore {
	return cloudFrontKeys{client: client, secretArn: secretArn, prefix: namePrefix}
}

// keyComment describes every key and key group the store makes (at most
// 128 characters, API reference, PublicKeyConfig and KeyGroupConfig).
const keyComment = "Managed by ivscdk: rotated through a Secrets Manager secret; do not edit"

type cloudFrontKeys struct {
	client    CloudFrontAPI
	secretArn string
	prefix    string
}

func (cloudFrontKeys) Kind() string { return "CloudFront public key" }

// List returns the keys named after the store's prefix, each with the
// tags TagSecret and TagVersion its name stands for.
func (s cloudFrontKeys) List(ctx context.Context) ([]StoredKey, error) {
	var out []StoredKey
	in := &cloudfront.ListPublicKeysInput{}
	for {
		page, err := s.client.ListPublicKeys(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("listing CloudFront public keys: %w", err)
		}
		if page.PublicKeyList == nil {
			return out, nil
		}
		for _, k := range page.PublicKeyList.Items {
			version, ok := strings.CutPrefix(aws.ToString(k.Name), s.prefix+"-")
			if !ok || version == "" {
				continue
			}
			out = append(out, StoredKey{
				Arn:  aws.ToString(k.Id),
				Tags: map[string]string{TagSecret: s.secretArn, TagVersion: version},
			})
		}
		next := aws.ToString(page.PublicKeyList.NextMarker)
		if next == "" {
			return out, nil
		}
		in = &cloudfront.ListPublicKeysInput{Marker: aws.String(next)}
	}
}

// Import creates the public key (its caller reference is its name, so a
// retried create finds the key made before) and adds it to the group.
func (s cloudFrontKeys) Import(ctx context.Context, name, publicKeyPEM string, _ map[string]string) (string, error) {
	out, err := s.client.CreatePublicKey(ctx, &cloudfront.CreatePublicKeyInput{PublicKeyConfig: &cftypes.PublicKeyConfig{
		CallerReference: aws.String(name),
		Name:            aws.String(name),
		EncodedKey:      aws.String(publicKeyPEM),
		Comment:         aws.String(keyComment),
	}})
	var id string
	var exists *cftypes.PublicKeyAlreadyExists
	switch {
	case errors.As(err, &exists):
		if id, err = s.idOf(ctx, name); err != nil {
			return "", err
		}
	case err != nil:
		return "", err
	default:
		id = aws.ToString(out.PublicKey.Id)
	}
	if _, err := s.EnsureInGroup(ctx, id); err != nil {
		return "", err
	}
	return id, nil
}

// idOf finds the ID of the key named name.
func (s cloudFrontKeys) idOf(ctx context.Context, name string) (string, error) {
	keys, err := s.List(ctx)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		if s.prefix+"-"+k.Tags[TagVersion] == name {
			return k.Arn, nil
		}
	}
	return "", fmt.Errorf("CloudFront says a public key named %s exists, but does not list it", name)
}

// group finds the store's key group: its ID, ETag and configuration, or
// an empty ID when there is none.
func (s cloudFrontKeys) group(ctx context.Context) (string, string, *cftypes.KeyGroupConfig, error) {
	in := &cloudfront.ListKeyGroupsInput{}
	for {
		page, err := s.client.ListKeyGroups(ctx, in)
		if err != nil {
			return "", "", nil, fmt.Errorf("listing CloudFront key groups: %w", err)
		}
		if page.KeyGroupList == nil {
			return "", "", nil, nil
		}
		for _, g := range page.KeyGroupList.Items {
			if g.KeyGroup == nil || g.KeyGroup.KeyGroupConfig == nil || aws.ToString(g.KeyGroup.KeyGroupConfig.Name) != s.prefix {
				continue
			}
			// The list has no ETag; the group's own read has.
			got, err := s.client.GetKeyGroup(ctx, &cloudfront.GetKeyGroupInput{Id: g.KeyGroup.Id})
			if err != nil {
				return "", "", nil, fmt.Errorf("reading CloudFront key group %s: %w", aws.ToString(g.KeyGroup.Id), err)
			}
			return aws.ToString(got.KeyGroup.Id), aws.ToString(got.ETag), got.KeyGroup.KeyGroupConfig, nil
		}
		next := aws.ToString(page.KeyGroupList.NextMarker)
		if next == "" {
			return "", "", nil, nil
		}
		in = &cloudfront.ListKeyGroupsInput{Marker: aws.String(next)}
	}
}

func (s cloudFrontKeys) EnsureInGroup(ctx context.Context, keyID string) (string, error) {
	id, etag, cfg, err := s.group(ctx)
	if err != nil {
		return "", err
	}
	if id == "" {
		out, err := s.client.CreateKeyGroup(ctx, &cloudfront.CreateKeyGroupInput{KeyGroupConfig: &cftypes.KeyGroupConfig{
			Name:    aws.String(s.prefix),
			Items:   []string{keyID},
			Comment: aws.String(keyComment),
		}})
		if err != nil {
			return "", fmt.Errorf("creating CloudFront key group %s: %w", s.prefix, err)
		}
		return aws.ToString(out.KeyGroup.Id), nil
	}
	if slices.Contains(cfg.Items, keyID) {
		return id, nil
	}
	cfg.Items = append(cfg.Items, keyID)
	if _, err := s.client.UpdateKeyGroup(ctx, &cloudfront.UpdateKeyGroupInput{Id: aws.String(id), IfMatch: aws.String(etag), KeyGroupConfig: cfg}); err != nil {
		var tooMany *cftypes.TooManyPublicKeysInKeyGroup
		if errors.As(err, &tooMany) {
			return "", fmt.Errorf("%w: CloudFront key group %s holds its maximum of public keys (five by default, "+
				"Developer Guide, \"Specify signers that can create signed URLs and signed cookies\"): %w", errKeyQuota, s.prefix, err)
		}
		return "", fmt.Errorf("adding public key %s to CloudFront key group %s: %w", keyID, s.prefix, err)
	}
	return id, nil
}

// Delete takes the key out of the group (deleting the group if it was the
// last key) and deletes it; a key already gone is no error.
func (s cloudFrontKeys) Delete(ctx context.Context, keyID string) error {
	id, etag, cfg, err := s.group(ctx)
	if err != nil {
		return err
	}
	if id != "" && slices.Contains(cfg.Items, keyID) {
		cfg.Items = slices.DeleteFunc(cfg.Items, func(k string) bool { return k == keyID })
		if len(cfg.Items) == 0 {
			_, err = s.client.DeleteKeyGroup(ctx, &cloudfront.DeleteKeyGroupInput{Id: aws.String(id), IfMatch: aws.String(etag)})
		} else {
			_, err = s.client.UpdateKeyGroup(ctx, &cloudfront.UpdateKeyGroupInput{Id: aws.String(id), IfMatch: aws.String(etag), KeyGroupConfig: cfg})
		}
		var gone *cftypes.NoSuchResource
		if err != nil && !errors.As(err, &gone) {
			return fmt.Errorf("taking public key %s out of CloudFront key group %s: %w", keyID, s.prefix, err)
		}
	}
	got, err := s.client.GetPublicKey(ctx, &cloudfront.GetPublicKeyInput{Id: aws.String(keyID)})
	var missing *cftypes.NoSuchPublicKey
	if errors.As(err, &missing) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.client.DeletePublicKey(ctx, &cloudfront.DeletePublicKeyInput{Id: aws.String(keyID), IfMatch: got.ETag})
	if errors.As(err, &missing) {
		return nil
	}
	return err
}
