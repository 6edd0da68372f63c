package ivs

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
)

// Secret attributes (a stream key's value, an ingest configuration's
// stream key) must not become stack outputs: anyone allowed
// cloudformation:DescribeStacks reads outputs. Each getter of such an
// attribute records the attribute; one check per stack, added the first
// time, resolves every output of the stack at synth and fails when one
// refers to a recorded attribute (also inside Fn::Join or Fn::Sub), unless
// AllowSecretOutput acknowledged that output. Nothing is added to stacks
// that never read a secret attribute.

// secretAttribute is a secret attribute of an L1 resource.
type secretAttribute struct {
	path, what string
	resource   awscdk.CfnElement
	attribute  string // the CloudFormation attribute name, e.g. "Value"
}

type stackSecrets struct {
	stack awscdk.Stack
	mu    sync.Mutex
	attrs []secretAttribute
}

var (
	secretsMu      sync.Mutex
	secretsByStack = map[awscdk.Stack]*stackSecrets{}
	allowedOutputs sync.Map // map[awscdk.CfnOutput]string: the reason
)

// noteSecretAttribute records that the attribute of resource, read as
// token, is the secret what of the construct at path, and returns token.
func noteSecretAttribute(path cdkname.Path, what string, resource awscdk.CfnElement, attribute string, token *string) *string {
	stack := path.Stack()
	if stack == nil {
		return token
	}
	secretsMu.Lock()
	s, ok := secretsByStack[stack]
	if !ok {
		s = &stackSecrets{stack: stack}
		secretsByStack[stack] = s
	}
	secretsMu.Unlock()
	s.mu.Lock()
	for _, a := range s.attrs {
		if a.resource == resource && a.attribute == attribute {
			s.mu.Unlock()
			return token
		}
	}
	s.attrs = append(s.attrs, secretAttribute{path: path.String(), what: what, resource: resource, attribute: attribute})
	s.mu.Unlock()
	if !ok {
		stack.Node().AddValidation(&secretOutputCheck{s})
	}
	return token
}

// AllowSecretOutput acknowledges that output publishes a secret attribute
// on purpose (for example a stream key for a throw-away demo stack), so
// that synthesis does not fail on it. reason says why, for the reviewer;
// it must not be empty. Anyone allowed cloudformation:DescribeStacks on the
// stack can read the secret.
func AllowSecretOutput(output awscdk.CfnOutput, reason string) {
	if output == nil {
		return
	}
	allowedOutputs.Store(output, strings.TrimSpace(reason))
}

type secretOutputCheck struct{ s *stackSecrets }

// Validate implements constructs.IValidation.
func (c *secretOutputCheck) Validate() *[]*string {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	// What a reference to each secret looks like once resolved.
	refs := make([]string, len(s.attrs))
	for i, a := range s.attrs {
		ref, _ := json.Marshal(map[string]any{"Fn::GetAtt": []string{*s.stack.GetLogicalId(a.resource), a.attribute}})
		refs[i] = string(ref)
	}
	var out []*string
	for _, child := range *s.stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		output, ok := child.(awscdk.CfnOutput)
		if !ok {
			continue
		}
		if reason, allowed := allowedOutputs.Load(output); allowed {
			if reason == "" {
				msg := fmt.Sprintf("ivs.AllowSecretOutput for stack output %s needs a reason: say why it may publish a secret", *output.Node().Path())
				out = append(out, &msg)
			}
			continue
		}
		resolved, _ := json.Marshal(s.stack.Resolve(output.Value()))
		var found []string
		for i, attr := range s.attrs {
			if strings.Contains(string(resolved), refs[i]) {
				found = append(found, fmt.Sprintf("%s of %s", attr.what, attr.path))
			}
		}
		if len(found) == 0 {
			continue
		}
		sort.Strings(found)
		msg := fmt.Sprintf("stack output %s publishes %s, a secret: anyone allowed cloudformation:DescribeStacks reads outputs. "+
			"Output the ARN and read the value where it is needed (IVS GetStreamKey), or acknowledge it with "+
			"ivs.AllowSecretOutput(output, reason)", *output.Node().Path(), strings.Join(found, ", "))
		out = append(out, &msg)
	}
	return &out
}
