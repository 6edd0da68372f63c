// Package realtimeapi is a small client for the IVS real-time API
// operations ivscdk's handlers call (CreateParticipantToken, GetStage,
// ImportPublicKey, ListPublicKeys, DeletePublicKey; CreateStage,
// DeleteStage, ListStages, ListStageSessions, DisconnectParticipant).
//
// The AWS SDK for Go v2 has a service/ivsrealtime module, but the Go module
// proxy this project builds from does not serve it; this client is built on
// the SDK's own pieces instead (aws.Config credentials and endpoint, the
// SigV4 signer) and speaks the service's REST-JSON protocol as botocore's
// model of ivs-realtime 2020-07-14 describes it: every operation is
// POST /<Operation> with a JSON body, signed for service "ivs", endpoint
// https://ivsrealtime.<region>.amazonaws.com. The contract tests check its
// requests against that model.
package realtimeapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// SigningName is the SigV4 service name of the IVS real-time API.
const SigningName = "ivs"

// Client calls the IVS real-time API. It is safe for concurrent use.
type Client struct {
	cfg      aws.Config
	endpoint string
	signer   *v4.Signer
	http     aws.HTTPClient
	// MaxAttempts is how often a throttled or failed (5xx) call is tried.
	MaxAttempts int
}

// New returns a client for cfg's region and credentials; cfg.BaseEndpoint,
// when set, replaces the regional endpoint.
func New(cfg aws.Config) *Client {
	endpoint := fmt.Sprintf("https://ivsrealtime.%s.amazonaws.com", cfg.Region)
	if cfg.BaseEndpoint != nil {
		endpoint = strings.TrimRight(*cfg.BaseEndpoint, "/")
	}
	var client aws.HTTPClient = http.DefaultClient
	if cfg.HTTPClient != nil {
		client = cfg.HTTPClient
	}
	return &Client{cfg: cfg, endpoint: endpoint, signer: v4.NewSigner(), http: client, MaxAttempts: 3}
}

// APIError is an error answer of the service.
type APIError struct {
	StatusCode int
	// Code is the exception's name, such as "ResourceNotFoundException".
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("IVS real-time API: %s (HTTP %d): %s", e.Code, e.StatusCode, e.Message)
}

// IsNotFound tells whether err is a ResourceNotFoundException.
func IsNotFound(err error) bool { return hasCode(err, "ResourceNotFoundException") }

// IsQuotaExceeded tells whether err is a ServiceQuotaExceededException.
func IsQuotaExceeded(err error) bool { return hasCode(err, "ServiceQuotaExceededException") }

func hasCode(err error, code string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Code == code
}

// call sends one operation and decodes its answer into out.
func (c *Client) call(ctx context.Context, operation string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encoding the request: %w", operation, err)
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	attempts := max(c.MaxAttempts, 1)
	for attempt := 1; ; attempt++ {
		err = c.send(ctx, operation, body, payloadHash, out)
		var apiErr *APIError
		retryable := errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500)
		if err == nil || !retryable || attempt >= attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt*attempt) * 100 * time.Millisecond):
		}
	}
}

// callPath sends an operation whose HTTP binding is not POST
// /<Operation> (the tagging operations): method and path (with its query)
// as botocore's model binds them; in is the JSON body, nil for none.
func (c *Client) callPath(ctx context.Context, operation, method, path string, in any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("%s: encoding the request: %w", operation, err)
		}
	}
	sum := sha256.Sum256(body)
	return c.sendTo(ctx, operation, method, path, body, hex.EncodeToString(sum[:]), &struct{}{})
}

func (c *Client) send(ctx context.Context, operation string, body []byte, payloadHash string, out any) error {
	return c.sendTo(ctx, operation, http.MethodPost, "/"+operation, body, payloadHash, out)
}

func (c *Client) sendTo(ctx context.Context, operation, method, path string, body []byte, payloadHash string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", operation, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cfg.Credentials == nil {
		return fmt.Errorf("%s: no AWS credentials", operation)
	}
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("%s: retrieving AWS credentials: %w", operation, err)
	}
	if err := c.signer.SignHTTP(ctx, creds, req, payloadHash, SigningName, c.cfg.Region, time.Now()); err != nil {
		return fmt.Errorf("%s: signing: %w", operation, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", operation, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", operation, err)
	}
	if resp.StatusCode/100 != 2 {
		return decodeError(resp, data)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // an answer with no members may have no body
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: decoding the answer: %w", operation, err)
	}
	return nil
}

// decodeError reads an error answer: the exception name from the
// X-Amzn-ErrorType header or the body's __type (either may carry a
// ":<url>" suffix or a namespace prefix).
func decodeError(resp *http.Response, data []byte) error {
	var body struct {
		Type             string `json:"__type"`
		Message          string `json:"message"`
		ExceptionMessage string `json:"exceptionMessage"`
	}
	_ = json.Unmarshal(data, &body)
	code := resp.Header.Get("X-Amzn-ErrorType")
	if code == "" {
		code = body.Type
	}
	code, _, _ = strings.Cut(code, ":")
	code = code[strings.LastIndexByte(code, '#')+1:]
	if code == "" {
		code = http.StatusText(resp.StatusCode)
	}
	message := body.Message
	if message == "" {
		message = body.ExceptionMessage
	}
	return &APIError{StatusCode: resp.StatusCode, Code: code, Message: message}
}
