package realtimeapi

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

type model struct {
	Metadata struct {
		SigningName string `json:"signingName"`
	} `json:"metadata"`
	Operations map[string]struct {
		Method, RequestURI string
		Required, Members  []string
	} `json:"operations"`
}

func loadModel(t *testing.T) model {
	b, err := os.ReadFile("testdata/ivs-realtime-2020-07-14-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	var m model
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRequestsMatchTheServiceModel sends every operation and checks each
// request against botocore's model: method, path, member names, required
// members, and the SigV4 scope.
func TestRequestsMatchTheServiceModel(t *testing.T) {
	m := loadModel(t)
	if m.Metadata.SigningName != SigningName {
		t.Fatalf("signing name %q, model %q", SigningName, m.Metadata.SigningName)
	}
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.URL.Path, "/")
		spec, ok := m.Operations[op]
		if !ok {
			t.Errorf("request to %s, which the model does not have", r.URL.Path)
			w.WriteHeader(404)
			return
		}
		seen[op] = true
		if r.Method != spec.Method || r.URL.Path != spec.RequestURI {
			t.Errorf("%s: %s %s, model %s %s", op, r.Method, r.URL.Path, spec.Method, spec.RequestURI)
		}
		if auth := r.Header.Get("Authorization"); !strings.Contains(auth, "/us-west-2/ivs/aws4_request") {
			t.Errorf("%s: not signed for ivs in us-west-2: %q", op, auth)
		}
		body, _ := io.ReadAll(r.Body)
		var in map[string]any
		if err := json.Unmarshal(body, &in); err != nil {
			t.Errorf("%s: body %s is not a JSON object", op, body)
		}
		for k := range in {
			if !slices.Contains(spec.Members, k) {
				t.Errorf("%s: member %q is not in the model %v", op, k, spec.Members)
			}
		}
		for _, k := range spec.Required {
			if _, ok := in[k]; !ok {
				t.Errorf("%s: required member %q missing", op, k)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"participantToken":{"token":"t","participantId":"p","expirationTime":"2026-11-25T12:00:00Z"},"stage":{"arn":"a","endpoints":{"events":"wss://e","whip":"https://w"}},"publicKey":{"arn":"k"},"publicKeys":[],"stages":[],"stageSessions":[],"composition":{"arn":"c","state":"STARTING"},"compositions":[],"participant":{"participantId":"p","userId":"u"}}`)
	}))
	defer srv.Close()
	c := New(aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	ctx := context.Background()
	stage := "arn:aws:ivs:us-west-2:123456789012:stage/abc"
	if _, err := c.CreateParticipantToken(ctx, CreateParticipantTokenInput{StageArn: stage, Duration: 60, UserID: "u",
		Attributes: map[string]string{"a": "b"}, Capabilities: []string{CapabilitySubscribe}}); err != nil {
		t.Error(err)
	}
	if st, err := c.GetStage(ctx, stage); err != nil || st.Endpoints.Whip != "https://w" {
		t.Error(st, err)
	}
	if _, err := c.ImportPublicKey(ctx, "n", "-----BEGIN PUBLIC KEY-----", map[string]string{"k": "v"}); err != nil {
		t.Error(err)
	}
	if _, err := c.ListPublicKeys(ctx); err != nil {
		t.Error(err)
	}
	if err := c.DeletePublicKey(ctx, "arn:aws:ivs:us-west-2:123456789012:public-key/abc"); err != nil {
		t.Error(err)
	}
	if st, err := c.CreateStage(ctx, CreateStageInput{Name: "show", Tags: map[string]string{"k": "v"}}); err != nil || st.Arn != "a" {
		t.Error(st, err)
	}
	if err := c.DeleteStage(ctx, stage); err != nil {
		t.Error(err)
	}
	if _, err := c.ListStages(ctx); err != nil {
		t.Error(err)
	}
	if s, err := c.LatestStageSession(ctx, stage); err != nil || s != nil {
		t.Error(s, err)
	}
	if err := c.DisconnectParticipant(ctx, stage, "p", "spam"); err != nil {
		t.Error(err)
	}
	if err := c.DisconnectParticipant(ctx, stage, "p", strings.Repeat("x", 129)); err == nil {
		t.Error("a 129-character reason was sent")
	}
	if comp, err := c.StartComposition(ctx, startInput(stage)); err != nil || !comp.Live() {
		t.Error(comp, err)
	}
	if _, err := c.StartComposition(ctx, StartCompositionInput{StageArn: stage}); err == nil {
		t.Error("a composition without destinations was sent")
	}
	if err := c.StopComposition(ctx, "arn:aws:ivs:us-west-2:123456789012:composition/c"); err != nil {
		t.Error(err)
	}
	if _, err := c.ListCompositions(ctx, stage); err != nil {
		t.Error(err)
	}
	if p, err := c.GetParticipant(ctx, stage, "st-1234567890123", "p"); err != nil || p.UserID != "u" {
		t.Error(p, err)
	}
	for op := range m.Operations {
		if !seen[op] {
			t.Errorf("%s was not exercised", op)
		}
	}
}

func TestErrorsAreDecodedAndRetried(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/")
			w.WriteHeader(429)
			return
		}
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.WriteHeader(404)
		io.WriteString(w, `{"exceptionMessage": "no such stage"}`)
	}))
	defer srv.Close()
	c := New(aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	_, err := c.GetStage(context.Background(), "arn:aws:ivs:us-west-2:123456789012:stage/abc")
	if !IsNotFound(err) || calls != 2 || !strings.Contains(err.Error(), "no such stage") {
		t.Fatalf("err %v after %d calls: want the 404 after one retried 429", err, calls)
	}
	if IsQuotaExceeded(err) {
		t.Error("a 404 counts as a quota error")
	}
}

// TestCreateParticipantTokenNeverLeavesOutWhatIVSWidens: capabilities and
// duration are always on the wire, and an input without them is refused
// before any request, since IVS reads their absence as PUBLISH and
// SUBSCRIBE for 720 minutes.
func TestCreateParticipantTokenNeverLeavesOutWhatIVSWidens(t *testing.T) {
	var bodies []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		bodies = append(bodies, in)
		io.WriteString(w, `{"participantToken":{"token":"t"}}`)
	}))
	defer srv.Close()
	c := New(aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	stage := "arn:aws:ivs:us-west-2:123456789012:stage/abc"
	for name, in := range map[string]CreateParticipantTokenInput{
		"nil capabilities":   {StageArn: stage, Duration: 60},
		"empty capabilities": {StageArn: stage, Duration: 60, Capabilities: []string{}},
		"no duration":        {StageArn: stage, Capabilities: []string{CapabilitySubscribe}},
	} {
		if _, err := c.CreateParticipantToken(context.Background(), in); err == nil || !strings.Contains(err.Error(), "refusing to send") {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
	if len(bodies) != 0 {
		t.Fatalf("%d requests sent for inputs that must be refused", len(bodies))
	}
	if _, err := c.CreateParticipantToken(context.Background(), CreateParticipantTokenInput{
		StageArn: stage, Duration: 5, Capabilities: []string{CapabilitySubscribe}}); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 1 || bodies[0]["duration"] != float64(5) || !slices.Equal(toStrings(bodies[0]["capabilities"]), []string{"SUBSCRIBE"}) {
		t.Errorf("request %v, want duration 5 and capabilities [SUBSCRIBE]", bodies)
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, s := range list {
		str, _ := s.(string)
		out = append(out, str)
	}
	return out
}

func startInput(stage string) StartCompositionInput {
	return StartCompositionInput{StageArn: stage, IdempotencyToken: "st-1234567890123",
		Destinations: []Destination{{Channel: &ChannelDestination{ChannelArn: "arn:aws:ivs:us-west-2:123456789012:channel/ch"}}}}
}

// TestTaggingMatchesTheServiceModel: TagResource is POST
// /tags/{resourceArn} with the tags in the body, UntagResource DELETE
// /tags/{resourceArn}?tagKeys=… with none (botocore's model: the ARN's
// location uri, tagKeys querystring), both signed for ivs.
func TestTaggingMatchesTheServiceModel(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery+" "+string(body))
		if !strings.Contains(r.Header.Get("Authorization"), "/us-west-2/ivs/aws4_request") {
			t.Errorf("%s not signed for ivs", r.URL.Path)
		}
		if r.Method == http.MethodPost {
			io.WriteString(w, "{}")
		}
	}))
	defer srv.Close()
	c := New(aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	arn := "arn:aws:ivs:us-west-2:123456789012:stage/abc"
	if err := c.TagResource(context.Background(), arn, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	if err := c.UntagResource(context.Background(), arn, []string{"k", "x"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`POST /tags/arn:aws:ivs:us-west-2:123456789012:stage%2Fabc? {"tags":{"k":"v"}}`,
		`DELETE /tags/arn:aws:ivs:us-west-2:123456789012:stage%2Fabc?tagKeys=k&tagKeys=x `,
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}
