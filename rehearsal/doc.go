// Package rehearsal runs the exact Lambda assets that `cdk deploy` would
// upload for ivscdk's examples on AWS's own Lambda Runtime Interface
// Emulator (RIE), against local stand-ins of the AWS services they call.
//
// For each example it takes the synthesized cdk.out (the template and the
// asset folders), and for each of ivscdk's Go functions (runtime
// provided.al2023; the CDK's own handlers that deploy and empty the page
// bucket are Python and Node.js and are not rehearsed) it starts
// aws-lambda-rie with the asset's arm64 bootstrap (through
// qemu-aarch64-static on other machines) and the function's environment
// from the template, its Ref, Fn::GetAtt, Fn::Join and Fn::Sub resolved to
// the local services' values. The functions reach IVS, IVS real-time, IVS
// Chat and Secrets Manager through AWS_ENDPOINT_URL, which the AWS SDK for
// Go v2 honours; internal/test/awsfake answers there on loopback. The
// recording index function reaches S3 and DynamoDB through
// AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_DYNAMODB instead: an in-memory
// S3 (gofakes3) and dynalite (internal/test/localaws), with the table made
// as the template defines it.
//
// The tests then play the services that invoke the functions:
// CloudFormation (custom resource Create, Update and Delete, answered to a
// local response URL), Secrets Manager (the set-up test, the four rotation
// steps, failures injected at each), EventBridge (the sweep schedule's
// input), API Gateway (HTTP API payload 2.0 events with IAM and JWT
// authorizer contexts), IVS Chat (message review) and S3 (event
// notifications of the recordings' metadata files, twice, out of order or
// lost), and check what the assets answer.
//
// The assets run on the machine's clock, as they do on Lambda; where a test
// needs time to have passed (a grace period over), it moves the local
// services' clock instead. Settings the rehearsal shortens to keep the run
// quick (the key cache TTL, a function's timeout) are named where they are
// changed.
//
// This is a separate module so that the RIE (a test tool) never becomes a
// dependency of github.com/ivscdk/ivscdk. Run it from this folder:
//
//	go test ./...
//
// It needs qemu-user-static on machines that are not arm64 (Debian:
// apt-get install qemu-user-static); `go test -short` skips it.
// IVSCDK_REHEARSAL_CDK_OUT may name a folder holding each example's
// cdk.out as <example>/ (as .ci/run leaves them); without it the tests
// synthesize the examples themselves.
package rehearsal
