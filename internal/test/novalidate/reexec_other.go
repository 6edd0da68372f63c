//go:build !unix

package novalidate

// reexec cannot replace the process here: the tests run as they are.
func reexec(exe string, args, env []string) {}
