// Package recordinglist is the endpoint people find and watch recordings
// through: it lists a channel's recordings from the index that
// handler/recordingindex keeps, newest first, a page at a time; hands out
// the playlist of one (the byte-range playlist while it is still
// recording, so that a player can seek back from the live edge); and lets
// moderators delete one, its objects and its entry alike.
//
// An authorized channel's recordings are as private as the channel: the
// answer to "watch" carries CloudFront signed cookies (package cfcookie)
// whose policy covers that one recording's folder and ends with the
// cookie lifetime, and the listing's thumbnails are signed URLs. A public
// channel's need neither.
//
// A stage's individual participant recordings (a request naming the stage
// instead of a channel) are always signed, and listed and played only for
// callers with CapabilityWatchStage: a stage has no public audience.
//
// Requests are API Gateway HTTP API (payload 2.0) events, authorized by
// API Gateway (IAM or JWT) as the token endpoints' are. It is the runtime
// of ivs.RecordingLibrary's endpoint, CDK-free (CI checks it).
package recordinglist

import (
	"context"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// Grant gives capabilities by JWT scope or claim.
type Grant = tokenapi.Grant

// CapabilityDelete lets a caller delete a recording (a capability grant,
// as for chat moderators).
const CapabilityDelete = wire.RecordingCapabilityDelete

// CapabilityWatchStage lets a caller list and watch the participant
// recordings of the stages served (a grant, for hosts; every caller of an
// IAM endpoint has it, its IAM policy deciding who calls).
const CapabilityWatchStage = wire.RecordingCapabilityWatchStage

// The routes.
const (
	PathList  = wire.RecordingListPath
	PathWatch = wire.RecordingWatchPath
)

// Defaults and limits.
const (
	DefaultPageSize       = 20
	MaxPageSize           = 100
	DefaultCookieLifetime = 2 * time.Hour
)

// Channel is a channel whose recordings the endpoint serves.
type Channel struct {
	Arn string `json:"arn"`
	// Authorized channels' recordings need signed cookies.
	Authorized bool `json:"authorized,omitempty"`
}

// Stage is a stage whose participant recordings the endpoint serves.
type Stage struct {
	Arn string `json:"arn"`
}

// Config is what the construct writes for the function.
type Config struct {
	Authentication string    `json:"authentication,omitempty"`
	Table          string    `json:"table"`
	Bucket         string    `json:"bucket"`
	Channels       []Channel `json:"channels,omitempty"`
	// Stages' participant recordings are served too (always signed).
	Stages []Stage `json:"stages,omitempty"`
	// Site is the recordings' distribution, https://<domain>. Empty: the
	// endpoint is served from the same distribution as the recordings, and
	// answers root-relative paths (/ivs/v1/...), the cookies' policy
	// naming any host (https://*/ivs/v1/...): only distributions that
	// trust the key group accept them, and the browser sends them to the
	// one that set them.
	Site string `json:"site,omitempty"`
	// CookieLifetime is how long a watch's cookies (and the listing's
	// thumbnail URLs) stay valid. Default DefaultCookieLifetime.
	CookieLifetime tokenapi.Duration `json:"cookieLifetime,omitempty"`
	// Grants give capabilities (CapabilityDelete, CapabilityWatchStage)
	// by JWT scope or claim.
	Grants []tokenapi.Grant `json:"grants,omitempty"`
	// PageSize is how many recordings a page lists. Default
	// DefaultPageSize, at most MaxPageSize.
	PageSize int `json:"pageSize,omitempty"`
	// SecretArn holds the cookie signing key (ECDSA P-256: a managed
	// cookie key or a PEM private key). KeyPairID is its CloudFront
	// public key's ID when the team brought the key; for a managed key,
	// KeyNamePrefix names its public keys (<prefix>-<secret version ID>,
	// managedkey.CloudFrontPublicKeys). An authorized channel, and any
	// stage, needs the secret and one of the two.
	SecretArn     string `json:"secretArn,omitempty"`
	KeyPairID     string `json:"keyPairId,omitempty"`
	KeyNamePrefix string `json:"keyNamePrefix,omitempty"`
}

var (
	channelArn = regexp.MustCompile(`^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[0-9]{12}:channel/[a-zA-Z0-9-]+$`)
	stageArn   = regexp.MustCompile(`^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[0-9]{12}:stage/[a-zA-Z0-9-]+$`)
)

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	var c Config
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("not a recording list configuration: %w", err)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Config) check() error {
	switch {
	case c.Table == "" || c.Bucket == "":
		return fmt.Errorf("table and bucket are required")
	case len(c.Channels) == 0 && len(c.Stages) == 0:
		return fmt.Errorf("no channel or stage is served")
	case c.Site != "" && (!strings.HasPrefix(c.Site, "https://") || strings.HasSuffix(c.Site, "/")):
		return fmt.Errorf("site %q is not https://<domain>", c.Site)
	case c.PageSize < 0 || c.PageSize > MaxPageSize:
		return fmt.Errorf("pageSize %d is not 1 to %d", c.PageSize, MaxPageSize)
	case c.CookieLifetime < 0:
		return fmt.Errorf("cookieLifetime cannot be negative")
	}
	for _, ch := range c.Channels {
		if !channelArn.MatchString(ch.Arn) {
			return fmt.Errorf("channel %q is not an IVS channel ARN", ch.Arn)
		}
		if ch.Authorized && (c.SecretArn == "" || c.KeyPairID == "" && c.KeyNamePrefix == "") {
			return fmt.Errorf("channel %s is authorized: secretArn and keyPairId or keyNamePrefix (the cookie signing key) are required", ch.Arn)
		}
	}
	for _, st := range c.Stages {
		if !stageArn.MatchString(st.Arn) {
			return fmt.Errorf("stage %q is not an IVS stage ARN", st.Arn)
		}
		if c.SecretArn == "" || c.KeyPairID == "" && c.KeyNamePrefix == "" {
			return fmt.Errorf("stage %s: secretArn and keyPairId or keyNamePrefix (the cookie signing key) are required", st.Arn)
		}
	}
	if err := tokenapi.CheckAuthentication(c.Authentication); err != nil {
		return err
	}
	return tokenapi.CheckGrants(c.Grants, capabilities)
}

// capabilities are those the grants may give.
var capabilities = []string{CapabilityDelete, CapabilityWatchStage}

// Keys gives the private key that signs cookies and its CloudFront public
// key ID.
type Keys interface {
	SigningKey(ctx context.Context) (*ecdsa.PrivateKey, string, error)
}

// DynamoDB is the part of the DynamoDB client the endpoint uses.
type DynamoDB interface {
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// S3 is the part of the S3 client the endpoint uses (deleting).
type S3 interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	DeleteObjects(context.Context, *s3.DeleteObjectsInput, ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error)
}

// Handler answers the endpoint's requests.
type Handler struct {
	config   Config
	served   *tokenapi.Served
	stages   *tokenapi.Served
	private  map[string]bool // index partition (channel ID, stage/<ID>) → signed
	db       DynamoDB
	s3       S3
	keys     Keys
	now      func() time.Time
	lifetime time.Duration
	pageSize int32
	table    *string
	signers  atomic.Pointer[cachedSigner]
}

// New returns the handler of c. now is the clock (nil: time.Now).
func New(c Config, db DynamoDB, s3Client S3, keys Keys, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	h := &Handler{config: c, db: db, s3: s3Client, keys: keys, now: now, private: map[string]bool{},
		lifetime: time.Duration(c.CookieLifetime), pageSize: int32(c.PageSize), table: aws.String(c.Table)}
	if h.lifetime == 0 {
		h.lifetime = DefaultCookieLifetime
	}
	if h.pageSize == 0 {
		h.pageSize = DefaultPageSize
	}
	var arns, stages []string
	for _, ch := range c.Channels {
		arns = append(arns, ch.Arn)
		h.private[channelID(ch.Arn)] = ch.Authorized
	}
	for _, st := range c.Stages {
		stages = append(stages, st.Arn)
		h.private[recordingindex.StagePartitionPrefix+channelID(st.Arn)] = true
	}
	h.served = tokenapi.NewServed("Channel", channelArn, arns)
	h.stages = tokenapi.NewServed("Stage", stageArn, stages)
	return h
}

func channelID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// Recording is one recording in an answer.
type Recording struct {
	// ID names it in watch and delete requests.
	ID     string `json:"id"`
	Status string `json:"status"`
	Live   bool   `json:"live"`
	// StartedAt and EndedAt are RFC 3339 times, as the metadata files
	// give them; EndedAt is empty while live.
	StartedAt  string `json:"startedAt"`
	EndedAt    string `json:"endedAt,omitempty"`
	DurationMs int64  `json:"durationMs"`
	// Thumbnail is the URL of its latest thumbnail (signed for an
	// authorized channel or a stage), when the configuration stores one.
	Thumbnail string `json:"thumbnail,omitempty"`
	// SessionID and ParticipantID name a stage's participant recording:
	// whose video it is, in which session.
	SessionID     string `json:"sessionId,omitempty"`
	ParticipantID string `json:"participantId,omitempty"`
	// Moderation is what video moderation found in the recording's
	// thumbnails (ivsops.VideoModeration with the library), oldest
	// first: listed for callers with CapabilityDelete only.
	Moderation []Moderation `json:"moderation,omitempty"`
}

// Moderation is one piece of video moderation's evidence, with a URL of
// the thumbnail it checked (signed as the recording's thumbnail is).
type Moderation struct {
	recordingindex.Evidence
	Thumbnail string `json:"thumbnail,omitempty"`
}

// List is the answer to a list request.
type List struct {
	Recordings []Recording `json:"recordings"`
	// Next asks for the following page (the "next" parameter); empty on
	// the last page.
	Next string `json:"next,omitempty"`
}

// Watch is the answer to a watch request.
type Watch struct {
	Recording
	// Playlist is the URL to load in the player.
	Playlist string `json:"playlist"`
	// ExpiresAt is when the cookies (for an authorized channel) end.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// AppendJSON writes w as json.Marshal does (tokenapi.JSONAppender): a
// watch is the answer a warm function gives most often.
func (w Watch) AppendJSON(dst []byte) []byte {
	dst = w.Recording.appendFields(append(dst, '{'))
	dst = tokenapi.AppendString(append(dst, `,"playlist":`...), w.Playlist)
	if !w.ExpiresAt.IsZero() {
		dst = tokenapi.AppendString(append(dst, `,"expiresAt":`...), w.ExpiresAt.Format(time.RFC3339Nano))
	}
	return append(dst, '}')
}

// appendFields writes r's fields, in the order and with the omissions of
// its JSON tags.
func (r Recording) appendFields(dst []byte) []byte {
	dst = tokenapi.AppendString(append(dst, `"id":`...), r.ID)
	dst = tokenapi.AppendString(append(dst, `,"status":`...), r.Status)
	dst = strconv.AppendBool(append(dst, `,"live":`...), r.Live)
	dst = tokenapi.AppendString(append(dst, `,"startedAt":`...), r.StartedAt)
	if r.EndedAt != "" {
		dst = tokenapi.AppendString(append(dst, `,"endedAt":`...), r.EndedAt)
	}
	dst = strconv.AppendInt(append(dst, `,"durationMs":`...), r.DurationMs, 10)
	for _, f := range [...]struct{ name, value string }{{`,"thumbnail":`, r.Thumbnail}, {`,"sessionId":`, r.SessionID}, {`,"participantId":`, r.ParticipantID}} {
		if f.value != "" {
			dst = tokenapi.AppendString(append(dst, f.name...), f.value)
		}
	}
	if len(r.Moderation) > 0 { // moderators' lists only: the plain encoder will do
		evidence, _ := json.Marshal(r.Moderation)
		dst = append(append(dst, `,"moderation":`...), evidence...)
	}
	return dst
}

// Handle answers one request.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var cookies []string
	body, err := h.handle(ctx, req, &cookies)
	resp, _ := tokenapi.Answer(body, err)
	resp.Cookies = cookies
	return resp, nil
}

func (h *Handler) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest, cookies *[]string) (any, error) {
	if err := tokenapi.CheckCaller(req, h.config.Authentication); err != nil {
		return nil, err
	}
	q := req.QueryStringParameters
	partition, err := h.pick(req)
	if err != nil {
		return nil, err
	}
	method, path := req.RequestContext.HTTP.Method, strings.TrimSuffix(req.RawPath, "/")
	switch {
	case method == http.MethodGet && strings.HasSuffix(path, PathWatch):
		return h.watch(ctx, partition, q["id"], cookies)
	case method == http.MethodGet && strings.HasSuffix(path, PathList):
		moderator := slices.Contains(tokenapi.Allowed(req, nil, h.config.Grants, capabilities), CapabilityDelete)
		return h.list(ctx, partition, q["next"], moderator)
	case method == http.MethodDelete && strings.HasSuffix(path, PathList):
		if !slices.Contains(tokenapi.Allowed(req, nil, h.config.Grants, capabilities), CapabilityDelete) {
			return nil, tokenapi.Fail(http.StatusForbidden, "NoCapability", "deleting a recording needs the %s capability", CapabilityDelete)
		}
		return h.delete(ctx, partition, q["id"])
	}
	return nil, tokenapi.Fail(http.StatusNotFound, "NoSuchRoute", "%.10s %.100s is not a route: GET %s, GET %s or DELETE %s", method, path, PathList, PathWatch, PathList)
}

// pick returns the index partition the request names: a channel's (the
// "channel" parameter), or a stage's (the "stage" parameter, or none when
// the endpoint serves stages only) for a caller with CapabilityWatchStage.
func (h *Handler) pick(req events.APIGatewayV2HTTPRequest) (string, error) {
	q := req.QueryStringParameters
	if q["stage"] == "" && (q["channel"] != "" || len(h.config.Channels) > 0) {
		arn, err := h.served.Pick(q["channel"])
		return channelID(arn), err
	}
	arn, err := h.stages.Pick(q["stage"])
	if err != nil {
		return "", err
	}
	var base []string
	if h.config.Authentication == tokenapi.AuthIAM {
		base = []string{CapabilityWatchStage}
	}
	if !slices.Contains(tokenapi.Allowed(req, base, h.config.Grants, capabilities), CapabilityWatchStage) {
		return "", tokenapi.Fail(http.StatusForbidden, "NoCapability", "a stage's recordings need the %s capability", CapabilityWatchStage)
	}
	return recordingindex.StagePartitionPrefix + channelID(arn), nil
}

// list answers a page of the partition's recordings, newest first, with
// their moderation evidence for a moderator.
func (h *Handler) list(ctx context.Context, id, next string, moderator bool) (any, error) {
	input := &dynamodb.QueryInput{
		TableName:                 h.table,
		KeyConditionExpression:    aws.String("#c = :c"),
		ExpressionAttributeNames:  map[string]string{"#c": recordingindex.AttrChannel},
		ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":c": &dbtypes.AttributeValueMemberS{Value: id}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(h.pageSize),
	}
	if next != "" {
		start, err := base64.RawURLEncoding.DecodeString(next)
		if err != nil || !validSortKey(string(start)) {
			return nil, tokenapi.Fail(http.StatusBadRequest, "InvalidNext", "next %.40q is not a page this endpoint gave", next)
		}
		input.ExclusiveStartKey = map[string]dbtypes.AttributeValue{
			recordingindex.AttrChannel: &dbtypes.AttributeValueMemberS{Value: id},
			recordingindex.AttrStart:   &dbtypes.AttributeValueMemberS{Value: string(start)},
		}
	}
	page, err := h.db.Query(ctx, input)
	if err != nil {
		return nil, fmt.Errorf("querying the index: %w", err)
	}
	answer := List{Recordings: []Recording{}}
	now := h.now()
	for _, item := range page.Items {
		r, ok := h.recording(ctx, item, now)
		if ok {
			answer.Recordings = append(answer.Recordings, r)
		}
	}
	if last, ok := page.LastEvaluatedKey[recordingindex.AttrStart].(*dbtypes.AttributeValueMemberS); ok {
		answer.Next = base64.RawURLEncoding.EncodeToString([]byte(last.Value))
	}
	if moderator && len(answer.Recordings) > 0 && !strings.HasPrefix(id, recordingindex.StagePartitionPrefix) {
		if err := h.attachEvidence(ctx, id, answer.Recordings, now); err != nil {
			return nil, err
		}
	}
	return answer, nil
}

// attachEvidence adds the moderation evidence of the channel's page of
// recordings (newest first), in one query.
func (h *Handler) attachEvidence(ctx context.Context, channel string, page []Recording, now time.Time) error {
	evidence, err := recordingindex.ReadEvidence(ctx, h.db, *h.table, channel, page[len(page)-1].ID, page[0].ID)
	if err != nil {
		return err
	}
	for i := range page {
		for _, e := range evidence[page[i].ID] {
			m := Moderation{Evidence: e, Thumbnail: h.url(e.Key)}
			if h.private[channel] {
				if query, err := h.signedQuery(ctx, h.resource(e.Key), now); err == nil {
					m.Thumbnail += "?" + query
				} else {
					m.Thumbnail = ""
				}
			}
			page[i].Moderation = append(page[i].Moderation, m)
		}
	}
	return nil
}

// validSortKey tells whether s is a sort key the index writes: a
// channel's "2026-12-02T18:05Z#<recording ID>" or a participant
// recording's "<timestamp>#<session ID>#<participant ID>"
// (recordingindex.SortKey). It is checked by hand rather than by a
// regular expression: it runs on every watch and delete.
func validSortKey(s string) bool {
	parts := strings.SplitN(s, "#", 4)
	switch len(parts) {
	case 2:
		m := parts[0]
		return len(m) == len("2026-12-02T18:05Z") && digits(m[0:4]) && m[4] == '-' && digits(m[5:7]) && m[7] == '-' &&
			digits(m[8:10]) && m[10] == 'T' && digits(m[11:13]) && m[13] == ':' && digits(m[14:16]) && m[16] == 'Z' && resourceID(parts[1])
	case 3:
		return timestampFolder(parts[0]) && resourceID(parts[1]) && resourceID(parts[2])
	}
	return false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// resourceID is an IVS ID: 1 to 64 letters, digits and '-'.
func resourceID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// timestampFolder is a participant recording's timestamp folder: 1 to 64
// letters, digits, ':', '.', '_' and '-'.
func timestampFolder(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// entry is an index item read back, with what the answers need.
type entry struct {
	recordingindex.Recording
	id                 string
	startedAt, endedAt string
	expiresAt          int64
}

func readEntry(item map[string]dbtypes.AttributeValue) (entry, error) {
	text := func(name string) string {
		v, _ := item[name].(*dbtypes.AttributeValueMemberS)
		if v == nil {
			return ""
		}
		return v.Value
	}
	loc, err := recordingindex.ParsePrefix(text("prefix"))
	if err != nil {
		return entry{}, err
	}
	e := entry{id: text(recordingindex.AttrStart)}
	e.Location = loc
	e.Status, e.Playlist, e.ByteRangePlaylist, e.LatestThumbnail = text("status"), text("playlist"), text("byteRangePlaylist"), text("latestThumbnail")
	e.startedAt, e.endedAt = text("startedAt"), text("endedAt")
	if n, ok := item["durationMs"].(*dbtypes.AttributeValueMemberN); ok {
		e.DurationMs, _ = strconv.ParseInt(n.Value, 10, 64)
	}
	if n, ok := item[recordingindex.AttrExpiresAt].(*dbtypes.AttributeValueMemberN); ok {
		e.expiresAt, _ = strconv.ParseInt(n.Value, 10, 64)
	}
	return e, nil
}

// answer is the entry as a Recording of an answer.
func (e entry) answer() Recording {
	return Recording{ID: e.id, Status: e.Status, Live: e.Status == recordingindex.StatusStarted,
		StartedAt: e.startedAt, EndedAt: e.endedAt, DurationMs: e.DurationMs, SessionID: e.SessionID, ParticipantID: e.ParticipantID}
}

// recording is an entry as answered; ok is false for one past its
// retention (DynamoDB deletes expired items up to days late).
func (h *Handler) recording(ctx context.Context, item map[string]dbtypes.AttributeValue, now time.Time) (Recording, bool) {
	e, err := readEntry(item)
	if err != nil || (e.expiresAt != 0 && e.expiresAt <= now.Unix()) {
		return Recording{}, false
	}
	r := e.answer()
	if e.LatestThumbnail != "" {
		r.Thumbnail = h.url(e.LatestThumbnail)
		if h.private[e.Partition()] {
			if query, err := h.signedQuery(ctx, h.resource(e.LatestThumbnail), now); err == nil {
				r.Thumbnail += "?" + query
			} else {
				r.Thumbnail = ""
			}
		}
	}
	return r, true
}

// url is where key is served: under Site, or a root-relative path.
func (h *Handler) url(key string) string { return h.config.Site + "/" + key }

// resource is what a policy names for key: its URL, any host when Site is
// empty.
func (h *Handler) resource(key string) string {
	if h.config.Site == "" {
		return "https://*/" + key
	}
	return h.url(key)
}

// get reads one entry of the partition.
func (h *Handler) get(ctx context.Context, partition, id string) (entry, error) {
	if !validSortKey(id) {
		return entry{}, tokenapi.Fail(http.StatusBadRequest, "InvalidRecording", "id %.80q is not a recording ID this endpoint gave", id)
	}
	out, err := h.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: h.table, Key: map[string]dbtypes.AttributeValue{
		recordingindex.AttrChannel: &dbtypes.AttributeValueMemberS{Value: partition},
		recordingindex.AttrStart:   &dbtypes.AttributeValueMemberS{Value: id},
	}})
	if err != nil {
		return entry{}, fmt.Errorf("reading the index: %w", err)
	}
	e, err := readEntry(out.Item)
	if len(out.Item) == 0 || err != nil || e.Partition() != partition || (e.expiresAt != 0 && e.expiresAt <= h.now().Unix()) {
		return entry{}, tokenapi.Fail(http.StatusNotFound, "RecordingNotFound", "%s has no recording %s", describe(partition), id)
	}
	return e, nil
}

// describe names a partition in answers.
func describe(partition string) string {
	if stage, ok := strings.CutPrefix(partition, recordingindex.StagePartitionPrefix); ok {
		return "stage " + stage
	}
	return "channel " + partition
}

// watch answers one recording's playlist and, for an authorized channel
// or a stage, the cookies for its folder.
func (h *Handler) watch(ctx context.Context, partition, id string, cookies *[]string) (any, error) {
	e, err := h.get(ctx, partition, id)
	if err != nil {
		return nil, err
	}
	now := h.now()
	r := e.answer()
	answer := Watch{Recording: r, Playlist: h.url(e.Playlist)}
	if r.Live && e.ByteRangePlaylist != "" {
		// Rewind while live: the byte-range playlist lists the whole
		// recording so far, segment by keyframe.
		answer.Playlist = h.url(e.ByteRangePlaylist)
	}
	if h.private[e.Partition()] {
		signer, err := h.signer(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the cookie key: %w", err)
		}
		answer.ExpiresAt = now.Add(h.lifetime).Truncate(time.Second)
		list, err := signer.SetCookies(cfcookie.Policy{Resource: h.resource(e.Prefix) + "/*", Expires: answer.ExpiresAt}, "/"+e.Prefix+"/")
		if err != nil {
			return nil, err
		}
		*cookies = list
	}
	return answer, nil
}

// signer is the cookie signer of the current key, made once per key.
func (h *Handler) signer(ctx context.Context) (*cfcookie.Signer, error) {
	key, keyID, err := h.keys.SigningKey(ctx)
	if err != nil {
		return nil, err
	}
	if c := h.signers.Load(); c != nil && c.key == key && c.id == keyID {
		return c.signer, nil
	}
	signer, err := cfcookie.NewSigner(key, keyID)
	if err != nil {
		return nil, err
	}
	h.signers.Store(&cachedSigner{key: key, id: keyID, signer: signer})
	return signer, nil
}

// cachedSigner is the signer of one key.
type cachedSigner struct {
	key    *ecdsa.PrivateKey
	id     string
	signer *cfcookie.Signer
}

// signedQuery signs one URL (a thumbnail) until the cookie lifetime
// ends: the query to append to it.
func (h *Handler) signedQuery(ctx context.Context, resource string, now time.Time) (string, error) {
	signer, err := h.signer(ctx)
	if err != nil {
		return "", err
	}
	return signer.Query(cfcookie.Policy{Resource: resource, Expires: now.Add(h.lifetime)})
}

// Deleted is the answer to a delete request.
type Deleted struct {
	ID      string `json:"id"`
	Objects int    `json:"objects"`
}

// delete removes a recording's objects, then its entry: a failure half way
// leaves the entry, so the delete can be asked again. A recording in
// progress is refused: IVS is still writing it.
func (h *Handler) delete(ctx context.Context, partition, id string) (any, error) {
	e, err := h.get(ctx, partition, id)
	if err != nil {
		return nil, err
	}
	if e.Status == recordingindex.StatusStarted {
		return nil, tokenapi.Fail(http.StatusConflict, "RecordingInProgress", "recording %s is still being written: stop the stream first", id)
	}
	deleted := 0
	for {
		list, err := h.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(h.config.Bucket), Prefix: aws.String(e.Prefix + "/")})
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", e.Prefix, err)
		}
		if len(list.Contents) == 0 {
			break
		}
		var objects []s3types.ObjectIdentifier
		for _, o := range list.Contents {
			objects = append(objects, s3types.ObjectIdentifier{Key: o.Key})
		}
		out, err := h.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(h.config.Bucket), Delete: &s3types.Delete{Objects: objects, Quiet: aws.Bool(true)}})
		if err != nil {
			return nil, fmt.Errorf("deleting %s: %w", e.Prefix, err)
		}
		if len(out.Errors) > 0 {
			return nil, fmt.Errorf("deleting %s: %s: %s", e.Prefix, aws.ToString(out.Errors[0].Key), aws.ToString(out.Errors[0].Message))
		}
		deleted += len(objects)
	}
	if _, err := h.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: h.table, Key: map[string]dbtypes.AttributeValue{
		recordingindex.AttrChannel: &dbtypes.AttributeValueMemberS{Value: e.Partition()},
		recordingindex.AttrStart:   &dbtypes.AttributeValueMemberS{Value: e.id},
	}}); err != nil {
		return nil, fmt.Errorf("deleting the entry of %s: %w", e.Prefix, err)
	}
	return Deleted{ID: id, Objects: deleted}, nil
}
