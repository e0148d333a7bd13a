// Package freshF2 holds the two false alarms of set F's first contact
// (eval/fresh/triage-F.yaml), both in github.com/nats-io/nats-server/v2
// v2.15.3 server/filestore.go, reduced; each correct function sits next to
// a leaking neighbour that must stay reported.
package freshF2

import "os"

type block struct {
	mfd *os.File
	mfn string
}

// truncate is the shape of the truncate closure in
// (*msgBlock).rebuildStateFromBufLocked (filestore.go:1716): the closure
// writes OpenFile's error to err, a variable of the enclosing function,
// and tests it back; the file is closed (deferred) where err is nil, and a
// failed OpenFile leaves fd nil, so the fd == nil return holds nothing.
func (mb *block) truncate(index int64) error {
	var err error
	trunc := func() error {
		var fd *os.File
		if mb.mfd != nil {
			fd = mb.mfd
		} else {
			fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644)
			if err == nil {
				defer fd.Close()
			}
		}
		if fd == nil {
			return nil
		}
		if err := fd.Truncate(index); err != nil {
			return err
		}
		return fd.Sync()
	}
	err = trunc()
	return err
}

// truncateMin is the minimal shape.
func truncateMin(name string) error {
	var err error
	g := func() error {
		var fd *os.File
		fd, err = os.OpenFile(name, os.O_RDWR, 0)
		if err == nil {
			defer fd.Close()
		}
		if fd == nil {
			return nil
		}
		return fd.Sync()
	}
	return g()
}

// truncateNoDefer captures err the same way but never closes the file.
func truncateNoDefer(name string) error {
	var err error
	g := func() error {
		var fd *os.File
		fd, err = os.OpenFile(name, os.O_RDWR, 0) // want `file from os.OpenFile is not closed on every path`
		if err != nil {
			return err
		}
		return fd.Sync()
	}
	return g()
}

// truncateOverwritten writes the captured err again before testing it:
// the test is of Sync's error, not OpenFile's, and a failed Sync leaves
// the file open.
func truncateOverwritten(name string) error {
	var err error
	g := func() error {
		var fd *os.File
		fd, err = os.OpenFile(name, os.O_RDWR, 0) // want `file from os.OpenFile is not closed on every path`
		if fd == nil {
			return nil
		}
		err = fd.Sync()
		if err != nil {
			return err
		}
		return fd.Close()
	}
	return g()
}
