// Package helpers has helpers that only use a descriptor passed to them,
// and some that keep it, for package app: their summaries cross the package
// boundary as facts.
package helpers

import "golang.org/x/sys/unix"

// Tune only uses fd: a socket option and non-blocking mode.
func Tune(fd int) error { // want Tune:"uses a0"
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return err
	}
	return unix.SetNonblock(fd, true)
}

var kept []int

// Keep stores fd: a descriptor passed to it is handed on.
func Keep(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		return err
	}
	kept = append(kept, fd)
	return nil
}
