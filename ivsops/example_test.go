package ivsops_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
	"github.com/ivscdk/ivscdk/ivsops"
)

// A show's dashboard: its channel, stage and chat room, with the default
// alarms sent to an on-call topic, and a viewer limit.
func ExampleNewDashboard() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Show"), nil)
	channel := ivs.NewChannel(stack, "Channel", nil)
	stage := ivs.NewStage(stack, "Studio", nil)
	room := ivschat.NewRoom(stack, "Chat", nil)

	dashboard := ivsops.NewDashboard(stack, "Dashboard", &ivsops.DashboardProps{
		Channels:   []ivs.IChannel{channel},
		Stages:     []ivs.IStage{stage},
		Rooms:      []ivschat.IRoom{room},
		AlarmTopic: awssns.NewTopic(stack, jsii.String("OnCall"), nil),
		Alarms:     ivsops.DashboardAlarms{ConcurrentViewsPerChannel: 10_000},
	})

	fmt.Println(len(dashboard.Alarms()), "alarms")
	// Output: 5 alarms
}
