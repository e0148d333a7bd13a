// Package recall3 has functions that return a live owned descriptor
// together with an error that may be non-nil (issue 18, pattern 3): the
// caller checks the error first, as Go's convention is, and never sees
// the descriptor.
package recall3

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

var errShort = errors.New("short address")

// Listen returns fd with Bind's error.
func Listen(sa unix.Sockaddr) (int, error) { // want Listen:"owned fd r0 .also with an error."
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0) // want `fd from unix.Socket is returned together with an error that may be non-nil: callers that check the error first never release it`
	if err != nil {
		return -1, err
	}
	if err := unix.Bind(fd, sa); err != nil {
		return fd, err
	}
	return fd, nil
}

// ListenFixed closes fd when Bind fails.
func ListenFixed(sa unix.Sockaddr) (int, error) { // want ListenFixed:"owned fd r0$"
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// openNonblock returns fd with the result of SetNonblock, nil or not.
func openNonblock(path string) (int, error) { // want openNonblock:"owned fd r0 .also with an error."
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) // want `fd from unix.Open is returned together with an error that may be non-nil`
	if err != nil {
		return -1, err
	}
	return fd, unix.SetNonblock(fd, true)
}

// openChecked returns fd with an error that a test has shown nil.
func openChecked(path string) (int, error) { // want openChecked:"owned fd r0$"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	err2 := unix.SetNonblock(fd, true)
	if err2 != nil {
		unix.Close(fd)
		return -1, err2
	}
	return fd, err2
}

// openSentinel returns fd with a sentinel error.
func openSentinel(path string) (int, error) { // want openSentinel:"owned fd r0 .also with an error."
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) // want `fd from unix.Open is returned together with an error that may be non-nil`
	if err != nil {
		return -1, err
	}
	if len(path) < 2 {
		return fd, errShort
	}
	return fd, nil
}

// openOwn returns fd with its own acquisition's error: invalid when that
// is non-nil, so quiet.
func openOwn(path string) (int, error) { // want openOwn:"owned fd r0$"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	return fd, err
}

// openCleanup closes fd in a deferred closure whenever it returns an
// error: quiet.
func openCleanup(path string) (fd int, err error) { // want openCleanup:"owned fd r0$"
	fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	defer func() {
		if err != nil {
			unix.Close(fd)
		}
	}()
	return fd, unix.SetNonblock(fd, true)
}

// openFile returns an *os.File with Chmod's error.
func openFile(path string) (*os.File, error) { // want openFile:"owned file r0 .also with an error."
	f, err := os.Open(path) // want `file from os.Open is returned together with an error that may be non-nil`
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		return f, err
	}
	return f, nil
}

// caller checks the error first, as callers do: the summary says the
// descriptor may be live with a non-nil error, so it is reported here too.
func caller(path string) error {
	fd, err := openNonblock(path) // want `fd from recall3.openNonblock \(unix.Open\) is not closed on every path \(it is valid with some errors, too\)`
	if err != nil {
		return err
	}
	return unix.Close(fd)
}

// callerFixed releases it on the error path too.
func callerFixed(path string) error {
	fd, err := openNonblock(path)
	if err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return err
	}
	return unix.Close(fd)
}
