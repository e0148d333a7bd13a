// Package lib uses a descriptor passed to it: its summary says so, and
// its callers' files must stay live across the call.
package lib

import "golang.org/x/sys/unix"

func Lock(fd int) error { // want Lock:"uses a0"
	return unix.Flock(fd, unix.LOCK_EX)
}
