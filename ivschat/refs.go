package ivschat

import "github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivschat"

// Every ivscdk construct and imported resource satisfies the AWS CDK's
// reference interface for its resource type (package interfacesawsivschat), so
// CDK APIs and other libraries typed on interfacesawsivschat.IRoomRef and the
// rest take them as they take the L1 resources. These assertions keep it so.

var (
	_ interfacesawsivschat.ILoggingConfigurationRef = (*LoggingConfiguration)(nil)
	_ interfacesawsivschat.ILoggingConfigurationRef = (*importedLoggingConfiguration)(nil)
	_ interfacesawsivschat.IRoomRef                 = (*Room)(nil)
	_ interfacesawsivschat.IRoomRef                 = (*importedRoom)(nil)
)

// LoggingConfigurationRef returns the reference other CDK constructs take (interfacesawsivschat.ILoggingConfigurationRef): the logging configuration ARN.
func (l *LoggingConfiguration) LoggingConfigurationRef() *interfacesawsivschat.LoggingConfigurationReference {
	return &interfacesawsivschat.LoggingConfigurationReference{LoggingConfigurationArn: l.LoggingConfigurationArn()}
}

// LoggingConfigurationRef implements interfacesawsivschat.ILoggingConfigurationRef.
func (i *importedLoggingConfiguration) LoggingConfigurationRef() *interfacesawsivschat.LoggingConfigurationReference {
	return &interfacesawsivschat.LoggingConfigurationReference{LoggingConfigurationArn: i.LoggingConfigurationArn()}
}

// RoomRef returns the reference other CDK constructs take (interfacesawsivschat.IRoomRef): the room ARN.
func (r *Room) RoomRef() *interfacesawsivschat.RoomReference {
	return &interfacesawsivschat.RoomReference{RoomArn: r.RoomArn()}
}

// RoomRef implements interfacesawsivschat.IRoomRef.
func (i *importedRoom) RoomRef() *interfacesawsivschat.RoomReference {
	return &interfacesawsivschat.RoomReference{RoomArn: i.RoomArn()}
}
