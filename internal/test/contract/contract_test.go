// Package contract checks what ivscdk writes into templates against AWS's
// own machine-readable models, so that a typo or a fact remembered wrong
// fails a test instead of a deployment:
//
//   - every IAM action in any policy ivscdk or its examples produce exists
//     in the Service Authorization Reference (testdata/iam-actions.json,
//     copied from shared/reference), and read grants hold only Read and
//     List actions;
//   - every grant names the resource types the Service Authorization
//     Reference requires for its actions (testdata/iam-resource-types.json),
//     so that IAM does not refuse the call at run time;
//   - every AWS API call ivscdk makes at deploy time through the CDK's
//     AwsCustomResource names an operation of the AWS SDK for Go v2 with
//     input members that exist, the required ones present (the SDK checks
//     them before sending);
//   - every EventBridge detail type ivscdk filters on is one AWS documents,
//     and each has a typed method;
//   - every typed CloudWatch metric is in the documented list
//     (testdata/metrics.json, with the source of each name).
package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ivssdk "github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
	"github.com/ivscdk/ivscdk/ivsops"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// readTestdata decodes the JSON file testdata/name into v.
func readTestdata(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// accessLevels maps "service:Action" to its access level.
func accessLevels(t *testing.T) map[string]string {
	t.Helper()
	var ref struct {
		Services map[string]map[string]string
	}
	readTestdata(t, "iam-actions.json", &ref)
	out := map[string]string{}
	for service, actions := range ref.Services {
		for action, level := range actions {
			out[service+":"+action] = level
		}
	}
	return out
}

// policyStatements returns the statements of every IAM policy in a
// template, by the logical ID of the policy.
func policyStatements(template map[string]any) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	resources, _ := template["Resources"].(map[string]any)
	for id, r := range resources {
		res, _ := r.(map[string]any)
		if res["Type"] != "AWS::IAM::Policy" {
			continue
		}
		doc, _ := res["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)
		statements, _ := doc["Statement"].([]any)
		for _, s := range statements {
			out[id] = append(out[id], s.(map[string]any))
		}
	}
	return out
}

// statementActions returns a statement's actions, written as one string or
// a list.
func statementActions(statement map[string]any) []string {
	switch a := statement["Action"].(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, 0, len(a))
		for _, x := range a {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}

// policyActions returns every action of every IAM policy statement in a
// template, by the logical ID of the policy.
func policyActions(template map[string]any) map[string][]string {
	out := map[string][]string{}
	for id, statements := range policyStatements(template) {
		for _, s := range statements {
			out[id] = append(out[id], statementActions(s)...)
		}
	}
	return out
}

// everything builds a stack that uses every grant, the managed key pair,
// the token endpoint and the restriction policy attachment.
func everything(t *testing.T) *cdktest.Env {
	env := cdktest.New(t)
	role := func(id string) awsiam.Role {
		return awsiam.NewRole(env.Stack, jsii.String(id), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	}
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	public := ivs.NewChannel(env.Stack, "Public", &ivs.ChannelProps{
		PlaybackRestrictionPolicy: ivs.NewPlaybackRestrictionPolicy(env.Stack, "Policy", &ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"US"}}),
		AdConfiguration: ivs.NewAdConfiguration(env.Stack, "Ads", &ivs.AdConfigurationProps{
			MediaTailorPlaybackConfigurationArns: []string{"arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/ads"},
		}),
	})
	key := public.AddStreamKey("Key")
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	stage.Endpoints()
	room := ivschat.NewRoom(env.Stack, "Room", nil)
	pair := ivs.NewManagedPlaybackKeyPair(env.Stack, "Pair", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: 30 * 24 * 3600e9})
	endpoint := ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{Channels: []ivs.IChannel{channel}, KeyPair: pair})
	publicKey := ivs.NewManagedPublicKey(env.Stack, "StageKey", &ivs.ManagedPublicKeyProps{RotationInterval: 30 * 24 * 3600e9})
	ivs.NewParticipantTokenEndpoint(env.Stack, "SelfSigned", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage}, PublicKey: publicKey})
	ivs.NewParticipantTokenEndpoint(env.Stack, "FromIVS", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage}})
	ivschat.NewChatTokenEndpoint(env.Stack, "ChatTokens", &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{room}})

	channel.GrantRead(role("ChannelRead"))
	channel.GrantPutMetadata(role("ChannelMetadata"))
	channel.GrantStopStream(role("ChannelStop"))
	channel.GrantRevokeViewerSessions(role("ChannelRevoke"))
	channel.GrantInsertAdBreak(role("ChannelAds"))
	key.GrantRead(role("KeyRead"))
	stage.GrantRead(role("StageRead"))
	stage.GrantCreateParticipantToken(role("StageToken"))
	stage.GrantDisconnectParticipant(role("StageDisconnect"))
	stage.GrantStartComposition(role("StageCompose"), &ivs.CompositionTargets{
		EncoderConfigurations: []ivs.IEncoderConfiguration{ivs.NewEncoderConfiguration(env.Stack, "Encoder", nil)},
		Channels:              []ivs.IChannel{public},
	})
	stage.GrantStartComposition(role("StageComposeAnyEncoder"), &ivs.CompositionTargets{Channels: []ivs.IChannel{public}})
	stage.GrantStopComposition(role("StageStopComposition"))
	stage.GrantParticipantReplication(role("StageReplicate"), ivs.NewStage(env.Stack, "ReplicaStage", nil))
	room.GrantCreateChatToken(role("RoomToken"))
	room.GrantSendEvent(role("RoomEvent"))
	room.GrantDeleteMessage(role("RoomDelete"))
	room.GrantDisconnectUser(role("RoomDisconnect"))
	pair.GrantReadPrivateKey(role("PairRead"))
	publicKey.GrantReadPrivateKey(role("StageKeyRead"))
	endpoint.GrantInvoke(role("Invoke"))
	return env
}

// goldenTemplates returns every golden template of the repository.
func goldenTemplates(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, pattern := range []string{"../../../ivs/testdata/*.json", "../../../ivschat/testdata/golden/*.json", "../../../examples/*/testdata/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var template map[string]any
			if json.Unmarshal(b, &template) == nil && template["Resources"] != nil {
				out[f] = template
			}
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %d golden templates", len(out))
	}
	return out
}

func TestEveryIVSActionExists(t *testing.T) {
	levels := accessLevels(t)
	templates := goldenTemplates(t)
	templates["every grant"] = everything(t).Synth()
	checked := 0
	for name, template := range templates {
		for policy, actions := range policyActions(template) {
			for _, action := range actions {
				if !strings.HasPrefix(action, "ivs:") && !strings.HasPrefix(action, "ivschat:") && !strings.HasPrefix(action, "cloudfront:") {
					continue
				}
				checked++
				if _, ok := levels[action]; !ok {
					t.Errorf("%s, policy %s: %s is not an action of the Service Authorization Reference", name, policy, action)
				}
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d IVS actions were checked: is the policy walk right?", checked)
	}
}

func TestReadGrantsAreReadOnly(t *testing.T) {
	levels := accessLevels(t)
	env := everything(t)
	template := env.Synth()
	actions := policyActions(template)
	for _, role := range []string{"ChannelRead", "KeyRead", "StageRead"} {
		policy := env.LogicalID(role + "/DefaultPolicy")
		if len(actions[policy]) == 0 {
			t.Errorf("%s has no actions", role)
		}
		for _, action := range actions[policy] {
			if level := levels[action]; level != "Read" && level != "List" {
				t.Errorf("%s holds %s, access level %q: a read grant may hold only Read and List", role, action, level)
			}
		}
	}
}

// sdkCall is what AwsCustomResource writes into its Create, Update and
// Delete properties.
type sdkCall struct {
	Service    string         `json:"service"`
	Action     string         `json:"action"`
	Parameters map[string]any `json:"parameters"`
}

// flatten turns a property into JSON text, with every token (intrinsic
// function) replaced by a placeholder string.
func flatten(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if parts, ok := x["Fn::Join"].([]any); ok {
			var b strings.Builder
			for _, p := range parts[1].([]any) {
				if s, ok := p.(string); ok {
					b.WriteString(s)
				} else {
					b.WriteString("placeholder")
				}
			}
			return b.String()
		}
	}
	return ""
}

func TestDeployTimeCallsMatchTheSDK(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer server.Close()
	clients := map[string]any{
		"ivs": ivssdk.NewFromConfig(aws.Config{
			Region: "us-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
			BaseEndpoint: aws.String(server.URL),
		}),
	}
	calls := 0
	for name, template := range map[string]map[string]any{"every grant": everything(t).Synth()} {
		for id, r := range template["Resources"].(map[string]any) {
			res := r.(map[string]any)
			if res["Type"] != "Custom::AWS" {
				continue
			}
			for _, phase := range []string{"Create", "Update", "Delete"} {
				text := flatten(res["Properties"].(map[string]any)[phase])
				if text == "" {
					continue
				}
				var call sdkCall
				if err := json.Unmarshal([]byte(text), &call); err != nil {
					t.Fatalf("%s %s %s: %v in %s", name, id, phase, err, text)
				}
				calls++
				checkSDKCall(t, clients, call, id+" "+phase)
			}
		}
	}
	if calls < 7 {
		t.Fatalf("%d AwsCustomResource calls found, want UpdateChannel (create, update, delete) and GetStage", calls)
	}
}

// documentedOperations are the input members, required ones marked, of
// operations whose AWS SDK for Go v2 module the Go module proxy here does
// not serve (service/ivsrealtime), written from their API reference pages.
var documentedOperations = map[string]map[string]map[string]bool{
	// IVS Real-Time API reference, GetStage: {"arn": "string"}, required.
	"ivsrealtime": {"GetStage": {"arn": true}},
}

// checkSDKCall maps the call onto the Go SDK client's method and input
// struct, and sends it, so that the SDK's own validation runs; for the
// services in documentedOperations it checks the members against those.
func checkSDKCall(t *testing.T, clients map[string]any, call sdkCall, where string) {
	t.Helper()
	if ops, ok := documentedOperations[strings.ToLower(call.Service)]; ok {
		members, ok := ops[call.Action]
		if !ok {
			t.Errorf("%s: %s has no documented operation %s", where, call.Service, call.Action)
			return
		}
		for k := range call.Parameters {
			if _, ok := members[k]; !ok {
				t.Errorf("%s: %s.%s has no input member %q", where, call.Service, call.Action, k)
			}
		}
		for k, required := range members {
			if _, given := call.Parameters[k]; required && !given {
				t.Errorf("%s: %s.%s needs %q", where, call.Service, call.Action, k)
			}
		}
		return
	}
	client, ok := clients[strings.ToLower(call.Service)]
	if !ok {
		t.Errorf("%s: no SDK client for service %q in this test", where, call.Service)
		return
	}
	method := reflect.ValueOf(client).MethodByName(call.Action)
	if !method.IsValid() {
		t.Errorf("%s: the %s SDK has no operation %s", where, call.Service, call.Action)
		return
	}
	input := reflect.New(method.Type().In(1).Elem())
	var keys []string
	for k := range call.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := input.Elem().FieldByNameFunc(func(f string) bool { return strings.EqualFold(f, k) })
		if !field.IsValid() || !unicode.IsLower([]rune(k)[0]) {
			t.Errorf("%s: %s.%s has no input member %q", where, call.Service, call.Action, k)
			continue
		}
		if field.Type() == reflect.TypeOf((*string)(nil)) {
			s, _ := call.Parameters[k].(string)
			field.Set(reflect.ValueOf(&s))
		}
	}
	out := method.Call([]reflect.Value{reflect.ValueOf(context.Background()), input})
	if err, _ := out[1].Interface().(error); err != nil {
		t.Errorf("%s: the SDK refuses %s.%s%v: %v", where, call.Service, call.Action, call.Parameters, err)
	}
}

// documentedDetailTypes are the aws.ivs detail types of the EventBridge
// events reference ("Amazon Interactive Video Service events"), and the ad
// break event of the IVS user guide ("Server-Side Ad Insertion (SSAI)").
var documentedDetailTypes = []string{
	"IVS Stream State Change", "IVS Stream Health Change", "IVS Limit Breach", "IVS Recording State Change",
	"IVS Stage Update", "IVS Composition State Change", "IVS Publisher Recording State Change",
	"IVS Participant Recording State Change",
	"IVS Ad Break State Change",
}

// Every rule ivscdk defines filters on a detail type the references list,
// and every listed detail type has a typed method.
func TestEveryDetailTypeIsDocumented(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", nil)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	channel.OnStreamStateChange("A", nil)
	channel.OnStreamHealthChange("B", nil)
	channel.OnRecordingStateChange("C", nil)
	ivs.OnLimitBreach(env.Stack, "D", nil)
	stage.OnStageUpdate("E", nil)
	stage.OnParticipantRecordingStateChange("F", nil)
	stage.OnCompositionStateChange("G", nil)
	channel.OnAdBreakStateChange("H", nil)
	ivs.OnPublisherRecordingStateChange(env.Stack, "I", nil)
	template := env.Synth()
	seen := map[string]bool{}
	for id, r := range template["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] != "AWS::Events::Rule" {
			continue
		}
		pattern := res["Properties"].(map[string]any)["EventPattern"].(map[string]any)
		for _, dt := range pattern["detail-type"].([]any) {
			seen[dt.(string)] = true
			found := false
			for _, d := range documentedDetailTypes {
				found = found || d == dt
			}
			if !found {
				t.Errorf("rule %s filters on %q, which the EventBridge reference does not list for aws.ivs", id, dt)
			}
		}
	}
	for _, d := range documentedDetailTypes {
		if !seen[d] {
			t.Errorf("no typed method defines a rule for the documented detail type %q", d)
		}
	}
}

// TestGoldenTemplatesConformToTheSchemas checks every golden template (the
// examples' too, whose own tests use only public packages) against the
// CloudFormation registry schemas, the third check of DESIGN.md.
func TestGoldenTemplatesConformToTheSchemas(t *testing.T) {
	for name, template := range goldenTemplates(t) {
		for _, problem := range cdktest.CheckSchemas(template) {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

// resourceTypesRequired maps "ivs:Action" to the resource types IAM
// requires for it.
func resourceTypesRequired(t *testing.T) map[string][]string {
	t.Helper()
	var ref struct {
		Actions map[string]struct{ Required []string }
	}
	readTestdata(t, "iam-resource-types.json", &ref)
	out := map[string][]string{}
	for action, types := range ref.Actions {
		out[action] = types.Required
	}
	return out
}

// cfnResourceTypes maps CloudFormation types to the resource part of their
// ARNs, for policies that name a resource by Fn::GetAtt or Ref.
var cfnResourceTypes = map[string]string{
	"AWS::IVS::Stage": "stage", "AWS::IVS::Channel": "channel", "AWS::IVS::StreamKey": "stream-key",
	"AWS::IVS::EncoderConfiguration": "encoder-configuration", "AWS::IVS::StorageConfiguration": "storage-configuration",
	"AWS::IVS::PlaybackKeyPair": "playback-key", "AWS::IVS::PlaybackRestrictionPolicy": "playback-restriction-policy",
	"AWS::IVS::AdConfiguration": "ad-configuration",
}

var (
	arnResourcePart  = regexp.MustCompile(`:ivs:[^:]*:[^:]*:([a-z-]+)/`)
	joinResourcePart = regexp.MustCompile(`(?:^|:)([a-z-]+)/`)
)

// resourceType says which IVS resource type a policy resource names: "*"
// for a wildcard, "" when it cannot tell.
func resourceType(template map[string]any, resource any) string {
	resources, _ := template["Resources"].(map[string]any)
	cfnType := func(id any) string {
		r, _ := resources[fmt.Sprint(id)].(map[string]any)
		return cfnResourceTypes[fmt.Sprint(r["Type"])]
	}
	switch r := resource.(type) {
	case string:
		if r == "*" {
			return "*"
		}
		if m := arnResourcePart.FindStringSubmatch(r); m != nil {
			return m[1]
		}
	case map[string]any:
		if att, ok := r["Fn::GetAtt"].([]any); ok && len(att) == 2 && att[1] == "Arn" {
			return cfnType(att[0])
		}
		if ref, ok := r["Ref"]; ok {
			return cfnType(ref)
		}
		if join, ok := r["Fn::Join"].([]any); ok && len(join) == 2 {
			parts, _ := join[1].([]any)
			for i := len(parts) - 1; i >= 0; i-- {
				if s, ok := parts[i].(string); ok {
					if m := joinResourcePart.FindStringSubmatch(s); m != nil {
						return m[1]
					}
				}
			}
		}
	}
	return ""
}

// IAM refuses a call unless the policy covers every resource type the
// action requires: a grant on the stage alone could not start a
// composition, which also needs an encoder configuration.
func TestGrantsNameTheResourceTypesIAMRequires(t *testing.T) {
	required := resourceTypesRequired(t)
	templates := goldenTemplates(t)
	templates["every grant"] = everything(t).Synth()
	checked := map[string]bool{}
	for name, template := range templates {
		for id, statements := range policyStatements(template) {
			for _, statement := range statements {
				granted := map[string]bool{}
				list, ok := statement["Resource"].([]any)
				if !ok {
					list = []any{statement["Resource"]}
				}
				for _, resource := range list {
					granted[resourceType(template, resource)] = true
				}
				for _, action := range statementActions(statement) {
					want, known := required[action]
					if !known || granted["*"] {
						continue
					}
					checked[action] = true
					for _, typ := range want {
						if !granted[typ] {
							t.Errorf("%s, policy %s: %s requires resource type %q, the statement grants %v", name, id, action, typ, statement["Resource"])
						}
					}
				}
			}
		}
	}
	for _, action := range []string{"ivs:StartComposition", "ivs:StopComposition", "ivs:CreateParticipantToken", "ivs:GetChannel", "ivs:UpdateChannel"} {
		if !checked[action] {
			t.Errorf("no statement with %s was checked: is the policy walk right?", action)
		}
	}
}

// documentedMetric is one metric of testdata/metrics.json: its unit and
// the dimension sets its documentation's table lists.
type documentedMetric struct {
	Unit          string
	DimensionSets [][]string
}

// documentedMetrics reads testdata/metrics.json: per namespace, its
// metrics.
func documentedMetrics(t *testing.T) map[string]map[string]documentedMetric {
	t.Helper()
	var ref struct {
		Namespaces map[string]struct {
			Source  string
			Metrics map[string]documentedMetric
		}
	}
	readTestdata(t, "metrics.json", &ref)
	out := map[string]map[string]documentedMetric{}
	for ns, n := range ref.Namespaces {
		out[ns] = n.Metrics
	}
	return out
}

// checkDocumented returns why namespace/name with dimensions (names) is
// not what the documentation lists, or "".
func checkDocumented(documented map[string]map[string]documentedMetric, namespace, name string, dimensions []string) string {
	metrics, ok := documented[namespace]
	if !ok {
		return "namespace " + namespace + " is not documented"
	}
	m, ok := metrics[name]
	if !ok {
		return "metric " + namespace + "/" + name + " is not in the documented list"
	}
	got := slices.Sorted(slices.Values(dimensions))
	for _, set := range m.DimensionSets {
		if slices.Equal(got, slices.Sorted(slices.Values(set))) {
			return ""
		}
	}
	return fmt.Sprintf("%s/%s with dimensions %v is not documented (its table lists %v): it would match no data", namespace, name, got, m.DimensionSets)
}

// callMetricMethods calls every Metric<Name>(opts) method of v's interface
// type (the typed metrics of a channel or stage) and returns the metrics by
// method name.
func callMetricMethods(t *testing.T, iface reflect.Type, v any) map[string]awscloudwatch.Metric {
	t.Helper()
	out := map[string]awscloudwatch.Metric{}
	value := reflect.ValueOf(v)
	for i := 0; i < iface.NumMethod(); i++ {
		m := iface.Method(i)
		if !strings.HasPrefix(m.Name, "Metric") || m.Name == "Metric" || m.Type.NumIn() != 1 {
			continue
		}
		res := value.MethodByName(m.Name).Call([]reflect.Value{reflect.Zero(m.Type.In(0))})
		out[m.Name] = res[0].Interface().(awscloudwatch.Metric)
	}
	return out
}

// Every typed metric names a namespace, metric and dimensions of the
// documented lists, and carries no unit (decision 14).
func TestEveryTypedMetricIsDocumented(t *testing.T) {
	documented := documentedMetrics(t)
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", nil)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	handler := awslambda.Function_FromFunctionArn(env.Stack, jsii.String("Handler"), jsii.String("arn:aws:lambda:us-west-2:123456789012:function:review"))
	room := ivschat.RoomFromRoomArn(env.Stack, "Room", "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh")
	metrics := callMetricMethods(t, reflect.TypeOf((*ivs.IChannel)(nil)).Elem(), channel)
	if len(metrics) < 9 {
		t.Fatalf("found only %d channel metric methods", len(metrics))
	}
	for name, m := range callMetricMethods(t, reflect.TypeOf((*ivs.IStage)(nil)).Elem(), stage) {
		metrics["Stage."+name] = m
	}
	for name, m := range map[string]awscloudwatch.Metric{
		"MetricAccountConcurrentStreams":                ivs.MetricAccountConcurrentStreams(nil),
		"MetricAccountConcurrentStreamsByHealth":        ivs.MetricAccountConcurrentStreamsByHealth(ivs.StreamHealthStarving, nil),
		"MetricAccountConcurrentViews":                  ivs.MetricAccountConcurrentViews(nil),
		"MetricAccountLiveDeliveredTime":                ivs.MetricAccountLiveDeliveredTime(nil),
		"MetricAccountLiveInputTime":                    ivs.MetricAccountLiveInputTime(nil),
		"MetricAccountRecordedTime":                     ivs.MetricAccountRecordedTime(nil),
		"ivschat.MetricConcurrentChatConnections":       ivschat.MetricConcurrentChatConnections(nil),
		"ivschat.MetricReviewHandlerInvocationErrors":   ivschat.MetricReviewHandlerInvocationErrors(handler, nil),
		"ivschat.MetricReviewHandlerResponseValidation": ivschat.MetricReviewHandlerResponseValidationErrors(handler, nil),
		"MetricAccountConcurrentPublishers":             ivs.MetricAccountConcurrentPublishers(nil),
		"MetricAccountConcurrentSubscriptions":          ivs.MetricAccountConcurrentSubscriptions(nil),
		"ivschat.MetricMessagingRequests":               ivschat.MetricMessagingRequests(nil),
		"ivschat.MetricMessagingDeliveries":             ivschat.MetricMessagingDeliveries(nil),
		"ivschat.MetricMessagesAllowed":                 ivschat.MetricMessagesAllowed(room, nil),
		"ivschat.MetricMessagesDenied":                  ivschat.MetricMessagesDenied(room, nil),
		"ivschat.MetricReviewFallbacks":                 ivschat.MetricReviewFallbacks(room, nil),
		"channel video of one track": channel.MetricIngestVideoBitrate(&awscloudwatch.MetricOptions{DimensionsMap: &map[string]*string{
			ivs.DimensionTrack: jsii.String("video1"),
		}}),
		"channel viewers of one country": channel.MetricLiveDeliveredTime(&awscloudwatch.MetricOptions{DimensionsMap: &map[string]*string{
			ivs.DimensionViewerCountryCode: jsii.String("GB"),
		}}),
	} {
		metrics[name] = m
	}
	for method, m := range metrics {
		var dims []string
		if m.Dimensions() != nil {
			for dim := range *m.Dimensions() {
				dims = append(dims, dim)
			}
		}
		if why := checkDocumented(documented, *m.Namespace(), *m.MetricName(), dims); why != "" {
			t.Errorf("%s: %s", method, why)
		}
		if m.Unit() != "" {
			t.Errorf("%s sets unit %s: CloudWatch would then match only data points of that unit", method, m.Unit())
		}
	}
}

// The stream health values are the IVS API's (the SDK's StreamHealth enum).
func TestStreamHealthValuesAreTheAPIs(t *testing.T) {
	var want []string
	for _, v := range ivstypes.StreamHealth("").Values() {
		want = append(want, string(v))
	}
	got := []string{string(ivs.StreamHealthHealthy), string(ivs.StreamHealthStarving), string(ivs.StreamHealthUnknown)}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ivs.StreamHealth values %v, the API's %v", got, want)
	}
}

// dashboardBody flattens a synthesized DashboardBody (a string, or an
// Fn::Join of strings and intrinsics) into JSON, each intrinsic written as
// the placeholder TOKEN (they all sit inside JSON strings).
func dashboardBody(t *testing.T, body any) map[string]any {
	t.Helper()
	var text strings.Builder
	switch b := body.(type) {
	case string:
		text.WriteString(b)
	case map[string]any:
		join := b["Fn::Join"].([]any)
		for _, part := range join[1].([]any) {
			if s, ok := part.(string); ok {
				text.WriteString(s)
			} else {
				text.WriteString("TOKEN")
			}
		}
	default:
		t.Fatalf("DashboardBody is %T", body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(text.String()), &out); err != nil {
		t.Fatalf("DashboardBody is not JSON: %v\n%s", err, text.String())
	}
	return out
}

// checkDashboardBody checks body against CloudWatch's "Dashboard Body
// Structure and Syntax" (CloudWatch API reference): a widgets array; each
// widget of a known type on the 24-column grid with its properties; each
// metric array [namespace, name, dimension name, value, ..., {options}] or
// [{expression}] (metric math), whose metrics the documentation lists with
// those dimensions. It returns the metrics it saw as namespace/name.
func checkDashboardBody(t *testing.T, documented map[string]map[string]documentedMetric, body map[string]any) []string {
	t.Helper()
	widgets, ok := body["widgets"].([]any)
	if !ok || len(widgets) == 0 {
		t.Fatalf("the body has no widgets array: %v", body)
	}
	var seen []string
	for i, w := range widgets {
		widget := w.(map[string]any)
		where := fmt.Sprintf("widget %d", i)
		switch widget["type"] {
		case "metric", "text", "alarm", "log", "explorer":
		default:
			t.Errorf("%s: type %v is not one of CloudWatch's", where, widget["type"])
		}
		x, y := widget["x"].(float64), widget["y"].(float64)
		width, height := widget["width"].(float64), widget["height"].(float64)
		if width < 1 || width > 24 || x < 0 || x+width > 24 || y < 0 || height < 1 || height > 1000 {
			t.Errorf("%s: x %v width %v y %v height %v is off CloudWatch's 24-column grid", where, x, width, y, height)
		}
		props, ok := widget["properties"].(map[string]any)
		if !ok {
			t.Errorf("%s has no properties", where)
			continue
		}
		switch widget["type"] {
		case "alarm":
			if alarms, ok := props["alarms"].([]any); !ok || len(alarms) == 0 || len(alarms) > 100 {
				t.Errorf("%s: an alarm widget takes 1 to 100 alarm ARNs, got %v", where, props["alarms"])
			}
		case "metric":
			if props["region"] == nil {
				t.Errorf("%s: a metric widget needs its region", where)
			}
			if v := props["view"]; v != nil && v != "timeSeries" && v != "singleValue" && v != "gauge" && v != "bar" && v != "pie" && v != "table" {
				t.Errorf("%s: view %v", where, v)
			}
			if p, ok := props["period"].(float64); ok && (p < 60 || int(p)%60 != 0) {
				t.Errorf("%s: period %v is not a multiple of 60 seconds", where, p)
			}
			metrics, _ := props["metrics"].([]any)
			if len(metrics) == 0 {
				t.Errorf("%s has no metrics", where)
			}
			for _, m := range metrics {
				entry := m.([]any)
				if opts, ok := entry[0].(map[string]any); ok {
					if _, ok := opts["expression"].(string); !ok || len(entry) != 1 {
						t.Errorf("%s: %v is neither a metric nor an expression", where, entry)
					}
					continue
				}
				fields := entry
				if _, ok := fields[len(fields)-1].(map[string]any); ok {
					fields = fields[:len(fields)-1]
				}
				if len(fields) < 2 || len(fields)%2 != 0 {
					t.Errorf("%s: metric %v is not [namespace, name, (dimension, value)...]", where, entry)
					continue
				}
				var dims []string
				for d := 2; d < len(fields); d += 2 {
					dims = append(dims, fields[d].(string))
				}
				ns, name := fields[0].(string), fields[1].(string)
				if why := checkDocumented(documented, ns, name, dims); why != "" {
					t.Errorf("%s: %s", where, why)
				}
				seen = append(seen, ns+"/"+name)
			}
		}
	}
	return seen
}

// The dashboard's widgets follow CloudWatch's body structure, and every
// metric on them and on its alarms is one the IVS, IVS Chat and
// EventBridge tables list, with their dimensions.
func TestDashboardMetricsAreDocumented(t *testing.T) {
	documented := documentedMetrics(t)
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", nil)
	imported := ivs.ChannelFromChannelArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	handler := awslambda.Function_FromFunctionArn(env.Stack, jsii.String("Handler"), jsii.String("arn:aws:lambda:us-east-1:123456789012:function:review"))
	room := ivschat.NewRoom(env.Stack, "Room", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{Handler: handler}})
	ivsops.NewDashboard(env.Stack, "Dashboard", &ivsops.DashboardProps{
		Channels: []ivs.IChannel{channel, imported}, Stages: []ivs.IStage{stage}, Rooms: []ivschat.IRoom{room},
		AlarmTopic: awssns.NewTopic(env.Stack, jsii.String("Alarms"), nil),
		Alarms:     ivsops.DashboardAlarms{ConcurrentViewsPerChannel: 5000, ConcurrentStreamsQuota: 100},
	})
	template := env.Synth()
	var body map[string]any
	alarms := 0
	for _, r := range template["Resources"].(map[string]any) {
		resource := r.(map[string]any)
		props, _ := resource["Properties"].(map[string]any)
		switch resource["Type"] {
		case "AWS::CloudWatch::Dashboard":
			body = dashboardBody(t, props["DashboardBody"])
		case "AWS::CloudWatch::Alarm":
			alarms++
			var dims []string
			dimensions, _ := props["Dimensions"].([]any)
			for _, d := range dimensions {
				dims = append(dims, d.(map[string]any)["Name"].(string))
			}
			if why := checkDocumented(documented, props["Namespace"].(string), props["MetricName"].(string), dims); why != "" {
				t.Errorf("alarm %v: %s", props["AlarmDescription"], why)
			}
		}
	}
	seen := checkDashboardBody(t, documented, body)
	for _, want := range []string{"AWS/IVS/IngestVideoBitrate", "AWS/IVS/KeyframeInterval", "AWS/IVS/ConcurrentViews", "AWS/IVS/LiveDeliveredTime",
		"AWS/IVS/ConcurrentStreams", "AWS/IVSRealTime/Publishers", "AWS/IVSRealTime/DroppedFrames", "AWS/IVSRealTime/ConcurrentPublishers",
		"AWS/IVSChat/MessagingDeliveries", "AWS/IVSChat/InvocationErrors", "ivscdk/ChatModeration/Denied"} {
		if !slices.Contains(seen, want) {
			t.Errorf("the dashboard shows no %s (it shows %v)", want, seen)
		}
	}
	// Two channels (bitrate, keyframe, viewers each), the streams quota,
	// chat connections, the review handler's two, the stream failures.
	if alarms != 2*3+1+1+2+1 {
		t.Errorf("%d alarms, want %d", alarms, 2*3+1+1+2+1)
	}
}
