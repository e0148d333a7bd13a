package freshF2

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFile is (*msgBlock).syncFile (filestore.go:8299): fd is either the
// borrowed mb.mfd or a file it opened, and didOpen is true exactly when it
// opened it; every return after that closes fd under didOpen.
func (mb *block) syncFile() error {
	fd, didOpen := mb.mfd, false
	if fd == nil {
		var err error
		fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644)
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		didOpen = true
	}
	if err := fd.Sync(); err != nil {
		if didOpen {
			_ = fd.Close()
		}
		return err
	}
	if didOpen {
		return fd.Close()
	}
	return nil
}

// syncFileInverted closes under !didOpen: the file it opened is never
// closed.
func (mb *block) syncFileInverted() error {
	fd, didOpen := mb.mfd, false
	if fd == nil {
		var err error
		fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644) // want `file from os.OpenFile is not closed on every path`
		if err != nil {
			return err
		}
		didOpen = true
	}
	if err := fd.Sync(); err != nil {
		if !didOpen {
			_ = fd.Close()
		}
		return err
	}
	if didOpen {
		return fd.Close()
	}
	return nil
}

// syncFd is the flag as a variable assigned later (opened := false; ...;
// opened = true), with x/sys/unix descriptors and the negated test.
func syncFd(fd int, name string) error {
	opened := false
	if fd < 0 {
		var err error
		fd, err = unix.Open(name, unix.O_RDWR, 0)
		if err != nil {
			return err
		}
		opened = true
	}
	err := unix.Fsync(fd)
	if !opened {
		return err
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	return err
}

// syncFdSwapped sets the flag the wrong way round: the descriptor it
// opened is never closed, the one it was given is (on every path: the
// flag is true with it).
func syncFdSwapped(fd int, name string) error { // want syncFdSwapped:"releases a0 fd"
	borrowed := true
	if fd < 0 {
		var err error
		fd, err = unix.Open(name, unix.O_RDWR, 0) // want `fd from unix.Open is not closed on every path`
		if err != nil {
			return err
		}
		borrowed = false
	}
	err := unix.Fsync(fd)
	if !borrowed {
		return err
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	return err
}

// syncFdMaybe sets the flag from a test that does not follow from the
// acquisition: with keep set, the descriptor it opened is not closed.
func syncFdMaybe(fd int, name string, keep bool) error {
	opened := false
	if fd < 0 {
		var err error
		fd, err = unix.Open(name, unix.O_RDWR, 0) // want `fd from unix.Open is not closed on every path`
		if err != nil {
			return err
		}
		opened = !keep
	}
	err := unix.Fsync(fd)
	if opened {
		return unix.Close(fd)
	}
	return err
}

// openEither opens one of two files, flagging the first as its own and
// the second as not: the second is never closed. Each acquisition comes
// in on its own edge, with its own constant.
func openEither(first bool, a, b string) error {
	var f *os.File
	var err error
	mine := false
	if first {
		f, err = os.Open(a)
		if err != nil {
			return err
		}
		mine = true
	} else {
		f, err = os.Open(b) // want `file from os.Open is not closed on every path`
		if err != nil {
			return err
		}
	}
	_, err = f.Stat()
	if mine {
		f.Close()
	}
	return err
}

// syncFdFlagLost sets the flag on the wrong path: the descriptor it
// opened is never closed.
func syncFdFlagLost(fd int, name string) error {
	opened := false
	if fd < 0 {
		var err error
		fd, err = unix.Open(name, unix.O_RDWR, 0) // want `fd from unix.Open is not closed on every path`
		if err != nil {
			opened = true
			return err
		}
	}
	err := unix.Fsync(fd)
	if !opened {
		return err
	}
	return unix.Close(fd)
}

// syncFileKeep keeps the flag's negation in a variable before it tests
// it: the test is of !keep.
func (mb *block) syncFileKeep() error {
	fd, keep := mb.mfd, true
	if fd == nil {
		var err error
		fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644)
		if err != nil {
			return err
		}
		keep = false
	}
	err := fd.Sync()
	mine := !keep
	if mine {
		fd.Close()
	}
	return err
}

// lastOf opens each file in turn, closing the one before it, and closes
// the last one: the loop carries the file and its flag round together.
func lastOf(names []string) (os.FileInfo, error) {
	var f *os.File
	open := false
	var err error
	for _, n := range names {
		if open {
			f.Close()
		}
		f, err = os.Open(n)
		if err != nil {
			return nil, err
		}
		open = true
	}
	if !open {
		return nil, os.ErrNotExist
	}
	defer f.Close()
	return f.Stat()
}

// lastOfLeaky forgets to close the file before the next one.
func lastOfLeaky(names []string) (os.FileInfo, error) {
	var f *os.File
	open := false
	var err error
	for _, n := range names {
		if !open {
			f.Close()
		}
		f, err = os.Open(n) // want `file from os.Open is not closed on every path`
		if err != nil {
			return nil, err
		}
		open = true
	}
	if !open {
		return nil, os.ErrNotExist
	}
	defer f.Close()
	return f.Stat()
}
