// Package ivsops holds the constructs for running live video on IVS, over
// the channels, stages and chat rooms of packages ivs and ivschat: a
// CloudWatch dashboard with alarms for a show's resources (Dashboard).
//
// It sits above both packages (ivschat imports ivs, so a construct that
// takes channels, stages and rooms together cannot live in either); see
// docs/operations.md.
package ivsops
