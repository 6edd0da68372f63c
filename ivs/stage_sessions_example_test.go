package ivs_test

import (
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
)

// Real-time shows: sessions made on demand for signed-in hosts, joined by
// their ID, cleaned up when idle.
func ExampleNewStageSessions() {
	stack := exampleStack()
	sessions := ivs.NewStageSessions(stack, "Shows", &ivs.StageSessionsProps{
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "client-id"),
		CapabilityGrants: []ivs.CapabilityGrant{
			{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityHost}},
			{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{ivs.CapabilityModerate}},
		},
		MaxSessions: 20,               // below the account's stage quota
		IdleAfter:   15 * time.Minute, // an unused stage is deleted after this
	})
	fmt.Println(sessions.MadeBy()) // the ivscdk:sessions tag of its stages

	template := assertions.Template_FromStack(stack, nil)
	var routes []string
	for _, r := range *template.FindResources(jsii.String("AWS::ApiGatewayV2::Route"), nil) {
		routes = append(routes, (*r)["Properties"].(map[string]any)["RouteKey"].(string))
	}
	sort.Strings(routes)
	fmt.Println(routes)
	// Output:
	// TestStack/Shows
	// [DELETE /sessions GET /sessions GET /sessions/chat GET /sessions/exchange GET /sessions/status POST /sessions POST /sessions/disconnect POST /sessions/promote]
}
