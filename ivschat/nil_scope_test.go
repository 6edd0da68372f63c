package ivschat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/ivschat"
)

func TestNilScopePanicsNamingTheConstructor(t *testing.T) {
	for name, call := range map[string]func(){
		"ivschat.NewRoom":                 func() { ivschat.NewRoom(nil, "X", nil) },
		"ivschat.NewLoggingConfiguration": func() { ivschat.NewLoggingConfiguration(nil, "X", nil) },
		"ivschat.NewChatTokenEndpoint":    func() { ivschat.NewChatTokenEndpoint(nil, "X", nil) },
		"ivschat.RoomFromRoomArn":         func() { ivschat.RoomFromRoomArn(nil, "X", "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if msg := fmt.Sprint(recover()); !strings.HasPrefix(msg, name+": scope is nil") {
					t.Errorf("panic %q, want one starting %q", msg, name+": scope is nil")
				}
			}()
			call()
		})
	}
}
