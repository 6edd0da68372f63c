// Package ivstoken handles the keys and tokens of Amazon IVS private
// channels and real-time stages: ECDSA P-384 key pairs in PEM form, and the
// ES384-signed JSON Web Tokens that IVS accepts.
//
// It depends on the Go standard library only, so a token-vending service can
// import it without pulling the AWS CDK or Node.js into its build.
package ivstoken
