// Package deferbefore holds correct code that handlecheck once reported
// (see TestOSFileFalseAlarms): a File closed by a deferred closure
// registered before the File is assigned. Only otherOnError, whose
// closure closes another File, stays reported.
package deferbefore

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// deferredBeforeOpen closes f in a deferred closure registered before f is
// assigned (as mime/multipart's readForm and runc's mountFd do): the
// closure runs at exit and sees the File.
func deferredBeforeOpen(path string, data []byte) error {
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	var err error
	f, err = os.Create(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

type mountSource struct {
	file *os.File
}

// mountFd is runc v1.5.2's libcontainer mountFd (mount_linux.go:292): a
// closure deferred before the File is assigned closes it when the named
// error result is not nil; on success the File goes into the result.
func mountFd(source string, idmapped bool, usernsFd int) (_ *mountSource, retErr error) {
	var mountFile *os.File
	defer func() {
		if retErr != nil && mountFile != nil {
			mountFile.Close()
		}
	}()
	if idmapped {
		fd, err := unix.OpenTree(unix.AT_FDCWD, source, unix.OPEN_TREE_CLONE|unix.OPEN_TREE_CLOEXEC)
		if err != nil {
			return nil, &os.PathError{Op: "open_tree(OPEN_TREE_CLONE)", Path: source, Err: err}
		}
		mountFile = os.NewFile(uintptr(fd), source)
		if err := unix.MountSetattr(int(mountFile.Fd()), "", unix.AT_EMPTY_PATH, &unix.MountAttr{
			Attr_set:  unix.MOUNT_ATTR_IDMAP,
			Userns_fd: uint64(usernsFd),
		}); err != nil {
			return nil, fmt.Errorf("failed to set MOUNT_ATTR_IDMAP on %s: %w", source, err)
		}
	} else {
		var err error
		mountFile, err = os.OpenFile(source, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, err
		}
	}
	return &mountSource{file: mountFile}, nil
}

// otherOnError is the neighbour that stays reported: the closure deferred
// before the File closes another variable.
func otherOnError(path string, other *os.File) (n int, retErr error) {
	var f *os.File
	defer func() {
		if retErr != nil && other != nil {
			other.Close()
		}
	}()
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	if _, err := f.Stat(); err != nil {
		return 0, err
	}
	return 1, f.Close()
}
