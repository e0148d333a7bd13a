//go:build handlecheck_extra

// Package tagged builds only with the build tag handlecheck_extra.
package tagged

import "golang.org/x/sys/unix"

// Open leaks the descriptor when Fchmod fails.
func Open(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	if err := unix.Fchmod(fd, 0o600); err != nil {
		return err
	}
	return unix.Close(fd)
}
