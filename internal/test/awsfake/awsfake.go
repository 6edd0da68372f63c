// Package awsfake is a local stand-in for the AWS services ivscdk's Lambda
// handlers call, for tests that drive the real AWS SDK for Go v2 clients:
// one httptest server that speaks IVS's REST-JSON protocol and Secrets
// Manager's JSON 1.1 protocol, keeps their state in memory, and can be told
// to fail an operation. The SDK's serialisation, error decoding and retries
// are exercised; only the service is fake.
//
// Behaviour modelled on the service documentation: IVS allows three
// playback key pairs per account and region (ServiceQuotaExceededException
// beyond, as the user guide "Create or Import an IVS Playback Key" states);
// Secrets Manager versions carry staging labels, a label is on at most one
// version, moving AWSCURRENT puts AWSPREVIOUS on the version that had it,
// PutSecretValue with a known ClientRequestToken is idempotent for the
// same value and refused for a different one, and RotateSecret runs the
// rotation function as the API reference describes, the set-up test of
// RotateImmediately=false included (rotation.go).
package awsfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// Account and Region are those of every ARN the server makes.
const (
	Account = "123456789012"
	Region  = "us-west-2"
)

// MaxPlaybackKeyPairs is IVS's per-region limit.
const MaxPlaybackKeyPairs = 3

// Server is the fake. Its zero value is not usable: call New.
type Server struct {
	*httptest.Server
	// Now is the clock for secret dates; tests may replace it.
	Now func() time.Time
	// Delay makes every call wait this long before it is answered (or
	// until the caller gives up), as a slow or unreachable service would.
	Delay time.Duration
	// StageQuota, when set, is how many stages CreateStage allows before
	// it answers ServiceQuotaExceededException.
	StageQuota int

	mu           sync.Mutex
	keyPairs     map[string]*KeyPair // by ARN
	publicKeys   map[string]*KeyPair // IVS real-time public keys, by ARN
	stages       map[string]*Stage   // by ARN
	rooms        map[string]bool     // chat room ARNs
	roomInfo     map[string]*Room    // rooms made by CreateRoom, by ARN
	secrets      map[string]*Secret  // by ARN
	calls        map[string]int
	signedFor    map[string]string // operation -> SigV4 service of its last call
	failures     map[string]Failure
	serial       int
	rotators     map[string]RotationFunc      // rotation functions, by secret ARN
	compositions []*Composition               // in the order started
	cfKeys       map[string]*CloudFrontKey    // CloudFront public keys, by ID
	keyGroups    map[string]*KeyGroup         // CloudFront key groups, by ID
	channels     map[string]*channel          // low-latency channels, by ARN (metadata.go)
	images       map[string][]ModerationLabel // Rekognition's answers, by "bucket/key" (moderation.go)
	published    map[string][]string          // SNS messages, by topic ARN
	revocations  []Revocation                 // viewer session revocations (moderation.go)
}

// Stage is an IVS real-time stage as the fake stores it.
type Stage struct {
	Arn, Name, EventsURL, WhipURL string
	Tags                          map[string]string
	// ActiveSessionID is the session in progress ("" when idle);
	// Sessions are every session, oldest first.
	ActiveSessionID string
	Sessions        []StageSession
	// Disconnected are the participants DisconnectParticipant removed.
	Disconnected []Disconnection
	// Participants are those who joined, by participant ID: their user
	// IDs (GetParticipant).
	Participants map[string]string
	// Publishing are the participants publishing now; LastUnpublished
	// is when the last one stopped.
	Publishing      map[string]bool
	LastUnpublished time.Time
}

// StageSession is one session of a stage (EndTime zero while active).
type StageSession struct {
	ID                 string
	StartTime, EndTime time.Time
}

// Disconnection is one DisconnectParticipant call.
type Disconnection struct {
	ParticipantID, Reason string
}

// KeyPair is an IVS playback key pair as the fake stores it.
type KeyPair struct {
	Arn, Name, Fingerprint, PublicKeyMaterial string
	Tags                                      map[string]string
}

// Secret is a Secrets Manager secret as the fake stores it.
type Secret struct {
	Arn, Name       string
	RotationEnabled bool
	LastRotated     time.Time
	Versions        map[string]*SecretVersion // by version ID
}

// SecretVersion is one version of a secret.
type SecretVersion struct {
	ID, Value string
	// Reserved marks a version that rotation has labelled AWSPENDING
	// before createSecret gave it a value.
	Reserved bool
	Stages   []string
	Created  time.Time
}

// Failure makes an operation answer with an AWS error.
type Failure struct {
	// Code is the error type, e.g. "AccessDeniedException".
	Code string
	// Status is the HTTP status (400 when 0).
	Status int
	// Times is how many calls fail (every call when 0).
	Times int
}

// New starts a fake; it is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		Now:        time.Now,
		keyPairs:   map[string]*KeyPair{},
		publicKeys: map[string]*KeyPair{},
		stages:     map[string]*Stage{},
		rooms:      map[string]bool{},
		roomInfo:   map[string]*Room{},
		secrets:    map[string]*Secret{},
		calls:      map[string]int{},
		signedFor:  map[string]string{},
		failures:   map[string]Failure{},
		cfKeys:     map[string]*CloudFrontKey{},
		keyGroups:  map[string]*KeyGroup{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Config returns an AWS configuration whose clients reach this server: set
// BaseEndpoint from it on each client (ClientOptions does).
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret", ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   s.Client(),
	}
}

// SetClock replaces Now while the server may be answering calls.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Now = now
}

// SetDelay replaces Delay while the server may be answering calls.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Delay = d
}

// Fail makes operation (e.g. "ImportPlaybackKeyPair", "PutSecretValue")
// fail as f says.
func (s *Server) Fail(operation string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[operation] = f
}

// Recover ends an injected failure of operation.
func (s *Server) Recover(operation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.failures, operation)
}

// Calls returns how often operation was called.
func (s *Server) Calls(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[operation]
}

// CreateSecret adds an empty secret, as CloudFormation creates one with no
// value, and returns its ARN.
func (s *Server) CreateSecret(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	arn := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf", Region, Account, name)
	s.secrets[arn] = &Secret{Arn: arn, Name: name, Versions: map[string]*SecretVersion{}}
	return arn
}

// EnableRotation marks a secret as rotating.
func (s *Server) EnableRotation(arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[arn].RotationEnabled = true
}

// ReservePending does what RotateSecret does before it calls the rotation
// function: it labels the version ID token AWSPENDING, with no value yet.
func (s *Server) ReservePending(arn, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[arn]
	v, ok := sec.Versions[token]
	if !ok {
		v = &SecretVersion{ID: token, Reserved: true, Created: s.Now()}
		sec.Versions[token] = v
	}
	sec.moveStage("AWSPENDING", v)
}

// SecretValue returns the value of the version with the stage, or "".
func (s *Server) SecretValue(arn, stage string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.secrets[arn].withStage(stage); v != nil && !v.Reserved {
		return v.Value
	}
	return ""
}

// SecretVersions returns a copy of the secret's versions.
func (s *Server) SecretVersions(arn string) map[string]SecretVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]SecretVersion{}
	for id, v := range s.secrets[arn].Versions {
		out[id] = *v
	}
	return out
}

// KeyPairs returns copies of the stored key pairs, sorted by name.
func (s *Server) KeyPairs() []KeyPair {
	s.mu.Lock()
	defer s.mu.Unlock()
	return byName(s.keyPairs)
}

// byName returns copies of keys sorted by name.
func byName(keys map[string]*KeyPair) []KeyPair {
	out := make([]KeyPair, 0, len(keys))
	for _, k := range keys {
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AddKeyPair stores a key pair made outside the code under test (another
// team's, say) and returns its ARN.
func (s *Server) AddKeyPair(name string, tags map[string]string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addKeyPair(name, "", tags).Arn
}

func (s *Server) addKeyPair(name, material string, tags map[string]string) *KeyPair {
	s.serial++
	id := fmt.Sprintf("kp%010d", s.serial)
	sum := sha256.Sum256([]byte(material))
	kp := &KeyPair{
		Arn:               fmt.Sprintf("arn:aws:ivs:%s:%s:playback-key/%s", Region, Account, id),
		Name:              name,
		Fingerprint:       hex.EncodeToString(sum[:16]),
		PublicKeyMaterial: material,
		Tags:              tags,
	}
	s.keyPairs[kp.Arn] = kp
	return kp
}

// apiError is an AWS error answer.
type apiError struct {
	status        int
	code, message string
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	delay := s.Delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	var op, cfID string
	var handle func([]byte) (any, *apiError)
	cloudFront := strings.HasPrefix(r.URL.Path, cloudFrontPath)
	query := strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
	if cloudFront {
		op, cfID = cloudFrontOperation(r)
	} else if query {
		// SNS's query protocol: the action and its parameters in a form.
		form, _ := url.ParseQuery(string(body))
		op = form.Get("Action")
		handle = s.snsOperation(op, form)
	} else if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, "RekognitionService.") {
		op = strings.TrimPrefix(target, "RekognitionService.")
		handle = s.rekognitionOperation(op)
	} else if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, "secretsmanager.") {
		op = strings.TrimPrefix(target, "secretsmanager.")
		handle = s.secretsManager(op)
	} else if arn, ok := strings.CutPrefix(r.URL.Path, "/tags/"); ok {
		// TagResource (POST) and UntagResource (DELETE, tagKeys in the
		// query) of the IVS real-time API: the ARN, URL-encoded, in the
		// path (botocore's model: location uri, querystring).
		op = map[string]string{http.MethodPost: "TagResource", http.MethodDelete: "UntagResource"}[r.Method]
		handle = s.tagOperation(op, arn, r.URL.Query()["tagKeys"])
	} else {
		op = strings.TrimPrefix(r.URL.Path, "/")
		if handle = s.ivs(op); handle == nil {
			if handle = s.realTime(op); handle == nil {
				handle = s.chat(op)
			}
		}
	}
	s.mu.Lock()
	s.calls[op]++
	s.signedFor[op] = signingService(r.Header.Get("Authorization"))
	f, failing := s.failures[op]
	if failing && f.Times > 0 {
		if f.Times == 1 {
			delete(s.failures, op)
		} else {
			f.Times--
			s.failures[op] = f
		}
	}
	s.mu.Unlock()

	var out any
	var apiErr *apiError
	if failing {
		status := f.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		apiErr = &apiError{status, f.Code, "injected failure of " + op}
	}
	if cloudFront {
		s.serveCloudFront(w, r, op, cfID, body, apiErr)
		return
	}
	switch {
	case failing:
	case op == "RotateSecret":
		out, apiErr = s.rotateSecretOperation(body)
	case handle == nil:
		apiErr = &apiError{http.StatusNotFound, "UnknownOperationException", "the fake does not know " + op}
	default:
		s.mu.Lock()
		out, apiErr = handle(body)
		s.mu.Unlock()
	}
	if query {
		writeQuery(w, op, out, apiErr)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if apiErr != nil {
		w.Header().Set("X-Amzn-ErrorType", apiErr.code)
		w.WriteHeader(apiErr.status)
		json.NewEncoder(w).Encode(map[string]string{"__type": apiErr.code, "message": apiErr.message})
		return
	}
	json.NewEncoder(w).Encode(out)
}

func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return &apiError{http.StatusBadRequest, "ValidationException", err.Error()}
	}
	return nil
}

// ivs returns the handler of an IVS operation (REST-JSON: POST /Operation).
func (s *Server) ivs(op string) func([]byte) (any, *apiError) {
	wire := func(kp *KeyPair) map[string]any {
		return map[string]any{"arn": kp.Arn, "name": kp.Name, "fingerprint": kp.Fingerprint, "tags": kp.Tags}
	}
	switch op {
	case "ImportPlaybackKeyPair":
		return func(body []byte) (any, *apiError) {
			in, err := decodeKeyImport(body, s.keyPairs)
			if err != nil {
				return nil, err
			}
			if len(s.keyPairs) >= MaxPlaybackKeyPairs {
				return nil, &apiError{http.StatusPaymentRequired, "ServiceQuotaExceededException", "playback key pair limit of 3 reached"}
			}
			return map[string]any{"keyPair": wire(s.addKeyPair(in.Name, in.PublicKeyMaterial, in.Tags))}, nil
		}
	case "GetPlaybackKeyPair", "DeletePlaybackKeyPair":
		return func(body []byte) (any, *apiError) {
			var in struct {
				Arn string `json:"arn"`
			}
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			kp, ok := s.keyPairs[in.Arn]
			if !ok {
				return nil, &apiError{http.StatusNotFound, "ResourceNotFoundException", "no key pair " + in.Arn}
			}
			if op == "DeletePlaybackKeyPair" {
				delete(s.keyPairs, in.Arn)
				return map[string]any{}, nil
			}
			return map[string]any{"keyPair": wire(kp)}, nil
		}
	case "ListPlaybackKeyPairs":
		return func(body []byte) (any, *apiError) { return listOnePerPage(body, s.keyPairs, "keyPairs") }
	case "PutMetadata":
		return s.putMetadata
	case "StopStream":
		return s.stopStream
	case "StartViewerSessionRevocation":
		return s.startViewerSessionRevocation
	}
	return nil
}

// listOnePerPage answers a List operation over keys with one key per page,
// so that callers must follow nextToken.
func listOnePerPage(body []byte, keys map[string]*KeyPair, field string) (any, *apiError) {
	var in struct {
		NextToken string `json:"nextToken"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	arns := make([]string, 0, len(keys))
	for arn := range keys {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	i := sort.SearchStrings(arns, in.NextToken)
	out := map[string]any{field: []any{}}
	if i < len(arns) {
		k := keys[arns[i]]
		out[field] = []any{map[string]any{"arn": k.Arn, "name": k.Name, "tags": k.Tags}}
		if i+1 < len(arns) {
			out["nextToken"] = arns[i+1]
		}
	}
	return out, nil
}

func (sec *Secret) withStage(stage string) *SecretVersion {
	for _, v := range sec.Versions {
		for _, st := range v.Stages {
			if st == stage {
				return v
			}
		}
	}
	return nil
}

// moveStage puts stage on version v alone; moving AWSCURRENT puts
// AWSPREVIOUS on the version that had it.
func (sec *Secret) moveStage(stage string, v *SecretVersion) {
	old := sec.withStage(stage)
	if old == v {
		return
	}
	if old != nil {
		old.Stages = without(old.Stages, stage)
		if stage == "AWSCURRENT" {
			if prev := sec.withStage("AWSPREVIOUS"); prev != nil {
				prev.Stages = without(prev.Stages, "AWSPREVIOUS")
			}
			old.Stages = append(old.Stages, "AWSPREVIOUS")
		}
	}
	v.Stages = append(v.Stages, stage)
}

func without(stages []string, stage string) []string {
	out := stages[:0:0]
	for _, s := range stages {
		if s != stage {
			out = append(out, s)
		}
	}
	return out
}

// secretsManager returns the handler of a Secrets Manager operation (JSON
// 1.1: POST / with X-Amz-Target).
func (s *Server) secretsManager(op string) func([]byte) (any, *apiError) {
	type input struct {
		SecretId, VersionId, VersionStage, ClientRequestToken, SecretString string
		MoveToVersionId, RemoveFromVersionId                                string
		VersionStages                                                       []string
	}
	find := func(body []byte) (*input, *Secret, *apiError) {
		var in input
		if err := decode(body, &in); err != nil {
			return nil, nil, err
		}
		for _, sec := range s.secrets {
			if sec.Arn == in.SecretId || sec.Name == in.SecretId {
				return &in, sec, nil
			}
		}
		return nil, nil, &apiError{http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."}
	}
	epoch := func(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
	switch op {
	case "GetSecretValue":
		return func(body []byte) (any, *apiError) {
			in, sec, err := find(body)
			if err != nil {
				return nil, err
			}
			var v *SecretVersion
			if in.VersionId != "" {
				v = sec.Versions[in.VersionId]
				if v != nil && in.VersionStage != "" && sec.withStage(in.VersionStage) != v {
					v = nil
				}
			} else {
				stage := in.VersionStage
				if stage == "" {
					stage = "AWSCURRENT"
				}
				v = sec.withStage(stage)
			}
			if v == nil || v.Reserved {
				return nil, &apiError{http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label or version"}
			}
			return map[string]any{"ARN": sec.Arn, "Name": sec.Name, "VersionId": v.ID, "SecretString": v.Value,
				"VersionStages": v.Stages, "CreatedDate": epoch(v.Created)}, nil
		}
	case "PutSecretValue":
		return func(body []byte) (any, *apiError) {
			in, sec, err := find(body)
			if err != nil {
				return nil, err
			}
			if in.ClientRequestToken == "" {
				return nil, &apiError{http.StatusBadRequest, "InvalidParameterException", "the SDK fills in ClientRequestToken; the fake wants it"}
			}
			stages := in.VersionStages
			if len(stages) == 0 {
				stages = []string{"AWSCURRENT"}
			}
			v, exists := sec.Versions[in.ClientRequestToken]
			if exists && v.Reserved {
				v.Value, v.Reserved = in.SecretString, false
			} else if exists {
				if v.Value != in.SecretString {
					return nil, &apiError{http.StatusBadRequest, "ResourceExistsException", "a version with this ClientRequestToken already exists with a different value"}
				}
			} else {
				v = &SecretVersion{ID: in.ClientRequestToken, Value: in.SecretString, Created: s.Now()}
				sec.Versions[v.ID] = v
			}
			for _, st := range stages {
				sec.moveStage(st, v)
			}
			return map[string]any{"ARN": sec.Arn, "Name": sec.Name, "VersionId": v.ID, "VersionStages": v.Stages}, nil
		}
	case "DescribeSecret":
		return func(body []byte) (any, *apiError) {
			_, sec, err := find(body)
			if err != nil {
				return nil, err
			}
			stages := map[string][]string{}
			for id, v := range sec.Versions {
				if len(v.Stages) > 0 {
					stages[id] = v.Stages
				}
			}
			out := map[string]any{"ARN": sec.Arn, "Name": sec.Name, "RotationEnabled": sec.RotationEnabled, "VersionIdsToStages": stages}
			if !sec.LastRotated.IsZero() {
				out["LastRotatedDate"] = epoch(sec.LastRotated)
			}
			return out, nil
		}
	case "UpdateSecretVersionStage":
		return func(body []byte) (any, *apiError) {
			in, sec, err := find(body)
			if err != nil {
				return nil, err
			}
			current := sec.withStage(in.VersionStage)
			if current != nil && current.ID != in.RemoveFromVersionId && in.MoveToVersionId != "" {
				return nil, &apiError{http.StatusBadRequest, "InvalidParameterException",
					fmt.Sprintf("the staging label %s is on version %s: name it in RemoveFromVersionId", in.VersionStage, current.ID)}
			}
			to, ok := sec.Versions[in.MoveToVersionId]
			if !ok {
				return nil, &apiError{http.StatusBadRequest, "ResourceNotFoundException", "no version " + in.MoveToVersionId}
			}
			sec.moveStage(in.VersionStage, to)
			return map[string]any{"ARN": sec.Arn, "Name": sec.Name}, nil
		}
	}
	return nil
}

// keyImport is the input of ImportPlaybackKeyPair and ImportPublicKey.
type keyImport struct {
	Name              string            `json:"name"`
	PublicKeyMaterial string            `json:"publicKeyMaterial"`
	Tags              map[string]string `json:"tags"`
}

// decodeKeyImport decodes an import request and refuses what IVS refuses:
// material that is not a public key PEM, or a key already in existing.
func decodeKeyImport(body []byte, existing map[string]*KeyPair) (keyImport, *apiError) {
	var in keyImport
	if err := decode(body, &in); err != nil {
		return in, err
	}
	if _, err := ivstoken.ParsePublicKeyPEM([]byte(in.PublicKeyMaterial)); err != nil {
		return in, validation("publicKeyMaterial: %v", err)
	}
	for _, k := range existing {
		if k.PublicKeyMaterial == in.PublicKeyMaterial {
			return in, &apiError{http.StatusConflict, "ConflictException", "this public key is already imported"}
		}
	}
	return in, nil
}
