package rehearsal

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/handler/stagesessions"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// TestStageSessions runs ivs.StageSessions' function, the exact asset of
// the rehearsal's shows app, under the Lambda RIE against the local IVS
// real-time API: a host opens a session (a stage tagged as the
// construct's) and gets a token signed with the managed key, which the
// key function's Create made; the host promotes a viewer, whose exchanged
// token keeps its participant ID with PUBLISH; a second host is refused
// while the first holds the channel, Participant Published starts one composition to the channel
// and the recording however often it comes, a moderator removes a
// participant with a reason, the host ends the session (composition
// stopped, stage deleted), and the schedule deletes an idle session's stage
// and leaves a stage made by someone else.
func TestStageSessions(t *testing.T) {
	d := deployFrom(t, synthesize(t, "apps/shows", "", nil), "IvsShows")
	// The signing key, made as the custom resource's Create makes it.
	keyFn := d.start(d.spec("KeyFunction"))
	custom := d.id("Custom::IvsManagedPublicKey", "Key")
	if resp, err := d.cfn.Send(ctx(t), keyFn, CustomResourceRequest{RequestType: "Create", LogicalResourceID: custom,
		ResourceType: "Custom::IvsManagedPublicKey", Properties: d.properties(custom)}, time.Minute); err != nil || resp.Status != "SUCCESS" {
		t.Fatalf("the key's Create: %+v %v", resp, err)
	}
	keys := d.aws.PublicKeys()
	pub, err := ivstoken.ParsePublicKeyPEM([]byte(keys[0].PublicKeyMaterial))
	if err != nil {
		t.Fatal(err)
	}
	verify := func(token string, expiresAt any) *ivstoken.ParticipantClaims {
		t.Helper()
		exp, _ := time.Parse(time.RFC3339, expiresAt.(string))
		claims, kid, err := ivstoken.VerifyParticipantToken(token, pub, exp.Add(-time.Minute))
		if err != nil || kid != keys[0].Arn {
			t.Fatalf("the token does not verify as the managed key's: %v (kid %s)", err, kid)
		}
		return claims
	}
	spec := d.spec("SessionsFunction")
	config, err := stagesessions.ParseConfig(spec.Env[stagesessions.EnvConfig])
	if err != nil || config.MadeBy != "IvsShows/Sessions" || config.Broadcast == nil || config.Broadcast.StorageConfigurationArn == "" || config.SecretArn == "" {
		t.Fatalf("the function's configuration %+v, %v", config, err)
	}
	fn := d.start(spec)
	c := ctx(t)
	call := func(method, path string, query map[string]string, user, groups string) (int, map[string]any) {
		t.Helper()
		resp, body, err := fn.Route(c, method, path, query, user, groups)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body
	}
	invoke := func(event map[string]any) map[string]any {
		t.Helper()
		out, err := fn.Invoke(c, event)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(out, &m)
		return m
	}

	status, opened := call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	if status != http.StatusCreated || opened["token"] == "" || opened["onAir"] != false {
		t.Fatalf("alice opens: %d %v", status, opened)
	}
	stage, id := opened["stageArn"].(string), opened["session"].(string)
	stages := d.aws.Stages()
	if len(stages) != 1 || stages[0].Tags[stagesessions.TagMadeBy] != "IvsShows/Sessions" || stages[0].Tags[stagesessions.TagOwner] != "alice" {
		t.Fatalf("the stage: %+v", stages)
	}
	if host := verify(opened["token"].(string), opened["expiresAt"]); host.StageArn != stage || host.UserID != "alice" {
		t.Errorf("alice's token: %+v", host)
	}
	// The session's chat room, made through IVS Chat's API with the
	// construct's tags, and its chat token for alice, who moderates it.
	rooms := d.aws.Rooms()
	if len(rooms) != 1 || opened["chatRoomArn"] != rooms[0].Arn || rooms[0].Tags[stagesessions.TagMadeBy] != "IvsShows/Sessions" {
		t.Fatalf("the session's room %v; rooms %+v", opened["chatRoomArn"], rooms)
	}
	if status, chat := call(http.MethodGet, "/sessions/chat", map[string]string{"session": id}, "alice", "[hosts]"); status != http.StatusOK ||
		chat["token"] == "" || len(chat["capabilities"].([]any)) != 3 {
		t.Errorf("alice's chat token: %d %v", status, chat)
	}
	status, joined := call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", "")
	bob := verify(joined["token"].(string), joined["expiresAt"])
	if status != http.StatusOK || !slices.Equal(bob.Capabilities, []ivstoken.Capability{ivstoken.CapabilitySubscribe}) {
		t.Errorf("bob joins: %d %+v", status, bob)
	}

	session := d.aws.StartSession(stage, time.Now())
	// Alice makes bob a co-host; bob's page exchanges his token in place.
	d.aws.Join(stage, bob.ParticipantID, "bob")
	if status, body := call(http.MethodPost, "/sessions/promote", map[string]string{"session": id, "participant": bob.ParticipantID, "role": "cohost"}, "alice", "[hosts]"); status != http.StatusOK {
		t.Fatalf("alice promotes bob: %d %v", status, body)
	}
	status, exchanged := call(http.MethodGet, "/sessions/exchange", map[string]string{"session": id, "participant": bob.ParticipantID}, "bob", "")
	if status != http.StatusOK {
		t.Fatalf("bob's exchange: %d %v", status, exchanged)
	}
	if cohost := verify(exchanged["token"].(string), exchanged["expiresAt"]); cohost.ParticipantID != bob.ParticipantID || cohost.WhipURL != bob.WhipURL ||
		!slices.Equal(cohost.Capabilities, []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe}) {
		t.Errorf("bob's exchanged token %+v: want his jti and endpoints, with PUBLISH", cohost)
	}
	d.aws.Publish(stage, "p-alice")
	published := map[string]any{"version": "0", "id": "1", "detail-type": "IVS Stage Update", "source": "aws.ivs",
		"account": "123456789012", "time": "2026-12-02T18:05:00Z", "region": "us-west-2", "resources": []string{stage},
		"detail": map[string]any{"session_id": session, "event_name": "Participant Published", "participant_id": "p-alice", "user_id": "alice"}}
	first := invoke(published)
	again := invoke(published) // delivered twice
	comps := d.aws.Compositions()
	if first["Started"] == "" || again["Started"] != first["Started"] || len(comps) != 1 || comps[0].ChannelArn != config.Broadcast.ChannelArn ||
		comps[0].StorageArn != config.Broadcast.StorageConfigurationArn {
		t.Fatalf("the broadcast: %v, %v, %+v; want one composition to the channel and the recording", first, again, comps)
	}
	if status, body := call(http.MethodPost, "/sessions", nil, "carol", "[hosts]"); status != http.StatusConflict || body["error"].(map[string]any)["code"] != "ChannelBusy" {
		t.Errorf("carol opens while alice is on air: %d %v", status, body)
	}
	q := map[string]string{"session": id, "participant": bob.ParticipantID, "reason": "Spamming, again"}
	if status, body := call(http.MethodPost, "/sessions/disconnect", q, "mod", "[moderators]"); status != http.StatusOK {
		t.Errorf("the moderator removes bob: %d %v", status, body)
	}
	// Bob's page polls: on air, and why he was removed (the reason kept
	// in a tag through IVS's REST tagging path); to bob only.
	mine := map[string]string{"session": id, "participant": bob.ParticipantID}
	if status, body := call(http.MethodGet, "/sessions/status", mine, "bob", ""); status != http.StatusOK || body["removed"] != "Spamming, again" || body["onAir"] != true {
		t.Errorf("bob's status after the removal: %d %v", status, body)
	}
	if status, _ := call(http.MethodGet, "/sessions/status", mine, "mallory", ""); status != http.StatusForbidden {
		t.Errorf("mallory reading bob's removal: %d", status)
	}
	if status, _ := call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "alice", "[hosts]"); status != http.StatusOK {
		t.Fatalf("alice ends it: %d", status)
	}
	if comps := d.aws.Compositions(); comps[0].State != "STOPPED" || len(d.aws.Stages()) != 0 || len(d.aws.Rooms()) != 0 {
		t.Errorf("after the end: %+v, %d stages, %d rooms", comps, len(d.aws.Stages()), len(d.aws.Rooms()))
	}

	// Carol's session, opened and never joined; a stage someone else made.
	_, opened = call(http.MethodPost, "/sessions", nil, "carol", "[hosts]")
	// Limits: carol's second session (one a host), and IVS's stage quota
	// reached before the construct's own: 429 with a sentence, no room
	// left behind.
	if status, body := call(http.MethodPost, "/sessions", nil, "carol", "[hosts]"); status != http.StatusTooManyRequests || body["error"].(map[string]any)["code"] != "SessionLimit" {
		t.Errorf("carol's second session: %d %v", status, body)
	}
	d.aws.StageQuota = 1
	if status, body := call(http.MethodPost, "/sessions", nil, "dave", "[hosts]"); status != http.StatusTooManyRequests || body["error"].(map[string]any)["code"] != "Busy" {
		t.Errorf("dave opens at IVS's stage quota: %d %v", status, body)
	}
	d.aws.StageQuota = 0
	if rooms := d.aws.Rooms(); len(rooms) != 1 {
		t.Errorf("%d rooms after the refusals, want carol's only", len(rooms))
	}
	other := d.aws.AddStage("not-ours")
	created, _ := time.Parse(time.RFC3339, d.aws.Stages()[0].Tags[stagesessions.TagCreated])
	if d.aws.Stages()[0].Arn == other {
		created, _ = time.Parse(time.RFC3339, d.aws.Stages()[1].Tags[stagesessions.TagCreated])
	}
	// The schedule's time, 31 minutes after the stage was made: the sweep
	// runs at the event's time, not the function's clock.
	swept := invoke(map[string]any{"version": "0", "id": "2", "detail-type": "Scheduled Event", "source": "aws.events",
		"account": "123456789012", "time": created.Add(31 * time.Minute).Format(time.RFC3339), "region": "us-west-2", "resources": []any{}, "detail": map[string]any{}})
	left := d.aws.Stages()
	if deleted := toStrings(swept["Deleted"]); len(deleted) != 1 || deleted[0] != opened["stageArn"] || len(left) != 1 || left[0].Arn != other {
		t.Errorf("the sweep: %v; left %+v; want carol's idle stage deleted and the other kept", swept, left)
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}
