//go:build unix

package novalidate

import "syscall"

// reexec replaces the process; it returns only when that fails.
func reexec(exe string, args, env []string) { _ = syscall.Exec(exe, args, env) }
