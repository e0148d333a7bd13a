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
