// Package nix has Linux files only: its Windows build has no file at all.
package nix

import "golang.org/x/sys/unix"

// Dup leaks the duplicate when Fstat fails.
func Dup(fd int) error {
	nfd, err := unix.Dup(fd)
	if err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstat(nfd, &st); err != nil {
		return err
	}
	return unix.Close(nfd)
}
