package ivs

import (
	"reflect"
	"testing"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// TestConstructIsFirstField guards the layout that l2.Construct relies on:
// every ivscdk construct starts with the registered jsii object, so that the
// construct's address is the object's.
func TestConstructIsFirstField(t *testing.T) {
	for _, v := range []any{
		Channel{}, importedChannel{}, StreamKey{}, importedStreamKey{}, PlaybackKeyPair{}, importedPlaybackKeyPair{},
		RecordingConfiguration{}, importedRecordingConfiguration{}, PlaybackRestrictionPolicy{}, importedPlaybackRestrictionPolicy{},
		PublicKey{}, importedPublicKey{}, StorageConfiguration{}, importedStorageConfiguration{},
		EncoderConfiguration{}, importedEncoderConfiguration{}, Stage{}, importedStage{}, IngestConfiguration{}, AdConfiguration{},
		ManagedPlaybackKeyPair{}, ManagedPublicKey{}, PlaybackTokenEndpoint{}, ParticipantTokenEndpoint{},
	} {
		if !l2.StartsWithConstruct(v) {
			t.Errorf("%s does not start with an embedded l2.Construct", reflect.TypeOf(v).Name())
		}
	}
}
