package awsfake

import (
	"flag"
	"strings"
	"testing"
	"time"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// TestFakeAppliesTheServicesDefaults: a request without capabilities or
// duration gets what IVS documents for their absence (PUBLISH and
// SUBSCRIBE, 720 minutes; a chat session of 60 minutes), not something
// kinder, so a handler that leaves them out is caught by its tests.
func TestFakeAppliesTheServicesDefaults(t *testing.T) {
	s := New(t)
	now := time.Date(2041, 3, 1, 12, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	stage := s.AddStage("s")
	out, apiErr := s.realTime("CreateParticipantToken")([]byte(`{"stageArn": "` + stage + `"}`))
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	token := out.(map[string]any)["participantToken"].(map[string]any)
	if caps := strings.Join(token["capabilities"].([]string), ","); caps != "PUBLISH,SUBSCRIBE" {
		t.Errorf("no capabilities asked: %s, want IVS's default PUBLISH,SUBSCRIBE", caps)
	}
	if token["duration"] != 720 {
		t.Errorf("no duration asked: %v, want IVS's default 720", token["duration"])
	}
	room := s.AddRoom()
	chat, apiErr := s.chat("CreateChatToken")([]byte(`{"roomIdentifier": "` + room + `", "userId": "u"}`))
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	if got := chat.(map[string]any)["sessionExpirationTime"]; got != now.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("no session duration asked: session ends %v, want IVS Chat's default of 60 minutes", got)
	}
}
