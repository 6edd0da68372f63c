package signin_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/signin"
)

// Users who sign in on a page and call a token endpoint with their ID
// tokens; members of "hosts" may be granted more.
func ExampleNewUsers() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Show"), nil)

	users := signin.NewUsers(stack, "Users", &signin.UsersProps{
		PageURL: jsii.String("https://d111111abcdef8.cloudfront.net"), // your page's, such as webpage.Page.Url()
		Groups:  []string{"hosts"},
	})
	users.AddOutputs(stack)
	fmt.Println(users.Authentication().Kind())

	template := assertions.Template_FromStack(stack, nil)
	for _, t := range []string{"AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolDomain", "AWS::Cognito::UserPoolGroup"} {
		fmt.Println(t, len(*template.FindResources(jsii.String(t), nil)))
	}
	// Output:
	// jwt
	// AWS::Cognito::UserPool 1
	// AWS::Cognito::UserPoolClient 1
	// AWS::Cognito::UserPoolDomain 1
	// AWS::Cognito::UserPoolGroup 1
}

// Who may call the endpoint, from `cdk deploy -c …`.
func ExampleAccessFromContext() {
	app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{"invokerRoleArn": "arn:aws:iam::123456789012:role/backend"}})
	access, err := signin.AccessFromContext(app)
	if err != nil {
		panic(err)
	}
	fmt.Println(access.Cognito, access.InvokerRoleArn)
	// Output: false arn:aws:iam::123456789012:role/backend
}
