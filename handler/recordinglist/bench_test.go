package recordinglist

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/internal/test/benchpair"
)

// The handler's figure against its floor, run together:
//
//	go test ./handler/recordinglist -run '^$' -bench . -benchmem -count 6
//
// BenchmarkWatchFloor is one index read (the same in-memory DynamoDB
// stand-in) and one set of signed cookies; BenchmarkWatchWarm is a warm
// Lambda's watch request of an authorized channel: route, the caller, the
// entry, the playlist, the cookies and the JSON answer.
// BenchmarkWatchOverhead alternates the two in batches within each
// iteration and reports their ratio (x-floor), so that the machine's
// drift between two benchmarks does not enter it:
//
//	go test ./handler/recordinglist -run '^$' -bench Overhead -count 6

// memoryDB answers GetItem with one entry.
type memoryDB struct {
	item map[string]dbtypes.AttributeValue
}

func (m memoryDB) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return &dynamodb.GetItemOutput{Item: m.item}, nil
}
func (memoryDB) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return &dynamodb.QueryOutput{}, nil
}
func (memoryDB) DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return &dynamodb.DeleteItemOutput{}, nil
}

type benchKey struct{ key *ecdsa.PrivateKey }

func (k benchKey) SigningKey(context.Context) (*ecdsa.PrivateKey, string, error) {
	return k.key, "K2JCJMDEHXQW5F", nil
}

const benchPrefix = "ivs/v1/123456789012/private1/2026/12/2/18/5/rec1"

func benchDB() memoryDB {
	s := func(v string) dbtypes.AttributeValue { return &dbtypes.AttributeValueMemberS{Value: v} }
	return memoryDB{item: map[string]dbtypes.AttributeValue{
		"channel": s("private1"), "start": s("2026-12-02T18:05Z#rec1"), "prefix": s(benchPrefix), "status": s("RECORDING_ENDED"),
		"startedAt": s("2026-12-02T18:05:10Z"), "endedAt": s("2026-12-02T19:05:10Z"), "durationMs": &dbtypes.AttributeValueMemberN{Value: "3600000"},
		"playlist": s(benchPrefix + "/media/hls/master.m3u8"), "byteRangePlaylist": s(benchPrefix + "/media/hls/byte-range-multivariant.m3u8"),
	}}
}

func BenchmarkWatchFloor(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := cfcookie.NewSigner(key, "K2JCJMDEHXQW5F")
	db := benchDB()
	ctx := context.Background()
	for b.Loop() {
		out, _ := db.GetItem(ctx, &dynamodb.GetItemInput{})
		if len(out.Item) == 0 {
			b.Fatal("no item")
		}
		if _, err := signer.SetCookies(cfcookie.Policy{Resource: "https://*/" + benchPrefix + "/*", Expires: time.Now().Add(time.Hour)}, "/"+benchPrefix+"/"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWatchWarm(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	h := New(Config{Table: "index", Bucket: "recordings", Authentication: "jwt",
		Channels: []Channel{{Arn: "arn:aws:ivs:us-west-2:123456789012:channel/private1", Authorized: true}}},
		benchDB(), nil, benchKey{key}, nil)
	req := events.APIGatewayV2HTTPRequest{RawPath: PathWatch, QueryStringParameters: map[string]string{"id": "2026-12-02T18:05Z#rec1"}}
	req.RequestContext.HTTP.Method = http.MethodGet
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "viewer"}}}
	ctx := context.Background()
	if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK || len(res.Cookies) != 4 {
		b.Fatalf("%d %s", res.StatusCode, res.Body)
	}
	for b.Loop() {
		if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}

func BenchmarkWatchOverhead(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := cfcookie.NewSigner(key, "K2JCJMDEHXQW5F")
	db := benchDB()
	h := New(Config{Table: "index", Bucket: "recordings", Authentication: "jwt",
		Channels: []Channel{{Arn: "arn:aws:ivs:us-west-2:123456789012:channel/private1", Authorized: true}}},
		db, nil, benchKey{key}, nil)
	req := events.APIGatewayV2HTTPRequest{RawPath: PathWatch, QueryStringParameters: map[string]string{"id": "2026-12-02T18:05Z#rec1"}}
	req.RequestContext.HTTP.Method = http.MethodGet
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "viewer"}}}
	ctx := context.Background()
	benchpair.Alternate(b, 20, func() {
		if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}, func() {
		out, _ := db.GetItem(ctx, &dynamodb.GetItemInput{})
		if len(out.Item) == 0 {
			b.Fatal("no item")
		}
		if _, err := signer.SetCookies(cfcookie.Policy{Resource: "https://*/" + benchPrefix + "/*", Expires: time.Now().Add(time.Hour)}, "/"+benchPrefix+"/"); err != nil {
			b.Fatal(err)
		}
	})
}
