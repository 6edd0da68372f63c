package chatmoderation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ivscdk/ivscdk/handler/chatmoderation"
)

// A review handler that denies spoilers; in a Lambda function, pass the
// handler to lambda.Start.
func ExampleHandler() {
	handler := chatmoderation.Handler(func(ctx context.Context, m chatmoderation.Request) (chatmoderation.Response, error) {
		if strings.Contains(strings.ToLower(m.Content), "spoiler") {
			return chatmoderation.Deny(m, "no spoilers"), nil // the sender sees the reason
		}
		return chatmoderation.Allow(m), nil // or chatmoderation.Rewrite(m, newContent)
	}, chatmoderation.Options{Fallback: chatmoderation.ResultDeny})

	for _, content := range []string{"great stream!", "SPOILER: the butler did it"} {
		answer, _ := handler(context.Background(), chatmoderation.Request{Content: content, MessageID: "m1"})
		b, _ := json.Marshal(answer)
		fmt.Println(string(b))
	}
	// Output:
	// {"ReviewResult":"ALLOW","Content":"great stream!"}
	// {"ReviewResult":"DENY","Content":"SPOILER: the butler did it","Attributes":{"Reason":"no spoilers"}}
}
