//go:build unix

package consumer

import (
	"os"
	"syscall"
)

// lock waits for an exclusive lock on the file name, for one run of the
// test at a time on the machine, and returns its release.
func lock(name string) (func(), error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
