package awsfake

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// RotationFunc runs one step of a secret's rotation function, as Secrets
// Manager invokes it: step is createSecret, setSecret, testSecret or
// finishSecret, token the ClientRequestToken (the AWSPENDING version ID).
type RotationFunc func(step, secretID, token string) error

// ProbeShape is what the AWSPENDING version of Secrets Manager's set-up
// test holds. The documentation says only that "the test creates an
// AWSPENDING version of the secret and then removes it", so a rotation
// function must pass with either.
type ProbeShape int

// The shapes of the set-up test's AWSPENDING version.
const (
	// ProbeEmpty: a version with the AWSPENDING label and no value.
	ProbeEmpty ProbeShape = iota
	// ProbeCopy: a version holding a copy of the AWSCURRENT value.
	ProbeCopy
)

// SetRotationFunction makes fn the secret's rotation function and turns
// rotation on, as RotateSecret with a RotationLambdaARN does.
func (s *Server) SetRotationFunction(arn string, fn RotationFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[arn].RotationEnabled = true
	if s.rotators == nil {
		s.rotators = map[string]RotationFunc{}
	}
	s.rotators[arn] = fn
}

// RotateSecret does what Secrets Manager's RotateSecret does with the
// secret's rotation function (Secrets Manager API reference, RotateSecret,
// RotateImmediately):
//
//   - immediately: it labels a new version ID AWSPENDING and runs the four
//     steps in order, stopping at the first that fails; when all pass the
//     rotation is complete: AWSPENDING is removed and LastRotatedDate set
//     ("the most recent date and time that the Secrets Manager rotation
//     process was successfully completed").
//   - not immediately: "Secrets Manager tests the rotation configuration
//     by running the testSecret step of the Lambda rotation function. The
//     test creates an AWSPENDING version of the secret and then removes
//     it." The version holds what shape says.
//
// token is the new version's ID ("" for a random one); the ID of an
// existing version (a failed rotation's, retried) keeps that version and
// its value, as Secrets Manager's versions are never rewritten.
func (s *Server) RotateSecret(arn, token string, immediately bool, shape ProbeShape) error {
	if token == "" {
		token = ivstoken.NewUUID()
	}
	s.mu.Lock()
	sec, fn := s.secrets[arn], s.rotators[arn]
	if sec == nil || fn == nil {
		s.mu.Unlock()
		return fmt.Errorf("secret %s has no rotation function", arn)
	}
	// A version is never rewritten: a retry with the ID of a failed
	// rotation's version finds the value createSecret stored then.
	v, retry := sec.Versions[token]
	if !retry {
		v = &SecretVersion{ID: token, Reserved: true, Created: s.Now()}
		if !immediately && shape == ProbeCopy {
			if current := sec.withStage("AWSCURRENT"); current != nil {
				v.Value, v.Reserved = current.Value, false
			}
		}
		sec.Versions[token] = v
	}
	sec.moveStage("AWSPENDING", v)
	s.mu.Unlock()

	if !immediately {
		err := fn("testSecret", arn, token)
		s.mu.Lock()
		if retry {
			v.Stages = without(v.Stages, "AWSPENDING")
		} else {
			delete(sec.Versions, token)
		}
		s.mu.Unlock()
		if err != nil {
			return fmt.Errorf("the rotation set-up test (testSecret) failed: %w", err)
		}
		return nil
	}
	for _, step := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
		if err := fn(step, arn, token); err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
	}
	s.CompleteRotation(arn, token)
	return nil
}

// CompleteRotation does what Secrets Manager does once every step of a
// rotation passed: it removes AWSPENDING from the version and sets
// LastRotatedDate. Tests that run the steps one by one call it after
// finishSecret.
func (s *Server) CompleteRotation(arn, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[arn]
	if v := sec.Versions[token]; v != nil {
		v.Stages = without(v.Stages, "AWSPENDING")
	}
	sec.LastRotated = s.Now()
}

// rotateSecretOperation serves RotateSecret over the wire (JSON 1.1), so
// that code under test can set up rotation through the SDK. It runs
// without the server's lock: the rotation function calls back into the
// server.
func (s *Server) rotateSecretOperation(body []byte) (any, *apiError) {
	var in struct {
		SecretId, ClientRequestToken string
		RotateImmediately            *bool
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var arn string
	for _, sec := range s.secrets {
		if sec.Arn == in.SecretId || sec.Name == in.SecretId {
			arn = sec.Arn
		}
	}
	s.mu.Unlock()
	if arn == "" {
		return nil, &apiError{http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."}
	}
	immediately := in.RotateImmediately == nil || *in.RotateImmediately
	if err := s.RotateSecret(arn, in.ClientRequestToken, immediately, ProbeEmpty); err != nil {
		return nil, &apiError{http.StatusBadRequest, "InvalidRequestException", err.Error()}
	}
	out, _ := json.Marshal(map[string]any{"ARN": arn})
	return json.RawMessage(out), nil
}
