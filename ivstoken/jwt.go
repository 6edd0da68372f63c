package ivstoken

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Errors returned (wrapped) by token verification. Test with errors.Is.
var (
	// ErrMalformed: the token is not a well-formed ES384 JWT.
	ErrMalformed = errors.New("ivstoken: malformed token")
	// ErrAlgorithm: the header names an algorithm other than ES384 (such as
	// "none" or an HMAC algorithm); such tokens are refused before anything
	// else is looked at.
	ErrAlgorithm = errors.New("ivstoken: token algorithm is not ES384")
	// ErrSignature: the signature does not verify with the given key.
	ErrSignature = errors.New("ivstoken: signature does not verify")
	// ErrExpired: the token's exp is not after the verification time.
	ErrExpired = errors.New("ivstoken: token has expired")
	// ErrClaims: the claims break a rule IVS documents.
	ErrClaims = errors.New("ivstoken: invalid claims")
)

// MaxTokenLength bounds the tokens Verify* functions read, so that hostile
// input cannot make them decode arbitrary amounts of data.
const MaxTokenLength = 16 << 10

const signatureSize = 96 // r and s of P-384, 48 bytes each

var b64 = base64.RawURLEncoding

// jwtHeader is the JOSE header of the tokens ivstoken signs and reads.
type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ,omitempty"`
	Kid string `json:"kid,omitempty"`
}

// encodedHeader returns the base64url encoding of the header's JSON.
func encodedHeader(h jwtHeader) string {
	b, _ := json.Marshal(h) // cannot fail: three strings
	return b64.EncodeToString(b)
}

// signES384 returns header.payload.signature, the signature being ECDSA
// P-384 over SHA-384 of header.payload, as the raw 96-byte r||s of RFC 7518.
func signES384(key *ecdsa.PrivateKey, header string, payload []byte) (string, error) {
	buf := make([]byte, 0, len(header)+1+b64.EncodedLen(len(payload))+1+b64.EncodedLen(signatureSize))
	buf = append(buf, header...)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	digest := sha512.Sum384(buf)
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		return "", fmt.Errorf("ivstoken: signing: %w", err)
	}
	var sig [signatureSize]byte
	r.FillBytes(sig[:48])
	s.FillBytes(sig[48:])
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig[:])
	return string(buf), nil
}

// verifyES384 checks the token's form, algorithm and signature and returns
// its decoded header and payload. It never panics on malformed input.
func verifyES384(token string, pub *ecdsa.PublicKey) (jwtHeader, []byte, error) {
	var header jwtHeader
	if pub == nil {
		return header, nil, errors.New("ivstoken: nil public key")
	}
	if err := checkCurve(pub); err != nil {
		return header, nil, err
	}
	if len(token) > MaxTokenLength {
		return header, nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxTokenLength)
	}
	first := strings.IndexByte(token, '.')
	last := strings.LastIndexByte(token, '.')
	if first < 0 || first == last || strings.Count(token, ".") != 2 {
		return header, nil, fmt.Errorf("%w: want three dot-separated parts", ErrMalformed)
	}
	rawHeader, err := b64.DecodeString(token[:first])
	if err != nil {
		return header, nil, fmt.Errorf("%w: header is not base64url: %v", ErrMalformed, err)
	}
	if header, err = parseHeader(rawHeader); err != nil {
		return header, nil, err
	}
	if header.Alg != "ES384" {
		return header, nil, fmt.Errorf("%w: got %q", ErrAlgorithm, header.Alg)
	}
	if header.Typ != "" && header.Typ != "JWT" {
		return header, nil, fmt.Errorf("%w: typ %q, want \"JWT\"", ErrMalformed, header.Typ)
	}
	sig, err := b64.DecodeString(token[last+1:])
	if err != nil || len(sig) != signatureSize {
		return header, nil, fmt.Errorf("%w: signature must be %d bytes of base64url", ErrMalformed, signatureSize)
	}
	digest := sha512.Sum384([]byte(token[:last]))
	r := new(big.Int).SetBytes(sig[:48])
	s := new(big.Int).SetBytes(sig[48:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return header, nil, ErrSignature
	}
	payload, err := b64.DecodeString(token[first+1 : last])
	if err != nil {
		return header, nil, fmt.Errorf("%w: payload is not base64url: %v", ErrMalformed, err)
	}
	return header, payload, nil
}
