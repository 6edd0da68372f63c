package ivs

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/internal/l2"
)

// TestConstructIsFirstField guards the layout that construct (resource.go)
// relies on: every ivscdk construct starts with the registered jsii object,
// so that the construct's address is the object's.
func TestConstructIsFirstField(t *testing.T) {
	if name := reflect.TypeOf(l2.Construct{}).Name(); !strings.HasPrefix(name, "jsiiProxy_") {
		t.Errorf("l2.Construct's type is %q: without the jsiiProxy_ prefix the jsii runtime scans every interface on every construct", name)
	}
	for _, v := range []any{
		Channel{}, importedChannel{}, StreamKey{}, importedStreamKey{}, PlaybackKeyPair{}, importedPlaybackKeyPair{},
		RecordingConfiguration{}, importedRecordingConfiguration{}, PlaybackRestrictionPolicy{}, importedPlaybackRestrictionPolicy{},
		PublicKey{}, importedPublicKey{}, StorageConfiguration{}, importedStorageConfiguration{},
		EncoderConfiguration{}, importedEncoderConfiguration{}, Stage{}, importedStage{}, IngestConfiguration{},
	} {
		typ := reflect.TypeOf(v)
		first := typ.Field(0)
		if first.Type != reflect.TypeOf(l2.Construct{}) || first.Offset != 0 || !first.Anonymous {
			t.Errorf("%s does not start with an embedded construct (first field %s %s)", typ.Name(), first.Name, first.Type)
		}
	}
}
