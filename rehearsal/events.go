package rehearsal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

// CloudFormation plays CloudFormation for custom resources: it sends a
// request whose ResponseURL is its own loopback server and waits for the
// function's answer there, as the service does (the answer is a PUT of a
// JSON document to the presigned URL).
type CloudFormation struct {
	srv     *httptest.Server
	mu      sync.Mutex
	serial  int
	answers map[string]chan CustomResourceResponse
}

// CustomResourceResponse is what a function PUTs to the response URL.
type CustomResourceResponse struct {
	Status             string         `json:"Status"`
	Reason             string         `json:"Reason"`
	PhysicalResourceID string         `json:"PhysicalResourceId"`
	StackID            string         `json:"StackId"`
	RequestID          string         `json:"RequestId"`
	LogicalResourceID  string         `json:"LogicalResourceId"`
	NoEcho             bool           `json:"NoEcho"`
	Data               map[string]any `json:"Data"`
}

// NewCloudFormation starts the response server; Close stops it.
func NewCloudFormation() *CloudFormation {
	c := &CloudFormation{answers: map[string]chan CustomResourceResponse{}}
	c.srv = httptest.NewServer(http.HandlerFunc(c.respond))
	return c
}

// Close stops the response server.
func (c *CloudFormation) Close() { c.srv.Close() }

func (c *CloudFormation) respond(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	ch := c.answers[strings.TrimPrefix(r.URL.Path, "/")]
	c.mu.Unlock()
	var resp CustomResourceResponse
	if r.Method != http.MethodPut || ch == nil || json.Unmarshal(body, &resp) != nil {
		http.Error(w, "not a custom resource response this CloudFormation asked for", http.StatusBadRequest)
		return
	}
	select {
	case ch <- resp:
	default: // a second answer to one request: the test sees only the first
	}
}

// CustomResourceRequest is one request to a custom resource's provider.
type CustomResourceRequest struct {
	// RequestType is Create, Update or Delete.
	RequestType string
	// LogicalResourceID and ResourceType are the template's.
	LogicalResourceID, ResourceType string
	// PhysicalResourceID is the one of the last answer (Update, Delete).
	PhysicalResourceID string
	// Properties are the resolved ResourceProperties, ServiceToken
	// included; OldProperties those before an Update.
	Properties, OldProperties map[string]any
}

// Send sends req to fn and returns the answer posted to the response URL.
// CloudFormation waits for it up to the resource's ServiceTimeout; wait is
// that limit here.
func (c *CloudFormation) Send(ctx context.Context, fn *Running, req CustomResourceRequest, wait time.Duration) (CustomResourceResponse, error) {
	c.mu.Lock()
	c.serial++
	id := fmt.Sprintf("request-%d", c.serial)
	ch := make(chan CustomResourceResponse, 1)
	c.answers[id] = ch
	c.mu.Unlock()
	event := map[string]any{
		"RequestType":        req.RequestType,
		"ServiceToken":       req.Properties["ServiceToken"],
		"ResponseURL":        c.srv.URL + "/" + id,
		"StackId":            fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/Rehearsal/11111111-2222-3333-4444-555555555555", awsfake.Region, awsfake.Account),
		"RequestId":          id,
		"LogicalResourceId":  req.LogicalResourceID,
		"ResourceType":       req.ResourceType,
		"ResourceProperties": req.Properties,
	}
	if req.PhysicalResourceID != "" {
		event["PhysicalResourceId"] = req.PhysicalResourceID
	}
	if req.OldProperties != nil {
		event["OldResourceProperties"] = req.OldProperties
	}
	invoked := make(chan error, 1)
	go func() {
		_, err := fn.Invoke(ctx, event)
		invoked <- err
	}()
	// The answer counts once the invocation has ended too: an instance
	// takes one invocation at a time, and the next request must not meet
	// this one still running.
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var answer *CustomResourceResponse
	for answer == nil || invoked != nil {
		select {
		case resp := <-ch:
			answer = &resp
		case err := <-invoked:
			if err != nil {
				return CustomResourceResponse{}, fmt.Errorf("the function failed: %w", err)
			}
			invoked = nil
		case <-timer.C:
			if answer != nil {
				return *answer, fmt.Errorf("the function answered but its invocation did not end within %s", wait)
			}
			return CustomResourceResponse{}, fmt.Errorf("no answer at the response URL within %s", wait)
		}
		if invoked == nil && answer == nil {
			select {
			case resp := <-ch:
				answer = &resp
			default:
				return CustomResourceResponse{}, errors.New("the invocation ended without an answer to CloudFormation")
			}
		}
	}
	return *answer, nil
}

// IAMRequest is an HTTP API (payload 2.0) POST with a JSON body from a
// caller that API Gateway's IAM authorization let through.
func IAMRequest(body any, userArn string) events.APIGatewayV2HTTPRequest {
	req := httpRequest(body)
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
			AccessKey: "ASIAREHEARSAL", AccountID: awsfake.Account, CallerID: "AROAREHEARSAL:caller",
			UserARN: userArn, UserID: "AROAREHEARSAL:caller",
		},
	}
	return req
}

// JWTRequest is an HTTP API (payload 2.0) POST with a JSON body from a
// caller whose JWT API Gateway's JWT authorizer verified: its claims and
// scopes as the authorizer passes them on.
func JWTRequest(body any, claims map[string]string, scopes []string) events.APIGatewayV2HTTPRequest {
	req := httpRequest(body)
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes},
	}
	return req
}

// RouteRequest is a body-less request of method to path with query, as
// API Gateway sends it with a verified JWT of claims (payload 2.0).
func RouteRequest(method, path string, query, claims map[string]string) events.APIGatewayV2HTTPRequest {
	req := JWTRequest(nil, claims, nil)
	req.Body, req.RouteKey, req.RawPath, req.QueryStringParameters = "", method+" "+path, path, query
	req.RequestContext.RouteKey, req.RequestContext.HTTP.Method, req.RequestContext.HTTP.Path = req.RouteKey, method, path
	return req
}

// Route sends the function a body-less request of method to path with
// query (RouteRequest), from the signed-in user (an ID token's sub) in
// groups (cognito:groups as API Gateway passes it, "[a b]"; "" for none),
// and returns the answer with its JSON body read.
func (r *Running) Route(ctx context.Context, method, path string, query map[string]string, user, groups string) (events.APIGatewayV2HTTPResponse, map[string]any, error) {
	claims := map[string]string{"sub": user, "token_use": "id"}
	if groups != "" {
		claims["cognito:groups"] = groups
	}
	resp, err := r.HTTP(ctx, RouteRequest(method, path, query, claims))
	var body map[string]any
	json.Unmarshal([]byte(resp.Body), &body)
	return resp, body, err
}

func httpRequest(body any) events.APIGatewayV2HTTPRequest {
	data, _ := json.Marshal(body)
	return events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: "POST /tokens",
		RawPath:  "/tokens",
		Headers:  map[string]string{"content-type": "application/json"},
		Body:     string(data),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: awsfake.Account, APIID: "rehearsal", Stage: "$default", RequestID: "req",
			RouteKey: "POST /tokens", DomainName: "rehearsal.execute-api." + awsfake.Region + ".amazonaws.com",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: http.MethodPost, Path: "/tokens", Protocol: "HTTP/1.1", SourceIP: "192.0.2.1", UserAgent: "rehearsal",
			},
		},
	}
}

// HTTP invokes fn with an HTTP API event and returns its HTTP answer.
func (r *Running) HTTP(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var resp events.APIGatewayV2HTTPResponse
	out, err := r.Invoke(ctx, req)
	if err != nil {
		return resp, err
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return resp, fmt.Errorf("%s answered no HTTP API response: %s", r.Spec.LogicalID, out)
	}
	return resp, nil
}
