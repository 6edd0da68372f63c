package ivschat

import (
	"reflect"
	"testing"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// TestConstructIsFirstField guards the layout l2.Construct relies on.
func TestConstructIsFirstField(t *testing.T) {
	for _, v := range []any{Room{}, importedRoom{}, LoggingConfiguration{}, importedLoggingConfiguration{}, ChatTokenEndpoint{}} {
		if !l2.StartsWithConstruct(v) {
			t.Errorf("%s does not start with an embedded l2.Construct", reflect.TypeOf(v).Name())
		}
	}
}
