package ivstoken

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestVerifyIsStrictAboutJOSE: headers and payloads that another JWT
// library might read differently are refused, each signed with the right
// key so that only the strictness can refuse them (RFC 7515 4.1.11,
// RFC 7519 4, RFC 8725).
func TestVerifyIsStrictAboutJOSE(t *testing.T) {
	key := mustGenerate(t)
	exp := itoa(testNow.Add(time.Minute).Unix())
	playbackPayload := `{"aws:channel-arn":"` + testChannelArn + `","exp":` + exp + `}`
	sign := func(header, payload string) string {
		tok, err := signES384(key, enc(header), []byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	if _, err := VerifyPlaybackToken(sign(`{"alg":"ES384","typ":"JWT"}`, playbackPayload), &key.PublicKey, testNow); err != nil {
		t.Fatalf("the control token is refused: %v", err)
	}
	for name, c := range map[string]struct{ header, payload string }{
		"upper-case ALG":            {`{"ALG":"ES384"}`, playbackPayload},
		"Alg in other case":         {`{"Alg":"ES384","typ":"JWT"}`, playbackPayload},
		"duplicate alg, none first": {`{"alg":"none","alg":"ES384"}`, playbackPayload},
		"duplicate alg, same value": {`{"alg":"ES384","alg":"ES384"}`, playbackPayload},
		"crit b64":                  {`{"alg":"ES384","crit":["b64"]}`, playbackPayload},
		"crit empty":                {`{"alg":"ES384","crit":[]}`, playbackPayload},
		"header is an array":        {`["alg","ES384"]`, playbackPayload},
		"data after the header":     {`{"alg":"ES384"}{}`, playbackPayload},
		"duplicate exp":             {`{"alg":"ES384"}`, `{"aws:channel-arn":"` + testChannelArn + `","exp":1,"exp":` + exp + `}`},
		"duplicate channel":         {`{"alg":"ES384"}`, `{"aws:channel-arn":"x","aws:channel-arn":"` + testChannelArn + `","exp":` + exp + `}`},
		"EXP in other case":         {`{"alg":"ES384"}`, `{"aws:channel-arn":"` + testChannelArn + `","EXP":` + exp + `}`},
		"channel in other case":     {`{"alg":"ES384"}`, `{"AWS:Channel-Arn":"` + testChannelArn + `","exp":` + exp + `}`},
	} {
		claims, err := VerifyPlaybackToken(sign(c.header, c.payload), &key.PublicKey, testNow)
		if claims != nil || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, %v; want ErrMalformed", name, claims, err)
		}
	}

	// Participant tokens: the same header rules, a duplicate claim, and an
	// iat beyond the allowed skew.
	body := func(iat time.Time, extra string) string {
		return `{"exp":` + itoa(testNow.Add(time.Hour).Unix()) + `,"iat":` + itoa(iat.Unix()) + `,"jti":"p","resource":"` + testStageArn +
			`","topic":"AbCdEf123456","capabilities":{"allow_publish":true,"allow_subscribe":true},"version":"1.0"` + extra + `}`
	}
	kid := `{"alg":"ES384","typ":"JWT","kid":"` + testPublicKeyArn + `"}`
	if _, _, err := VerifyParticipantToken(sign(kid, body(testNow.Add(MaxClockSkew), "")), &key.PublicKey, testNow); err != nil {
		t.Fatalf("iat within the skew is refused: %v", err)
	}
	for name, c := range map[string]struct {
		header, payload string
		is              error
	}{
		"duplicate kid":       {`{"alg":"ES384","kid":"arn:aws:ivs:us-west-2:123456789012:public-key/x","kid":"` + testPublicKeyArn + `"}`, body(testNow, ""), ErrMalformed},
		"crit":                {`{"alg":"ES384","kid":"` + testPublicKeyArn + `","crit":["exp"]}`, body(testNow, ""), ErrMalformed},
		"duplicate resource":  {kid, body(testNow, `,"resource":"`+testStageArn+`"`), ErrMalformed},
		"iat in the future":   {kid, body(testNow.Add(MaxClockSkew+time.Second), ""), ErrClaims},
		"iat a day ahead":     {kid, body(testNow.Add(24*time.Hour), ""), ErrClaims},
		"Version, other case": {kid, strings.Replace(body(testNow, ""), `"version"`, `"Version"`, 1), ErrMalformed},
	} {
		claims, _, err := VerifyParticipantToken(sign(c.header, c.payload), &key.PublicKey, testNow)
		if claims != nil || !errors.Is(err, c.is) {
			t.Errorf("participant %s: %v, %v; want %v", name, claims, err, c.is)
		}
	}
}
