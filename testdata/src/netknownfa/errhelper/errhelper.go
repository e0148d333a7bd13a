// Package errhelper holds error tests of another package's (std
// net/iprawsock_test.go:95, testenv.SyscallIsNotSupported, with the net
// rules): check.NotSupported is true only for a non-nil error, and f is
// not valid on that branch. The fact of check.NotSupported says so.
package errhelper

import (
	"os"

	"golang.org/x/sys/unix"

	"handlecheck.test/netknownfa/errhelper/check"
)

// open skips an unsupported open.
func open(path string) error {
	f, err := os.Open(path)
	if check.NotSupported(err) {
		return nil
	} else if err != nil {
		return err
	}
	return f.Close()
}

// openFd skips an unsupported open, through testenv's shape.
func openFd(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if check.IsNotSupported(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return unix.Close(fd)
}

// openDenied skips a denied open.
func openDenied(path string) error {
	f, err := os.Open(path)
	if check.Denied(err) {
		return nil
	} else if err != nil {
		return err
	}
	return f.Close()
}

// openDone returns early on a nil error too: f leaks there.
func openDone(path string) error {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if check.Done(err) {
		return nil
	} else if err != nil {
		return err
	}
	return f.Close()
}
