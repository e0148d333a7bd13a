// Package engine12fd holds the descriptor shape of issue 12: a variable
// that a deferred closure closes at exit holds a second descriptor.
package engine12fd

import "syscall"

// Shape 2: the first descriptor is closed and the variable cleared; the
// second is stored in the variable, and the deferred closure closes it.
func reopen(a, b string) error {
	var fd int
	defer func() {
		if fd != 0 {
			syscall.Close(fd)
		}
	}()
	var err error
	fd, err = syscall.Open(a, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	syscall.Close(fd)
	fd = 0
	fd, err = syscall.Open(b, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	return nil
}
