package ivs

import "github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"

// Every ivscdk construct and imported resource satisfies the AWS CDK's
// reference interface for its resource type (package interfacesawsivs), so
// CDK APIs and other libraries typed on interfacesawsivs.IChannelRef and the
// rest take them as they take the L1 resources. These assertions keep it so.

var (
	_ interfacesawsivs.IAdConfigurationRef           = (*AdConfiguration)(nil)
	_ interfacesawsivs.IAdConfigurationRef           = (*importedAdConfiguration)(nil)
	_ interfacesawsivs.IChannelRef                   = (*Channel)(nil)
	_ interfacesawsivs.IChannelRef                   = (*importedChannel)(nil)
	_ interfacesawsivs.IEncoderConfigurationRef      = (*EncoderConfiguration)(nil)
	_ interfacesawsivs.IEncoderConfigurationRef      = (*importedEncoderConfiguration)(nil)
	_ interfacesawsivs.IIngestConfigurationRef       = (*IngestConfiguration)(nil)
	_ interfacesawsivs.IPlaybackKeyPairRef           = (*PlaybackKeyPair)(nil)
	_ interfacesawsivs.IPlaybackKeyPairRef           = (*importedPlaybackKeyPair)(nil)
	_ interfacesawsivs.IPlaybackKeyPairRef           = (*ManagedPlaybackKeyPair)(nil)
	_ interfacesawsivs.IPlaybackRestrictionPolicyRef = (*PlaybackRestrictionPolicy)(nil)
	_ interfacesawsivs.IPlaybackRestrictionPolicyRef = (*importedPlaybackRestrictionPolicy)(nil)
	_ interfacesawsivs.IPublicKeyRef                 = (*PublicKey)(nil)
	_ interfacesawsivs.IPublicKeyRef                 = (*importedPublicKey)(nil)
	_ interfacesawsivs.IPublicKeyRef                 = (*ManagedPublicKey)(nil)
	_ interfacesawsivs.IRecordingConfigurationRef    = (*RecordingConfiguration)(nil)
	_ interfacesawsivs.IRecordingConfigurationRef    = (*importedRecordingConfiguration)(nil)
	_ interfacesawsivs.IStageRef                     = (*Stage)(nil)
	_ interfacesawsivs.IStageRef                     = (*importedStage)(nil)
	_ interfacesawsivs.IStorageConfigurationRef      = (*StorageConfiguration)(nil)
	_ interfacesawsivs.IStorageConfigurationRef      = (*importedStorageConfiguration)(nil)
	_ interfacesawsivs.IStreamKeyRef                 = (*StreamKey)(nil)
	_ interfacesawsivs.IStreamKeyRef                 = (*importedStreamKey)(nil)
)

// AdConfigurationRef returns the reference other CDK constructs take (interfacesawsivs.IAdConfigurationRef): the ad configuration ARN.
func (a *AdConfiguration) AdConfigurationRef() *interfacesawsivs.AdConfigurationReference {
	return &interfacesawsivs.AdConfigurationReference{AdConfigurationArn: a.AdConfigurationArn()}
}

// AdConfigurationRef implements interfacesawsivs.IAdConfigurationRef.
func (i *importedAdConfiguration) AdConfigurationRef() *interfacesawsivs.AdConfigurationReference {
	return &interfacesawsivs.AdConfigurationReference{AdConfigurationArn: i.AdConfigurationArn()}
}

// ChannelRef returns the reference other CDK constructs take (interfacesawsivs.IChannelRef): the channel ARN.
func (c *Channel) ChannelRef() *interfacesawsivs.ChannelReference {
	return &interfacesawsivs.ChannelReference{ChannelArn: c.ChannelArn()}
}

// ChannelRef implements interfacesawsivs.IChannelRef.
func (i *importedChannel) ChannelRef() *interfacesawsivs.ChannelReference {
	return &interfacesawsivs.ChannelReference{ChannelArn: i.ChannelArn()}
}

// EncoderConfigurationRef returns the reference other CDK constructs take (interfacesawsivs.IEncoderConfigurationRef): the encoder configuration ARN.
func (e *EncoderConfiguration) EncoderConfigurationRef() *interfacesawsivs.EncoderConfigurationReference {
	return &interfacesawsivs.EncoderConfigurationReference{EncoderConfigurationArn: e.EncoderConfigurationArn()}
}

// EncoderConfigurationRef implements interfacesawsivs.IEncoderConfigurationRef.
func (i *importedEncoderConfiguration) EncoderConfigurationRef() *interfacesawsivs.EncoderConfigurationReference {
	return &interfacesawsivs.EncoderConfigurationReference{EncoderConfigurationArn: i.EncoderConfigurationArn()}
}

// IngestConfigurationRef returns the reference other CDK constructs take (interfacesawsivs.IIngestConfigurationRef): the ingest configuration ARN.
func (i *IngestConfiguration) IngestConfigurationRef() *interfacesawsivs.IngestConfigurationReference {
	return &interfacesawsivs.IngestConfigurationReference{IngestConfigurationArn: i.IngestConfigurationArn()}
}

// PlaybackKeyPairRef returns the reference other CDK constructs take (interfacesawsivs.IPlaybackKeyPairRef): the playback key pair ARN.
func (p *PlaybackKeyPair) PlaybackKeyPairRef() *interfacesawsivs.PlaybackKeyPairReference {
	return &interfacesawsivs.PlaybackKeyPairReference{PlaybackKeyPairArn: p.PlaybackKeyPairArn()}
}

// PlaybackKeyPairRef implements interfacesawsivs.IPlaybackKeyPairRef.
func (i *importedPlaybackKeyPair) PlaybackKeyPairRef() *interfacesawsivs.PlaybackKeyPairReference {
	return &interfacesawsivs.PlaybackKeyPairReference{PlaybackKeyPairArn: i.PlaybackKeyPairArn()}
}

// PlaybackKeyPairRef returns the reference other CDK constructs take (interfacesawsivs.IPlaybackKeyPairRef): the playback key pair ARN.
func (m *ManagedPlaybackKeyPair) PlaybackKeyPairRef() *interfacesawsivs.PlaybackKeyPairReference {
	return &interfacesawsivs.PlaybackKeyPairReference{PlaybackKeyPairArn: m.PlaybackKeyPairArn()}
}

// PlaybackRestrictionPolicyRef returns the reference other CDK constructs take (interfacesawsivs.IPlaybackRestrictionPolicyRef): the playback restriction policy ARN.
func (p *PlaybackRestrictionPolicy) PlaybackRestrictionPolicyRef() *interfacesawsivs.PlaybackRestrictionPolicyReference {
	return &interfacesawsivs.PlaybackRestrictionPolicyReference{PlaybackRestrictionPolicyArn: p.PlaybackRestrictionPolicyArn()}
}

// PlaybackRestrictionPolicyRef implements interfacesawsivs.IPlaybackRestrictionPolicyRef.
func (i *importedPlaybackRestrictionPolicy) PlaybackRestrictionPolicyRef() *interfacesawsivs.PlaybackRestrictionPolicyReference {
	return &interfacesawsivs.PlaybackRestrictionPolicyReference{PlaybackRestrictionPolicyArn: i.PlaybackRestrictionPolicyArn()}
}

// PublicKeyRef returns the reference other CDK constructs take (interfacesawsivs.IPublicKeyRef): the public key ARN.
func (p *PublicKey) PublicKeyRef() *interfacesawsivs.PublicKeyReference {
	return &interfacesawsivs.PublicKeyReference{PublicKeyArn: p.PublicKeyArn()}
}

// PublicKeyRef implements interfacesawsivs.IPublicKeyRef.
func (i *importedPublicKey) PublicKeyRef() *interfacesawsivs.PublicKeyReference {
	return &interfacesawsivs.PublicKeyReference{PublicKeyArn: i.PublicKeyArn()}
}

// PublicKeyRef returns the reference other CDK constructs take (interfacesawsivs.IPublicKeyRef): the public key ARN.
func (m *ManagedPublicKey) PublicKeyRef() *interfacesawsivs.PublicKeyReference {
	return &interfacesawsivs.PublicKeyReference{PublicKeyArn: m.PublicKeyArn()}
}

// RecordingConfigurationRef returns the reference other CDK constructs take (interfacesawsivs.IRecordingConfigurationRef): the recording configuration ARN.
func (r *RecordingConfiguration) RecordingConfigurationRef() *interfacesawsivs.RecordingConfigurationReference {
	return &interfacesawsivs.RecordingConfigurationReference{RecordingConfigurationArn: r.RecordingConfigurationArn()}
}

// RecordingConfigurationRef implements interfacesawsivs.IRecordingConfigurationRef.
func (i *importedRecordingConfiguration) RecordingConfigurationRef() *interfacesawsivs.RecordingConfigurationReference {
	return &interfacesawsivs.RecordingConfigurationReference{RecordingConfigurationArn: i.RecordingConfigurationArn()}
}

// StageRef returns the reference other CDK constructs take (interfacesawsivs.IStageRef): the stage ARN.
func (s *Stage) StageRef() *interfacesawsivs.StageReference {
	return &interfacesawsivs.StageReference{StageArn: s.StageArn()}
}

// StageRef implements interfacesawsivs.IStageRef.
func (i *importedStage) StageRef() *interfacesawsivs.StageReference {
	return &interfacesawsivs.StageReference{StageArn: i.StageArn()}
}

// StorageConfigurationRef returns the reference other CDK constructs take (interfacesawsivs.IStorageConfigurationRef): the storage configuration ARN.
func (s *StorageConfiguration) StorageConfigurationRef() *interfacesawsivs.StorageConfigurationReference {
	return &interfacesawsivs.StorageConfigurationReference{StorageConfigurationArn: s.StorageConfigurationArn()}
}

// StorageConfigurationRef implements interfacesawsivs.IStorageConfigurationRef.
func (i *importedStorageConfiguration) StorageConfigurationRef() *interfacesawsivs.StorageConfigurationReference {
	return &interfacesawsivs.StorageConfigurationReference{StorageConfigurationArn: i.StorageConfigurationArn()}
}

// StreamKeyRef returns the reference other CDK constructs take (interfacesawsivs.IStreamKeyRef): the stream key ARN.
func (s *StreamKey) StreamKeyRef() *interfacesawsivs.StreamKeyReference {
	return &interfacesawsivs.StreamKeyReference{StreamKeyArn: s.StreamKeyArn()}
}

// StreamKeyRef implements interfacesawsivs.IStreamKeyRef.
func (i *importedStreamKey) StreamKeyRef() *interfacesawsivs.StreamKeyReference {
	return &interfacesawsivs.StreamKeyReference{StreamKeyArn: i.StreamKeyArn()}
}
