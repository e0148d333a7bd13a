// Package robust exercises Go constructs the engine must handle: generics,
// goroutines, method values, defer in loops, select, goto, labeled breaks.
// Each function states the expected result.
package robust

import (
	"golang.org/x/sys/unix"
)

// A type parameter that carries a handle: the call through the generic
// function is a function the rules do not know, so the handle is handed on.
func closeIt[T ~int](fd T) error { return unix.Close(int(fd)) }

func generic(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	return closeIt(fd)
}

// Generic code that leaks: reported in the generic body.
func genericLeak[T any](path string, v T) (T, error) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0) // want `fd from unix.Open is not closed`
	if err != nil {
		return v, err
	}
	_ = fd
	return v, nil
}

// A goroutine takes the descriptor.
func goroutine(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return
	}
	go func() {
		defer unix.Close(fd)
	}()
}

type conn struct{ fd int }

func (c *conn) Close() error { return unix.Close(c.fd) } // want Close:"closes handlecheck.test/robust.conn"

// A method value of a type that owns the descriptor.
func methodValue(path string) (func() error, error) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	c := &conn{fd: fd}
	return c.Close, nil
}

// defer in a loop: each iteration's descriptor is closed at return.
func deferInLoop(paths []string) {
	for _, p := range paths {
		fd, err := unix.Open(p, unix.O_RDONLY, 0)
		if err != nil {
			continue
		}
		defer unix.Close(fd)
	}
}

// select with the descriptor closed on every branch.
func selectClose(path string, a, b chan struct{}) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return
	}
	select {
	case <-a:
		unix.Close(fd)
	case <-b:
		unix.Close(fd)
	}
}

// select with one branch that forgets.
func selectLeak(path string, a, b chan struct{}) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0) // want `fd from unix.Open is not closed`
	if err != nil {
		return
	}
	select {
	case <-a:
		unix.Close(fd)
	case <-b:
	}
}

// goto and labeled break.
func gotoAndBreak(paths []string) {
	fd, err := unix.Open(paths[0], unix.O_RDONLY, 0)
	if err != nil {
		goto out
	}
outer:
	for _, p := range paths {
		for range 3 {
			if p == "" {
				break outer
			}
		}
	}
	unix.Close(fd)
out:
}

// A labeled continue that skips the close.
func labeledLeak(paths []string) {
outer:
	for _, p := range paths {
		fd, err := unix.Open(p, unix.O_RDONLY, 0) // want `fd from unix.Open is not closed`
		if err != nil {
			continue
		}
		for range 3 {
			if p == "x" {
				continue outer
			}
		}
		unix.Close(fd)
	}
}

type tearDown func()

// A closure that captures the descriptor, returned as a named func type
// (netlink's test set-up returns a tearDownNetlinkTest): handed on.
func setUp(path string) (tearDown, error) {
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	return func() { unix.Close(fd) }, nil
}
