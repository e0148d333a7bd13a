// Package freshC1 is the false alarm of set C's first contact
// (eval/fresh/triage-C.yaml): github.com/panjf2000/gnet/v2 v2.9.7,
// gnet.go:129, Engine.Dup.
package freshC1

import (
	"errors"

	"golang.org/x/sys/unix"
)

type listener struct{ fd int }

func (ln *listener) dup() (int, error) { return unix.Dup(ln.fd) } // want dup:"owned fd r0"

type engine struct{ listeners map[int]*listener }

// Dup is gnet's shape: the loop runs at most once, because an engine with
// more than one listener returns first, so no fd is overwritten; the fd is
// returned to the caller, who must close it.
func (e *engine) Dup() (fd int, err error) { // want Dup:"owned fd r0"
	if len(e.listeners) > 1 {
		return -1, errors.New("unsupported")
	}
	for _, ln := range e.listeners {
		fd, err = ln.dup()
	}
	return
}

// DupAll has no such guard: each iteration overwrites the fd of the one
// before, which leaks.
func (e *engine) DupAll() (fd int, err error) { // want DupAll:"owned fd r0"
	for _, ln := range e.listeners {
		fd, err = ln.dup() // want `fd from \(\*freshC1.listener\).dup`
	}
	return
}

// DupOne takes the other usual guard, len != 1: the loop runs exactly
// once.
func (e *engine) DupOne() (fd int, err error) { // want DupOne:"owned fd r0"
	if len(e.listeners) != 1 {
		return -1, errors.New("want one listener")
	}
	for _, ln := range e.listeners {
		fd, err = ln.dup()
	}
	return
}

// dupFirst bounds a counted loop over a slice by len >= 2 and a panic.
func dupFirst(ls []*listener) (fd int) { // want dupFirst:"owned fd r0"
	if len(ls) >= 2 {
		panic("more than one listener")
	}
	for i := 0; i < len(ls); i++ {
		fd, _ = ls[i].dup()
	}
	return fd
}

// dupTwo's guard lets two listeners through: the first fd is overwritten
// by the second, which leaks.
func dupTwo(ls []*listener) (fd int) { // want dupTwo:"owned fd r0"
	if len(ls) > 2 {
		return -1
	}
	for _, ln := range ls {
		fd, _ = ln.dup() // want `fd from \(\*freshC1.listener\).dup`
	}
	return fd
}
