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

// TestListRoomsPages: ListRooms answers pages of at most maxResults (1 to
// 50), each naming the next, until the last.
func TestListRoomsPages(t *testing.T) {
	s := New(t)
	for _, name := range []string{"a", "b", "c"} {
		if _, apiErr := s.chat("CreateRoom")([]byte(`{"name": "` + name + `"}`)); apiErr != nil {
			t.Fatal(apiErr)
		}
	}
	var names []string
	next, pages := "", 0
	for {
		out, apiErr := s.chat("ListRooms")([]byte(`{"maxResults": 2, "nextToken": "` + next + `"}`))
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		page := out.(map[string]any)
		pages++
		for _, r := range page["rooms"].([]map[string]any) {
			names = append(names, r["name"].(string))
		}
		if next, _ = page["nextToken"].(string); next == "" {
			break
		}
	}
	if strings.Join(names, ",") != "a,b,c" || pages != 2 {
		t.Errorf("%d pages of %v, want a,b,c in 2", pages, names)
	}
	if _, apiErr := s.chat("ListRooms")([]byte(`{"maxResults": 51}`)); apiErr == nil {
		t.Error("maxResults 51 is taken; IVS Chat allows 1 to 50")
	}
}
