package rehearsal

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/handler/stagesessions"
)

// TestStageSessions runs ivs.StageSessions' function, the exact asset of
// the rehearsal's shows app, under the Lambda RIE against the local IVS
// real-time API: a host opens a session (a stage tagged as the
// construct's), a second host is refused while the first holds the
// channel, Participant Published starts one composition to the channel
// and the recording however often it comes, a moderator removes a
// participant with a reason, the host ends the session (composition
// stopped, stage deleted), and the schedule deletes an idle session's stage
// and leaves a stage made by someone else.
func TestStageSessions(t *testing.T) {
	d := deployFrom(t, synthesize(t, "apps/shows", "", nil), "IvsShows")
	spec := d.spec("SessionsFunction")
	config, err := stagesessions.ParseConfig(spec.Env[stagesessions.EnvConfig])
	if err != nil || config.MadeBy != "IvsShows/Sessions" || config.Broadcast == nil || config.Broadcast.StorageConfigurationArn == "" {
		t.Fatalf("the function's configuration %+v, %v", config, err)
	}
	fn := d.start(spec)
	c := ctx(t)
	call := func(method, path string, query map[string]string, user, groups string) (int, map[string]any) {
		t.Helper()
		claims := map[string]string{"sub": user, "token_use": "id"}
		if groups != "" {
			claims["cognito:groups"] = groups
		}
		req := JWTRequest(nil, claims, nil)
		req.Body, req.RouteKey, req.RawPath, req.QueryStringParameters = "", method+" "+path, path, query
		req.RequestContext.RouteKey, req.RequestContext.HTTP.Method, req.RequestContext.HTTP.Path = req.RouteKey, method, path
		resp, err := fn.HTTP(c, req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.Unmarshal([]byte(resp.Body), &body)
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
	if status, body := call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", ""); status != http.StatusOK ||
		!slices.Equal(toStrings(body["capabilities"]), []string{"SUBSCRIBE"}) {
		t.Errorf("bob joins: %d %v", status, body)
	}

	session := d.aws.StartSession(stage, time.Now())
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
	q := map[string]string{"session": id, "participant": "p-bob", "reason": "Spamming"}
	if status, body := call(http.MethodPost, "/sessions/disconnect", q, "mod", "[moderators]"); status != http.StatusOK {
		t.Errorf("the moderator removes bob: %d %v", status, body)
	}
	if status, _ := call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "alice", "[hosts]"); status != http.StatusOK {
		t.Fatalf("alice ends it: %d", status)
	}
	if comps := d.aws.Compositions(); comps[0].State != "STOPPED" || len(d.aws.Stages()) != 0 {
		t.Errorf("after the end: %+v, %d stages", comps, len(d.aws.Stages()))
	}

	// Carol's session, opened and never joined; a stage someone else made.
	_, opened = call(http.MethodPost, "/sessions", nil, "carol", "[hosts]")
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
