package stagesessions_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"

	"github.com/ivscdk/ivscdk/handler/stagesessions"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

var at = time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)

type rig struct {
	t    *testing.T
	fake *awsfake.Server
	h    *stagesessions.Handler
	now  time.Time
}

func newRig(t *testing.T, c stagesessions.Config) *rig {
	r := &rig{t: t, fake: awsfake.New(t), now: at}
	if c.MadeBy == "" {
		c.MadeBy = "TestStack/Sessions"
	}
	c.Authentication, c.UserIDClaim = tokenapi.AuthJWT, "sub"
	c.Grants = []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{stagesessions.CapabilityHost}},
		{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{stagesessions.CapabilityModerate}}}
	r.fake.Now = func() time.Time { return r.now }
	r.h = stagesessions.New(c, realtimeapi.New(r.fake.Config()), func() time.Time { return r.now })
	return r
}

// call sends a request as API Gateway does with a verified JWT of user in
// groups.
func (r *rig) call(method, path string, query map[string]string, user, groups string) (int, map[string]any) {
	r.t.Helper()
	resp, err := r.h.Handle(context.Background(), apigwtest.Route(method, path, query, user, groups))
	if err != nil {
		r.t.Fatal(err)
	}
	var body map[string]any
	json.Unmarshal([]byte(resp.Body), &body)
	return resp.StatusCode, body
}

// TestOpenJoinEnd: a host opens a session (a stage tagged with the
// construct, the owner and the time) and gets a token that publishes;
// another user joins by the session's ID and may only subscribe; a host
// joining may publish; only the owner or a moderator ends it, which deletes
// the stage.
func TestOpenJoinEnd(t *testing.T) {
	r := newRig(t, stagesessions.Config{})
	status, opened := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	if status != http.StatusCreated || opened["owner"] != true || !slices.Equal(toStrings(opened["capabilities"]), []string{"PUBLISH", "SUBSCRIBE"}) {
		t.Fatalf("open: %d %v", status, opened)
	}
	stages := r.fake.Stages()
	if len(stages) != 1 || stages[0].Tags[stagesessions.TagMadeBy] != "TestStack/Sessions" || stages[0].Tags[stagesessions.TagOwner] != "alice" ||
		stages[0].Tags[stagesessions.TagCreated] != "2026-12-02T18:00:00Z" || stages[0].Name != "session-alice" {
		t.Fatalf("the stage made: %+v", stages)
	}
	id := opened["session"].(string)
	if !strings.HasSuffix(stages[0].Arn, "/"+id) || opened["token"] == "" {
		t.Errorf("the answer's session %q and token: %v", id, opened)
	}
	if status, body := r.call(http.MethodPost, "/sessions", nil, "bob", ""); status != http.StatusForbidden || body["error"].(map[string]any)["code"] != "NoCapability" {
		t.Errorf("a viewer opening a session: %d %v", status, body)
	}
	status, joined := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", "")
	if status != http.StatusOK || joined["owner"] != false || !slices.Equal(toStrings(joined["capabilities"]), []string{"SUBSCRIBE"}) {
		t.Errorf("bob joins: %d %v", status, joined)
	}
	if _, cohost := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "carol", "[hosts]"); !slices.Equal(toStrings(cohost["capabilities"]), []string{"PUBLISH", "SUBSCRIBE"}) {
		t.Errorf("a host joining: %v", cohost)
	}
	if status, _ := r.call(http.MethodGet, "/sessions", map[string]string{"session": "nope"}, "bob", ""); status != http.StatusNotFound {
		t.Errorf("an unknown session: %d", status)
	}
	if status, _ := r.call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "bob", ""); status != http.StatusForbidden {
		t.Errorf("bob ending alice's session: %d", status)
	}
	if status, _ := r.call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "alice", "[hosts]"); status != http.StatusOK || len(r.fake.Stages()) != 0 {
		t.Errorf("alice ends it: %d, %d stages left", status, len(r.fake.Stages()))
	}
	if status, _ := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", ""); status != http.StatusNotFound {
		t.Errorf("joining an ended session: %d", status)
	}
}

// TestLimits: per owner and in all, refused with 429 and a sentence
// before IVS's quota, and IVS's quota answered the same way.
func TestLimits(t *testing.T) {
	r := newRig(t, stagesessions.Config{MaxPerOwner: 2, MaxSessions: 3})
	for range 2 {
		if status, body := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]"); status != http.StatusCreated {
			t.Fatalf("open: %d %v", status, body)
		}
	}
	status, body := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	if status != http.StatusTooManyRequests || body["error"].(map[string]any)["code"] != "SessionLimit" {
		t.Errorf("alice's third: %d %v", status, body)
	}
	r.call(http.MethodPost, "/sessions", nil, "carol", "[hosts]")
	status, body = r.call(http.MethodPost, "/sessions", nil, "dave", "[hosts]")
	if msg, _ := body["error"].(map[string]any)["message"].(string); status != http.StatusTooManyRequests || !strings.Contains(msg, "all 3 sessions are in use") {
		t.Errorf("the fourth in all: %d %v", status, body)
	}
	// IVS's own quota, met first by stages of another kind.
	r2 := newRig(t, stagesessions.Config{})
	r2.fake.StageQuota = 1
	r2.fake.AddStage("someone-elses")
	status, body = r2.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	if status != http.StatusTooManyRequests || body["error"].(map[string]any)["code"] != "Busy" {
		t.Errorf("at IVS's quota: %d %v", status, body)
	}
}

// TestModeratorRemovesAParticipant: with a reason IVS passes on; others
// may not.
func TestModeratorRemovesAParticipant(t *testing.T) {
	r := newRig(t, stagesessions.Config{})
	_, opened := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	id := opened["session"].(string)
	q := map[string]string{"session": id, "participant": "p-bob", "reason": "Spamming the chat"}
	if status, _ := r.call(http.MethodPost, "/sessions/disconnect", q, "alice", "[hosts]"); status != http.StatusForbidden {
		t.Errorf("a host without the moderate capability: %d", status)
	}
	if status, body := r.call(http.MethodPost, "/sessions/disconnect", map[string]string{"session": id, "participant": "p-bob"}, "mod", "[moderators]"); status != http.StatusBadRequest {
		t.Errorf("no reason: %d %v", status, body)
	}
	if status, body := r.call(http.MethodPost, "/sessions/disconnect", q, "mod", "[moderators]"); status != http.StatusOK {
		t.Fatalf("a moderator: %d %v", status, body)
	}
	if d := r.fake.Stages()[0].Disconnected; len(d) != 1 || d[0].ParticipantID != "p-bob" || d[0].Reason != "Spamming the chat" {
		t.Errorf("IVS was asked %+v", d)
	}
	// A moderator may end anyone's session.
	if status, _ := r.call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "mod", "[moderators]"); status != http.StatusOK {
		t.Errorf("a moderator ending it: %d", status)
	}
}

// TestSweepDeletesOnlyIdleStagesOfItsOwn: a stage never joined, one whose
// session ended long enough ago, go; one in use, one recently ended, one
// just made, and every stage the construct did not make (even idle for
// days, even tagged by another construct) stay. Events play no part: the
// sweep reads IVS's lists.
func TestSweepDeletesOnlyIdleStagesOfItsOwn(t *testing.T) {
	r := newRig(t, stagesessions.Config{IdleAfter: tokenapi.Duration(30 * time.Minute)})
	open := func(user string) string {
		_, body := r.call(http.MethodPost, "/sessions", nil, user, "[hosts]")
		return body["stageArn"].(string)
	}
	neverJoined := open("a")
	endedLongAgo := open("b")
	r.fake.StartSession(endedLongAgo, at.Add(time.Minute))
	r.fake.EndSession(endedLongAgo, at.Add(10*time.Minute))
	r.now = at.Add(35 * time.Minute)
	inUse := open("c")
	r.fake.StartSession(inUse, r.now)
	recentlyEnded := open("d")
	r.fake.StartSession(recentlyEnded, r.now)
	r.fake.EndSession(recentlyEnded, at.Add(36*time.Minute))
	justMade := open("e")
	others := r.fake.AddStage("not-ours")
	otherConstruct := r.fake.AddStage("another-construct")
	r.fake.TagStage(otherConstruct, map[string]string{stagesessions.TagMadeBy: "Other/Sessions", stagesessions.TagCreated: "2026-11-01T00:00:00Z"})

	r.now = at.Add(45 * time.Minute)
	swept, err := r.h.Sweep(context.Background(), r.now)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(swept.Deleted)
	want := []string{neverJoined, endedLongAgo}
	slices.Sort(want)
	if !slices.Equal(swept.Deleted, want) {
		t.Errorf("deleted %v, want the never-joined and long-ended stages %v", swept.Deleted, want)
	}
	var left []string
	for _, st := range r.fake.Stages() {
		left = append(left, st.Arn)
	}
	for _, arn := range []string{inUse, recentlyEnded, justMade, others, otherConstruct} {
		if !slices.Contains(left, arn) {
			t.Errorf("%s was deleted", arn)
		}
	}
	// Again: nothing more, and no error for what is gone.
	if again, err := r.h.Sweep(context.Background(), r.now); err != nil || len(again.Deleted) != 0 {
		t.Errorf("a second sweep: %+v, %v", again, err)
	}
}

func TestParseConfig(t *testing.T) {
	for name, c := range map[string]string{
		"no madeBy":   `{"userIdClaim":"sub"}`,
		"no claim":    `{"madeBy":"S/x"}`,
		"bad grant":   `{"madeBy":"S/x","userIdClaim":"sub","grants":[{"claim":"g","value":"v","capabilities":["PUBLISH"]}]}`,
		"long tokens": `{"madeBy":"S/x","userIdClaim":"sub","tokenMinutes":20161}`,
	} {
		if _, err := stagesessions.ParseConfig(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := stagesessions.ParseConfig(`{"madeBy":"S/x","userIdClaim":"sub","maxPerOwner":1,"idleAfter":"30m"}`); err != nil {
		t.Error(err)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestInvokeTakesRequestsAndTheSchedule: one function for the routes and
// the schedule; the sweep runs at the event's own time.
func TestInvokeTakesRequestsAndTheSchedule(t *testing.T) {
	r := newRig(t, stagesessions.Config{})
	r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	out, err := r.h.Invoke(context.Background(), []byte(`{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-12-02T19:00:00Z","region":"us-west-2","resources":[],"detail":{}}`))
	if err != nil || len(out.(stagesessions.Swept).Deleted) != 1 {
		t.Errorf("the schedule at 19:00 (the stage made at 18:00, idle 30 minutes): %+v, %v", out, err)
	}
	req := `{"version":"2.0","routeKey":"GET /sessions","rawPath":"/sessions","queryStringParameters":{"session":"x"},"requestContext":{"http":{"method":"GET"},"authorizer":{"jwt":{"claims":{"sub":"bob"}}}}}`
	resp, err := r.h.Invoke(context.Background(), []byte(req))
	if err != nil || resp.(events.APIGatewayV2HTTPResponse).StatusCode != http.StatusNotFound {
		t.Errorf("a request: %+v, %v", resp, err)
	}
	if _, err := r.h.Invoke(context.Background(), []byte(`{"hello":1}`)); err == nil {
		t.Error("an unknown invocation was taken")
	}
}

const (
	channelArn = "arn:aws:ivs:us-west-2:123456789012:channel/show"
	encoderArn = "arn:aws:ivs:us-west-2:123456789012:encoder-configuration/hd"
	storageArn = "arn:aws:ivs:us-west-2:123456789012:storage-configuration/rec"
)

// stageUpdate is an "IVS Stage Update" event as the real-time user guide
// shows it, for a stage, session and event name.
func stageUpdate(stageArn, session, name string) []byte {
	b, _ := json.Marshal(map[string]any{"version": "0", "id": "e1", "detail-type": "IVS Stage Update", "source": "aws.ivs",
		"account": "123456789012", "time": "2026-12-02T18:05:00Z", "region": "us-west-2", "resources": []string{stageArn},
		"detail": map[string]any{"session_id": session, "event_name": name, "user_id": "alice", "participant_id": "p1"}})
	return b
}

// TestBroadcastToTheChannel: the first Participant Published starts one
// composition (channel and recording), which repeated events do not
// duplicate; a second session cannot open while the first holds the
// channel; ending the session stops the composition; a composition whose
// session ended without any event is stopped by the sweep; a stage of
// someone else's starts nothing.
func TestBroadcastToTheChannel(t *testing.T) {
	r := newRig(t, stagesessions.Config{MaxSessions: 5, Broadcast: &stagesessions.Broadcast{
		ChannelArn: channelArn, EncoderConfigurationArn: encoderArn, StorageConfigurationArn: storageArn}})
	ctx := context.Background()
	_, opened := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	stage, id := opened["stageArn"].(string), opened["session"].(string)
	if opened["onAir"] != false {
		t.Errorf("a session nobody publishes in is on air: %v", opened)
	}
	session := r.fake.StartSession(stage, at.Add(time.Minute))
	r.fake.Publish(stage, "p1")
	for range 3 { // the event, repeated
		out, err := r.h.Invoke(ctx, stageUpdate(stage, session, "Participant Published"))
		if err != nil || out.(stagesessions.Broadcasting).Started == "" {
			t.Fatalf("Participant Published: %+v, %v", out, err)
		}
	}
	comps := r.fake.Compositions()
	if len(comps) != 1 || comps[0].ChannelArn != channelArn || comps[0].StorageArn != storageArn || comps[0].Token != session ||
		comps[0].Tags[stagesessions.TagMadeBy] != "TestStack/Sessions" {
		t.Fatalf("compositions %+v: want one, to the channel and the recording, by the session's ID, tagged", comps)
	}
	if _, joined := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", ""); joined["onAir"] != true {
		t.Errorf("joining while on air: %v", joined)
	}
	status, body := r.call(http.MethodPost, "/sessions", nil, "carol", "[hosts]")
	if status != http.StatusConflict || body["error"].(map[string]any)["code"] != "ChannelBusy" {
		t.Errorf("a second session while the first is on air: %d %v", status, body)
	}
	// Another kind of event, and a stage that is not ours, start nothing.
	if out, _ := r.h.Invoke(ctx, stageUpdate(stage, session, "Participant Unpublished")); out.(stagesessions.Broadcasting).Started != "" {
		t.Errorf("Participant Unpublished started %+v", out)
	}
	other := r.fake.AddStage("not-ours")
	if out, _ := r.h.Invoke(ctx, stageUpdate(other, "st-9999999999999", "Participant Published")); out.(stagesessions.Broadcasting).Started != "" {
		t.Errorf("someone else's stage: %+v", out)
	}
	// The host ends the session: the composition stops with it.
	r.now = at.Add(20 * time.Minute)
	if status, _ := r.call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "alice", "[hosts]"); status != http.StatusOK {
		t.Fatalf("ending: %d", status)
	}
	// IVS would stop it with the stage too; the stop is asked first, so
	// that the broadcast ends before the stage goes.
	if comps := r.fake.Compositions(); comps[0].State != realtimeapi.CompositionStopped || !comps[0].End.Equal(r.now) || r.fake.Calls("StopComposition") != 1 {
		t.Errorf("after the end: %+v, %d StopComposition calls; want it stopped at once, by a StopComposition", comps, r.fake.Calls("StopComposition"))
	}

	// A second show: its session ends (everyone left) and no event says
	// so; the sweep stops its composition before IVS's own stop would.
	_, opened = r.call(http.MethodPost, "/sessions", nil, "carol", "[hosts]")
	stage2 := opened["stageArn"].(string)
	s2 := r.fake.StartSession(stage2, r.now)
	r.fake.Publish(stage2, "p2")
	r.h.Invoke(ctx, stageUpdate(stage2, s2, "Participant Published"))
	r.now = r.now.Add(10 * time.Minute)
	r.fake.Unpublish(stage2, "p2", r.now)
	r.fake.EndSession(stage2, r.now)
	r.now = r.now.Add(30 * time.Second)
	swept, err := r.h.Sweep(ctx, r.now)
	if err != nil || len(swept.Stopped) != 1 {
		t.Fatalf("the sweep: %+v, %v; want the composition of the ended session stopped", swept, err)
	}
	if comps := r.fake.Compositions(); comps[1].State != realtimeapi.CompositionStopped {
		t.Errorf("%+v", comps)
	}
	// The late Participant Published of the ended session starts nothing
	// new: the stage's session is over.
	r.fake.StartSession(stage2, r.now) // a new session began since
	if out, _ := r.h.Invoke(ctx, stageUpdate(stage2, s2, "Participant Published")); out.(stagesessions.Broadcasting).Started != "" {
		t.Errorf("a late event of an ended session: %+v", out)
	}
}

// testSigner signs with one key, as a managed public key's would.
type testSigner struct{ s *ivstoken.ParticipantSigner }

func (t testSigner) Signer(context.Context) (*ivstoken.ParticipantSigner, error) { return t.s, nil }

const publicKeyArn = "arn:aws:ivs:us-west-2:123456789012:public-key/k1"

// TestPromoteByTokenExchange: with a signing key, tokens are self-signed
// with the stage's endpoints; the owner promotes a viewer, whose exchange
// keeps its participant ID (jti), stage and endpoints and adds PUBLISH;
// demoted, the next exchange takes it away. Another user cannot exchange
// that participant's token, nobody but the owner or a moderator promotes,
// and IVS-issued tokens cannot be exchanged at all.
func TestPromoteByTokenExchange(t *testing.T) {
	key, _ := ivstoken.GenerateKey()
	r := newRig(t, stagesessions.Config{})
	signer, _ := ivstoken.NewParticipantSigner(key, publicKeyArn, ivstoken.WithClock(func() time.Time { return r.now }))
	r.h.WithSigner(testSigner{signer})
	verify := func(token string) *ivstoken.ParticipantClaims {
		t.Helper()
		claims, kid, err := ivstoken.VerifyParticipantToken(token, &key.PublicKey, r.now)
		if err != nil || kid != publicKeyArn {
			t.Fatalf("the token does not verify: %v (kid %s)", err, kid)
		}
		return claims
	}
	_, opened := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	stage, id := opened["stageArn"].(string), opened["session"].(string)
	host := verify(opened["token"].(string))
	st := r.fake.Stages()[0]
	if host.StageArn != stage || host.WhipURL != st.WhipURL || host.EventsURL != st.EventsURL || host.UserID != "alice" ||
		!slices.Equal(host.Capabilities, []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe}) {
		t.Errorf("the host's token: %+v", host)
	}
	_, joined := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", "")
	bob := verify(joined["token"].(string))
	if !slices.Equal(bob.Capabilities, []ivstoken.Capability{ivstoken.CapabilitySubscribe}) {
		t.Fatalf("bob's token: %+v", bob)
	}
	r.fake.StartSession(stage, r.now)
	r.fake.Join(stage, bob.ParticipantID, "bob")
	exchange := func(user string) (int, map[string]any) {
		return r.call(http.MethodGet, "/sessions/exchange", map[string]string{"session": id, "participant": bob.ParticipantID}, user, "")
	}
	promote := func(user, groups, role string) int {
		status, _ := r.call(http.MethodPost, "/sessions/promote", map[string]string{"session": id, "participant": bob.ParticipantID, "role": role}, user, groups)
		return status
	}
	if status, body := exchange("bob"); status != http.StatusOK || !slices.Equal(verify(body["token"].(string)).Capabilities, []ivstoken.Capability{ivstoken.CapabilitySubscribe}) {
		t.Errorf("bob's exchange before any promotion: %d %v", status, body)
	}
	if status := promote("carol", "[hosts]", stagesessions.RoleCoHost); status != http.StatusForbidden {
		t.Errorf("a host of another session promotes bob: %d", status)
	}
	if status := promote("alice", "[hosts]", "emperor"); status != http.StatusBadRequest {
		t.Errorf("an unknown role: %d", status)
	}
	if status := promote("alice", "[hosts]", stagesessions.RoleCoHost); status != http.StatusOK {
		t.Fatalf("alice promotes bob: %d", status)
	}
	status, body := exchange("bob")
	if status != http.StatusOK {
		t.Fatalf("bob's exchange: %d %v", status, body)
	}
	promoted := verify(body["token"].(string))
	if promoted.ParticipantID != bob.ParticipantID || promoted.StageArn != bob.StageArn || promoted.WhipURL != bob.WhipURL || promoted.EventsURL != bob.EventsURL ||
		!slices.Equal(promoted.Capabilities, []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe}) {
		t.Errorf("the exchanged token %+v; want bob's jti, stage and endpoints, with PUBLISH", promoted)
	}
	if status, _ := exchange("mallory"); status != http.StatusForbidden {
		t.Errorf("mallory exchanging bob's participant: %d", status)
	}
	if status := promote("mod", "[moderators]", stagesessions.RoleViewer); status != http.StatusOK {
		t.Fatalf("a moderator demotes bob: %d", status)
	}
	if _, body := exchange("bob"); !slices.Equal(verify(body["token"].(string)).Capabilities, []ivstoken.Capability{ivstoken.CapabilitySubscribe}) {
		t.Errorf("after the demotion: %v", body)
	}

	plain := newRig(t, stagesessions.Config{})
	_, opened = plain.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	if status, _ := plain.call(http.MethodPost, "/sessions/promote", map[string]string{"session": opened["session"].(string), "participant": "p1", "role": "cohost"}, "alice", "[hosts]"); status != http.StatusConflict {
		t.Errorf("promoting with IVS-issued tokens: %d, want 409 NotExchangeable", status)
	}
}

// TestStatusTellsRoleAndRemoval: the page's poll says whether the session
// is in use, the participant's role (host, co-host after a promotion,
// viewer), and, after a moderator's removal, the reason, to the removed
// participant's own user only; a reason longer than a tag value holds is
// kept cut at a character's boundary.
func TestStatusTellsRoleAndRemoval(t *testing.T) {
	key, _ := ivstoken.GenerateKey()
	r := newRig(t, stagesessions.Config{})
	signer, _ := ivstoken.NewParticipantSigner(key, publicKeyArn, ivstoken.WithClock(func() time.Time { return r.now }))
	r.h.WithSigner(testSigner{signer})
	_, opened := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	stage, id := opened["stageArn"].(string), opened["session"].(string)
	status := func(participant, user string) (int, map[string]any) {
		return r.call(http.MethodGet, "/sessions/status", map[string]string{"session": id, "participant": participant}, user, "")
	}
	if code, body := status("", "bob"); code != http.StatusOK || body["live"] != false || body["role"] != nil {
		t.Errorf("before anyone joined: %d %v", code, body)
	}
	_, joined := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", "")
	bob := joined["participantId"].(string)
	r.fake.StartSession(stage, r.now)
	r.fake.Join(stage, bob, "bob")
	r.fake.Join(stage, opened["participantId"].(string), "alice")
	if _, body := status(opened["participantId"].(string), "alice"); body["role"] != stagesessions.RoleHost || body["live"] != true {
		t.Errorf("the host's status: %v", body)
	}
	if _, body := status(bob, "bob"); body["role"] != stagesessions.RoleViewer || body["removed"] != nil {
		t.Errorf("bob's status: %v", body)
	}
	r.call(http.MethodPost, "/sessions/promote", map[string]string{"session": id, "participant": bob, "role": stagesessions.RoleCoHost}, "alice", "[hosts]")
	if _, body := status(bob, "bob"); body["role"] != stagesessions.RoleCoHost {
		t.Errorf("bob's status after the promotion: %v", body)
	}
	reason := "Spamming the chat, again & again"
	if code, body := r.call(http.MethodPost, "/sessions/disconnect", map[string]string{"session": id, "participant": bob, "reason": reason}, "mod", "[moderators]"); code != http.StatusOK {
		t.Fatalf("the removal: %d %v", code, body)
	}
	if code, body := status(bob, "bob"); code != http.StatusOK || body["removed"] != reason {
		t.Errorf("bob's status after the removal: %d %v, want the reason %q", code, body, reason)
	}
	if code, body := status(bob, "mallory"); code != http.StatusForbidden {
		t.Errorf("another user asking about bob's removal: %d %v", code, body)
	}
	for k, v := range r.fake.Stages()[0].Tags {
		if strings.HasPrefix(k, stagesessions.TagRemoved) && (k != stagesessions.TagRemoved+bob || strings.ContainsAny(v, "+/= ,&")) {
			t.Errorf("the removal's tag %s=%s: want the participant's ID and base64url", k, v)
		}
	}

	long := strings.Repeat("é", 128) // 256 bytes: more than a tag value's 192 bytes before encoding
	_, joined = r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "carol", "")
	carol := joined["participantId"].(string)
	r.fake.Join(stage, carol, "carol")
	if code, body := r.call(http.MethodPost, "/sessions/disconnect", map[string]string{"session": id, "participant": carol, "reason": long}, "mod", "[moderators]"); code != http.StatusOK {
		t.Fatalf("a long reason: %d %v", code, body)
	}
	if _, body := status(carol, "carol"); body["removed"] != strings.Repeat("é", 96) {
		t.Errorf("a long reason is kept as %q, want its first 96 characters", body["removed"])
	}
	if code, _ := status("not a participant", "bob"); code != http.StatusBadRequest {
		t.Errorf("a bad participant ID: %d", code)
	}
}

// TestChatRoomPerSession: with ChatRooms each session gets a room tagged
// like its stage, named on the stage; its chat tokens send for everyone
// and moderate for the owner and moderators; a session that cannot open
// leaves no room; ending the session deletes its room; the sweep deletes
// a room of the construct's that no stage names once it is old enough,
// and never another's.
func TestChatRoomPerSession(t *testing.T) {
	r := newRig(t, stagesessions.Config{ChatRooms: true, MaxPerOwner: 2})
	chat := ivschat.NewFromConfig(r.fake.Config())
	r.h.WithChat(chat)
	_, opened := r.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	room, id := opened["chatRoomArn"], opened["session"].(string)
	rooms := r.fake.Rooms()
	if len(rooms) != 1 || room != rooms[0].Arn || rooms[0].Tags[stagesessions.TagMadeBy] != "TestStack/Sessions" || rooms[0].Tags[stagesessions.TagOwner] != "alice" {
		t.Fatalf("the session's room %v; the rooms %+v", room, rooms)
	}
	if got := r.fake.Stages()[0].Tags[stagesessions.TagRoom]; got != room {
		t.Errorf("the stage names room %q, want %v", got, room)
	}
	if _, joined := r.call(http.MethodGet, "/sessions", map[string]string{"session": id}, "bob", ""); joined["chatRoomArn"] != room {
		t.Errorf("bob's answer names room %v", joined["chatRoomArn"])
	}
	caps := func(user, groups string) []any {
		t.Helper()
		status, body := r.call(http.MethodGet, "/sessions/chat", map[string]string{"session": id}, user, groups)
		if status != http.StatusOK || body["token"] == "" || body["roomArn"] != room {
			t.Fatalf("%s's chat token: %d %v", user, status, body)
		}
		return body["capabilities"].([]any)
	}
	if c := caps("bob", ""); len(c) != 1 || c[0] != "SEND_MESSAGE" {
		t.Errorf("bob may %v", c)
	}
	for _, who := range [][2]string{{"alice", "[hosts]"}, {"mod", "[moderators]"}} {
		if c := caps(who[0], who[1]); len(c) != 3 || c[1] != "DELETE_MESSAGE" || c[2] != "DISCONNECT_USER" {
			t.Errorf("%s may %v", who[0], c)
		}
	}

	r.fake.StageQuota = 1
	if status, _ := r.call(http.MethodPost, "/sessions", nil, "carol", "[hosts]"); status != http.StatusTooManyRequests {
		t.Fatalf("carol opens over IVS's quota: %d", status)
	}
	if n := len(r.fake.Rooms()); n != 1 {
		t.Errorf("%d rooms after a session that could not open, want 1", n)
	}
	r.fake.StageQuota = 0
	if status, _ := r.call(http.MethodDelete, "/sessions", map[string]string{"session": id}, "alice", "[hosts]"); status != http.StatusOK {
		t.Fatal("alice ends it")
	}
	if n := len(r.fake.Rooms()); n != 0 {
		t.Errorf("%d rooms after the session ended, want 0", n)
	}

	// A room of ours no stage names (its stage deleted by hand), and
	// another construct's.
	ctx := context.Background()
	orphan, _ := chat.CreateRoom(ctx, &ivschat.CreateRoomInput{Name: aws.String("left"), Tags: map[string]string{stagesessions.TagMadeBy: "TestStack/Sessions"}})
	chat.CreateRoom(ctx, &ivschat.CreateRoomInput{Name: aws.String("theirs"), Tags: map[string]string{stagesessions.TagMadeBy: "Other/Sessions"}})
	if swept, err := r.h.Sweep(ctx, r.now.Add(5*time.Minute)); err != nil || len(swept.RoomsDeleted) != 0 {
		t.Errorf("a sweep five minutes after: %+v %v; a room that young may be a session opening", swept, err)
	}
	swept, err := r.h.Sweep(ctx, r.now.Add(11*time.Minute))
	if err != nil || len(swept.RoomsDeleted) != 1 || swept.RoomsDeleted[0] != *orphan.Arn {
		t.Errorf("the sweep eleven minutes after: %+v %v, want the orphan deleted", swept, err)
	}
	if rooms := r.fake.Rooms(); len(rooms) != 1 || rooms[0].Name != "theirs" {
		t.Errorf("after the sweep: %+v, want only the other construct's room", rooms)
	}

	plain := newRig(t, stagesessions.Config{})
	_, opened = plain.call(http.MethodPost, "/sessions", nil, "alice", "[hosts]")
	if status, _ := plain.call(http.MethodGet, "/sessions/chat", map[string]string{"session": opened["session"].(string)}, "alice", "[hosts]"); status != http.StatusConflict {
		t.Errorf("a chat token without rooms: %d, want 409 NoChatRoom", status)
	}
}
