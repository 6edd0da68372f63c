package signin_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/signin"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// TestUsersTemplate: the pool, an app client with the safe defaults Users
// documents, the hosted sign-in for the page, and the groups (AWS
// CloudFormation User Guide: AWS::Cognito::UserPool, UserPoolClient,
// UserPoolDomain and UserPoolGroup).
func TestUsersTemplate(t *testing.T) {
	env := cdktest.New(t)
	users := signin.NewUsers(env.Stack, "Users", &signin.UsersProps{
		PageURL: jsii.String("https://d111111abcdef8.cloudfront.net"),
		Groups:  []string{"hosts", "moderators"},
	})
	users.AddOutputs(env.Stack)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))

	pool := env.LogicalID("Users")
	if !strings.HasPrefix(pool, "Users") || strings.Contains(pool, "Default") {
		t.Errorf("the pool's logical ID is %s, want the one of a pool made as Users itself (Users<hash>)", pool)
	}
	template.HasResource(jsii.String("AWS::Cognito::UserPool"), map[string]any{
		"Properties": map[string]any{
			"AdminCreateUserConfig": map[string]any{"AllowAdminCreateUserOnly": true},
			"MfaConfiguration":      "OFF",
			"Policies": map[string]any{"PasswordPolicy": map[string]any{"MinimumLength": 12, "RequireLowercase": true,
				"RequireUppercase": true, "RequireNumbers": true, "RequireSymbols": true}},
			"UsernameConfiguration": assertions.Match_Absent(),
		},
		"DeletionPolicy": "Retain",
	})
	page := "https://d111111abcdef8.cloudfront.net/"
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolClient"), map[string]any{
		"UserPoolId":                      map[string]any{"Ref": pool},
		"ExplicitAuthFlows":               []any{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		"ReadAttributes":                  []any{"email", "email_verified"},
		"WriteAttributes":                 []any{"locale"},
		"PreventUserExistenceErrors":      "ENABLED",
		"AllowedOAuthFlows":               []any{"code"},
		"AllowedOAuthScopes":              []any{"openid"},
		"AllowedOAuthFlowsUserPoolClient": true,
		"CallbackURLs":                    []any{page},
		"LogoutURLs":                      []any{page},
		"GenerateSecret":                  assertions.Match_Absent(), // no client secret in a page
	})
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolDomain"), map[string]any{
		"UserPoolId": map[string]any{"Ref": pool},
		"Domain": map[string]any{"Fn::Join": []any{"", []any{"ivs-", map[string]any{"Fn::Select": []any{2,
			map[string]any{"Fn::Split": []any{"/", map[string]any{"Ref": "AWS::StackId"}}}}}}}},
	})
	for _, g := range []string{"hosts", "moderators"} {
		template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{
			"UserPoolId": map[string]any{"Ref": pool}, "GroupName": g})
	}
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolGroup"), jsii.Number(2))
	template.HasOutput(jsii.String("UserPoolId"), map[string]any{"Value": map[string]any{"Ref": pool}})
	template.HasOutput(jsii.String("UserPoolClientId"), map[string]any{"Value": map[string]any{"Ref": env.LogicalID("Users/Default/App")}})

	if users.SignInURL() == nil {
		t.Error("SignInURL is nil with a PageURL")
	}
	a := users.Authentication()
	if a.Kind() != "jwt" || a.Problem() != "" {
		t.Errorf("Authentication: kind %q, problem %q; want jwt and none", a.Kind(), a.Problem())
	}
	// Users may write only locale; no grant reads it.
	if w := a.UserWritableClaims(); !slices.Equal(w, []string{"locale"}) {
		t.Errorf("UserWritableClaims %q, want [locale]", w)
	}
}

// TestUsersWithoutPage: no page, no hosted sign-in: the client signs in
// through the API only.
func TestUsersWithoutPage(t *testing.T) {
	env := cdktest.New(t)
	users := signin.NewUsers(env.Stack, "Users", nil)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolDomain"), jsii.Number(0))
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolGroup"), jsii.Number(0))
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolClient"), map[string]any{
		"AllowedOAuthFlows": assertions.Match_Absent(), "CallbackURLs": assertions.Match_Absent(),
		"WriteAttributes": []any{"locale"},
	})
	if users.SignInURL() != nil {
		t.Errorf("SignInURL %v without a PageURL, want nil", *users.SignInURL())
	}
}

// TestUsersMfaAndRemovalPolicy: MFA by authenticator app (no SMS, which
// would need an SMS role), and cdk-nag's MFA finding no longer suppressed;
// DESTROY deletes the pool with the stack.
func TestUsersMfaAndRemovalPolicy(t *testing.T) {
	env := cdktest.New(t)
	signin.NewUsers(env.Stack, "Users", &signin.UsersProps{Mfa: awscognito.Mfa_REQUIRED, RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResource(jsii.String("AWS::Cognito::UserPool"), map[string]any{
		"Properties":     map[string]any{"MfaConfiguration": "ON", "EnabledMfas": []any{"SOFTWARE_TOKEN_MFA"}},
		"DeletionPolicy": "Delete",
	})
	pool := got["Resources"].(map[string]any)[env.LogicalID("Users")].(map[string]any)
	rules := pool["Metadata"].(map[string]any)["cdk_nag"].(map[string]any)["rules_to_suppress"].([]any)
	for _, r := range rules {
		if r.(map[string]any)["id"] == "AwsSolutions-COG2" {
			t.Errorf("with MFA on, the pool still suppresses cdk-nag's MFA rule: %v", r)
		}
	}
}

// TestUsersRefusesBadInput: every problem at once, with the construct's
// path, the property, the value and what is allowed.
func TestUsersRefusesBadInput(t *testing.T) {
	env := cdktest.New(t)
	signin.NewUsers(env.Stack, "Users", &signin.UsersProps{
		PageURL: jsii.String("http://example.com/app"),
		Groups:  []string{"hosts", "two words", "", "hosts", strings.Repeat("g", 129)},
	})
	msg := env.SynthError()
	for _, want := range []string{
		"[TestStack/Users]",
		`PageURL "http://example.com/app" is invalid: give the page's origin, https://<host> with no path`,
		`Groups "two words" is invalid: a group name is 1 to 128 letters`,
		`Groups "" is invalid`,
		`Groups "hosts" is named twice`,
		`Groups "` + strings.Repeat("g", 129) + `" is invalid`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("synthesis error %q does not say %q", msg, want)
		}
	}
}

// TestUsersInEveryLanguage: group names may be any letters, as Cognito's
// pattern allows.
func TestUsersInEveryLanguage(t *testing.T) {
	env := cdktest.New(t)
	signin.NewUsers(env.Stack, "Users", &signin.UsersProps{Groups: []string{"modérateurs", "主持人", "hosts:eu-1"}})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).
		ResourceCountIs(jsii.String("AWS::Cognito::UserPoolGroup"), jsii.Number(3))
}
