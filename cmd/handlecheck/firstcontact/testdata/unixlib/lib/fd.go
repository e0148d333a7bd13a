// Package lib is a library that does not support Windows: this file has no
// build constraint but calls golang.org/x/sys/unix, so only its Windows
// build fails to type-check, outside any Windows-only file. stub_other.go
// makes Windows build a file that Linux does not.
package lib

import "golang.org/x/sys/unix"

// ReadConfig leaks the descriptor when Read fails.
func ReadConfig(buf []byte) error {
	fd, err := unix.Open("/etc/config", unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	if _, err := unix.Read(fd, buf); err != nil {
		return err
	}
	return unix.Close(fd)
}
