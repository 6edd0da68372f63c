package ivs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/ivs"
)

// A nil scope is a programming error: it panics with a sentence naming the
// constructor, not with a nil pointer dereference deep inside.
func TestNilScopePanicsNamingTheConstructor(t *testing.T) {
	const arn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"
	for name, call := range map[string]func(){
		"ivs.NewAdConfiguration":           func() { ivs.NewAdConfiguration(nil, "X", nil) },
		"ivs.NewChannel":                   func() { ivs.NewChannel(nil, "X", nil) },
		"ivs.ChannelFromChannelArn":        func() { ivs.ChannelFromChannelArn(nil, "X", arn) },
		"ivs.NewEncoderConfiguration":      func() { ivs.NewEncoderConfiguration(nil, "X", nil) },
		"ivs.NewIngestConfiguration":       func() { ivs.NewIngestConfiguration(nil, "X", nil) },
		"ivs.NewManagedPlaybackKeyPair":    func() { ivs.NewManagedPlaybackKeyPair(nil, "X", nil) },
		"ivs.NewManagedPublicKey":          func() { ivs.NewManagedPublicKey(nil, "X", nil) },
		"ivs.NewParticipantTokenEndpoint":  func() { ivs.NewParticipantTokenEndpoint(nil, "X", nil) },
		"ivs.NewPlaybackKeyPair":           func() { ivs.NewPlaybackKeyPair(nil, "X", nil) },
		"ivs.NewPlaybackRestrictionPolicy": func() { ivs.NewPlaybackRestrictionPolicy(nil, "X", nil) },
		"ivs.NewPlaybackTokenEndpoint":     func() { ivs.NewPlaybackTokenEndpoint(nil, "X", nil) },
		"ivs.NewPublicKey":                 func() { ivs.NewPublicKey(nil, "X", nil) },
		"ivs.NewRecordingConfiguration":    func() { ivs.NewRecordingConfiguration(nil, "X", nil) },
		"ivs.NewStage":                     func() { ivs.NewStage(nil, "X", nil) },
		"ivs.NewStorageConfiguration":      func() { ivs.NewStorageConfiguration(nil, "X", nil) },
		"ivs.NewStreamKey":                 func() { ivs.NewStreamKey(nil, "X", nil) },
		"ivs.StageFromStageArn":            func() { ivs.StageFromStageArn(nil, "X", "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh") },
		"ivs.PublicKeyFromPublicKeyArn": func() {
			ivs.PublicKeyFromPublicKeyArn(nil, "X", "arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCDefgh")
		},
		"ivs.StreamKeyFromStreamKeyArn": func() {
			ivs.StreamKeyFromStreamKeyArn(nil, "X", "arn:aws:ivs:us-west-2:123456789012:stream-key/abcdABCDefgh")
		},
		"ivs.RecordingConfigurationFromRecordingConfigurationId": func() {
			ivs.RecordingConfigurationFromRecordingConfigurationId(nil, "X", "abcdABCDefgh")
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.HasPrefix(msg, name+": scope is nil") {
					t.Errorf("panic %q, want one starting %q", msg, name+": scope is nil")
				}
			}()
			call()
		})
	}
}
