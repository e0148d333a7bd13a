// Package typeerror does not type-check: handlecheck must report the load
// error and analyze nothing here, without a panic.
package typeerror

import "golang.org/x/sys/unix"

func broken(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return
	}
	unix.Close(fd, 1) // too many arguments
}
