// Package clean leaks a descriptor that lib hands out, known from lib's
// Summary fact only.
package clean

import (
	"golang.org/x/sys/unix"

	"handlecheck.test/brokenmod/lib"
)

// Leak leaks the descriptor on the error path of the read.
func Leak(buf []byte) error {
	fd, err := lib.Open("/etc/hosts")
	if err != nil {
		return err
	}
	if _, err := unix.Read(fd, buf); err != nil {
		return err
	}
	return unix.Close(fd)
}
