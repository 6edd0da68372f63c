package signin_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/signin"
)

// TestAccessFromContext: the CDK context chooses who may call the
// endpoint, as Access documents, and contradictions are refused by name.
func TestAccessFromContext(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/backend"
	for _, c := range []struct {
		context map[string]any
		want    signin.Access
		refused string
	}{
		{context: map[string]any{}, want: signin.Access{Cognito: true}},
		{context: map[string]any{"cognito": "true"}, want: signin.Access{Cognito: true}},
		{context: map[string]any{"cognito": true}, want: signin.Access{Cognito: true}},
		{context: map[string]any{"cognito": "false"}, want: signin.Access{}},
		{context: map[string]any{"cognito": false}, want: signin.Access{}},
		{context: map[string]any{"invokerRoleArn": role}, want: signin.Access{InvokerRoleArn: role}},
		{context: map[string]any{"jwtIssuer": "https://issuer.example.com", "jwtAudience": "client"},
			want: signin.Access{Issuer: "https://issuer.example.com", Audience: "client"}},
		{context: map[string]any{"cognito": "yes"}, refused: "-c cognito=yes: want true or false"},
		{context: map[string]any{"cognito": "true", "jwtIssuer": "https://issuer.example.com"}, refused: "-c cognito=true cannot go with"},
		{context: map[string]any{"cognito": "true", "invokerRoleArn": role}, refused: "-c cognito=true cannot go with"},
		{context: map[string]any{"jwtAudience": "client", "invokerRoleArn": role}, refused: "-c invokerRoleArn needs"},
		{context: map[string]any{"jwtIssuer": "https://issuer.example.com"}, refused: "-c jwtIssuer and -c jwtAudience go together"},
	} {
		app := awscdk.NewApp(&awscdk.AppProps{Context: &c.context, Outdir: jsii.String(t.TempDir())})
		got, err := signin.AccessFromContext(app)
		switch {
		case c.refused != "" && (err == nil || !strings.Contains(err.Error(), c.refused)):
			t.Errorf("context %v: error %v, want one saying %q", c.context, err, c.refused)
		case c.refused == "" && err != nil:
			t.Errorf("context %v refused: %v", c.context, err)
		case c.refused == "" && got != c.want:
			t.Errorf("context %v: %+v, want %+v", c.context, got, c.want)
		}
		if got.OwnProvider() != (c.want.Issuer != "") && c.refused == "" {
			t.Errorf("context %v: OwnProvider %v", c.context, got.OwnProvider())
		}
	}
}

// One role may be allowed to call several endpoints from the same scope:
// each call imports the role under its own ID, and each endpoint's grant
// reaches the role.
func TestGrantInvokeTwiceInOneScope(t *testing.T) {
	env := cdktest.New(t)
	role := "arn:aws:iam::123456789012:role/backend"
	var granted []string
	for _, id := range []string{"Tokens", "Cues"} {
		signin.GrantInvoke(env.Stack, &recordingEndpoint{id: id, granted: &granted}, role)
	}
	if strings.Join(granted, ",") != "Tokens:Invoker,Cues:Invoker2" {
		t.Errorf("grants %v, want the role imported as Invoker then Invoker2", granted)
	}
}

// recordingEndpoint records who GrantInvoke gave it.
type recordingEndpoint struct {
	id      string
	granted *[]string
}

func (e *recordingEndpoint) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	*e.granted = append(*e.granted, e.id+":"+*grantee.(awsiam.IRole).Node().Id())
	return nil
}
