// Package recall4 has constructors that take ownership of a descriptor
// passed to them (issue 18, pattern 4): os.NewFile adopts it on success.
// One that returns early on another path without releasing it or handing
// it on leaks it there: the caller handed it over.
package recall4

import (
	"os"

	"golang.org/x/sys/unix"
)

type Conn struct{ f *os.File }

// New takes over fd, but loses it when SetNonblock fails.
func New(fd int) (*Conn, error) { // want `handle fd is taken over on some paths \(a callee adopts it\) but not on every path`
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, err // leaks fd
	}
	return &Conn{f: os.NewFile(uintptr(fd), "conn")}, nil
}

// NewFixed closes fd when it cannot take it over.
func NewFixed(fd int) (*Conn, error) { // want NewFixed:"adopts a0"
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &Conn{f: os.NewFile(uintptr(fd), "conn")}, nil
}

// newFile adopts fd on every path where it is valid.
func newFile(fd int, name string) *os.File { // want newFile:"adopts a0"
	if fd < 0 {
		return nil
	}
	return os.NewFile(uintptr(fd), name)
}

// NewVia takes over fd through newFile, whose summary says it adopts it,
// but loses it when the name is empty.
func NewVia(fd int, name string) (*Conn, error) { // want `handle fd is taken over on some paths`
	if name == "" {
		return nil, os.ErrInvalid // leaks fd
	}
	return &Conn{f: newFile(fd, name)}, nil
}

// Tune only uses fd: the caller keeps it, on every path.
func Tune(fd int) error { // want Tune:"uses a0"
	return unix.SetNonblock(fd, true)
}

func open(path string) (*Conn, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return NewFixed(fd) // handed over on every path
}
