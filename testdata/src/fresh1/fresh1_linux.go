// Package fresh1 holds the false alarms of the first-contact run of set A
// (eval/fresh), reduced. Every function here is correct: none must be
// reported.
package fresh1

import "syscall"

// reopen is go-fuse v2.12.1 posixtest.DirectIO (posixtest/test.go:110): a
// deferred closure closes fd if it is non-zero; the first descriptor is
// closed explicitly and fd zeroed, then fd receives a second descriptor,
// which the deferred closure closes at exit.
func reopen(name string) error {
	fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if fd != 0 {
			syscall.Close(fd)
		}
	}()
	if _, err := syscall.Write(fd, []byte("bye")); err != nil {
		return err
	}
	err = syscall.Close(fd)
	fd = 0
	if err != nil {
		return err
	}
	fd, err = syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	var buf [3]byte
	_, err = syscall.Read(fd, buf[:])
	return err
}

// openLate is the same with the deferred closure set up before the first
// acquisition: the descriptor is stored into the captured variable after
// the defer statement.
func openLate(name string) error {
	fd := -1
	defer func() {
		if fd >= 0 {
			syscall.Close(fd)
		}
	}()
	var err error
	fd, err = syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	var buf [3]byte
	_, err = syscall.Read(fd, buf[:])
	return err
}

// reopenOther is the neighbour that must stay reported: the second
// descriptor goes into a variable the deferred closure does not read.
func reopenOther(name string) error {
	fd, err := syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer func() {
		if fd != 0 {
			syscall.Close(fd)
		}
	}()
	fd2, err := syscall.Open(name, syscall.O_RDONLY, 0) // want `fd from syscall.Open is not closed on every path`
	if err != nil {
		return err
	}
	var buf [3]byte
	_, err = syscall.Read(fd2, buf[:])
	return err
}
