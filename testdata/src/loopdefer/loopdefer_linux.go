// Package loopdefer holds closures deferred in a loop that close the
// handle of their own iteration, on the real os, syscall and x/sys/unix
// (analyzed as built for linux). A variable declared in the loop's body,
// and Go 1.22's per-iteration loop variable, is a new variable on each
// iteration: the closure closes that iteration's handle, which no later
// iteration overwrites. They were reported as leaks. The neighbour that
// closes a variable declared outside the loop, which every closure reads
// at exit, leaks all handles but the last one.
package loopdefer

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// openAll closes each file in a closure deferred in the loop.
func openAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer func() { f.Close() }()
	}
	return nil
}

// openAllChecked checks the error of each deferred Close.
func openAllChecked(paths []string) error {
	for i := range paths {
		f, err := os.Open(paths[i])
		if err != nil {
			return err
		}
		defer func() {
			if err := f.Close(); err != nil {
				println(err.Error())
			}
		}()
	}
	return nil
}

// fdAll does the same with descriptors of unix.Open.
func fdAll(paths []string) error {
	for _, p := range paths {
		fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer func() { unix.Close(fd) }()
	}
	return nil
}

// sockets counts up to n with syscall.Socket.
func sockets(n int) error {
	for i := 0; i < n; i++ {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
		if err != nil {
			return err
		}
		defer func() { syscall.Close(fd) }()
	}
	return nil
}

// chain opens the next file in the loop's post statement: f and err are
// per-iteration loop variables (Go 1.22).
func chain(next func() string) {
	for f, err := os.Open(next()); err == nil; f, err = os.Open(next()) {
		defer func() { f.Close() }()
	}
}

// outside closes fd, declared outside the loop, in each deferred closure:
// at exit every closure closes the last descriptor, and the others leak.
func outside(paths []string) error {
	var fd int
	var err error
	for _, p := range paths {
		fd, err = unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0) // want `fd from unix.Open is not closed on every path`
		if err != nil {
			return err
		}
		defer func() { unix.Close(fd) }()
	}
	return nil
}
