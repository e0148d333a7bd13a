// Package wrapphi holds a handle that a function wraps, on one path, in
// a struct of its own that embeds it, and returns as the handle's
// interface (on the real os, analyzed as built for linux; net/http's
// client_test dialer does it to a net.Conn). The variable is a phi of
// the handle and of the struct that holds it: returned, either hands the
// handle on. It was reported as a leak where the struct was returned.
// The neighbour returns an error after wrapping, and leaks the file.
package wrapphi

import (
	"io"
	"os"
)

// countingFile counts the bytes read through it.
type countingFile struct {
	*os.File
	n *int
}

func (c *countingFile) Read(b []byte) (int, error) {
	n, err := c.File.Read(b)
	*c.n += n
	return n, err
}

// open wraps f when the caller counts.
func open(path string, n *int) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var r io.ReadCloser = f
	if n != nil {
		r = &countingFile{f, n}
	}
	return r, nil
}

// openWrapped wraps f once it opened it.
func openWrapped(path string, n *int) (io.ReadCloser, error) {
	r, err := io.ReadCloser(nil), error(nil)
	f, err := os.Open(path)
	if err == nil {
		r = &countingFile{f, n}
	}
	return r, err
}

// openLeak wraps f, then returns without it when Stat fails.
func openLeak(path string, n *int) (io.ReadCloser, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	var r io.ReadCloser = f
	if n != nil {
		r = &countingFile{f, n}
	}
	if _, err := f.Stat(); err != nil {
		return nil, err
	}
	return r, nil
}
