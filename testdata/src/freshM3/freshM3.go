// Package freshM3 holds the false alarm of set M's first contact in
// seaweedfs (github.com/seaweedfs/seaweedfs
// v0.0.0-20261109003541-7506e5f91cd6, weed/server/volume_grpc_copy.go:841,
// writeToFile): the file is closed through a close-once closure,
//
//	dstClosed := false
//	closeDst := func() {
//		if dstClosed {
//			return
//		}
//		dstClosed = true
//		_ = dst.Close()
//	}
//	defer closeDst()
//
// called again before an os.Remove, directly and from another closure
// (removeIncomplete). The first call closes the file and sets the flag,
// so a later one, the deferred one included, does nothing. Because the
// other closure captures closeDst, closeDst is a variable, and the
// defer calls what it loads from it.
//
// The neighbours leak or close twice: the closure never run, a close-once
// closure run on some paths only and not deferred, a closure without the
// flag run twice, a direct close before the deferred close-once one, the
// flag set without the close. (*os.File).Close twice is not reported (the
// rules say so), so the double releases are of syscall descriptors.
package freshM3

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// receiver is the gRPC stream writeToFile reads (VolumeServer_CopyFileClient),
// reduced.
type receiver interface {
	Recv() ([]byte, int64, error)
}

// writeToFile is seaweedfs's, reduced: every path closes dst once.
func writeToFile(client receiver, fileName string, isAppend, ignoreNotFound bool) (modifiedTsNs int64, err error) {
	writePath := fileName
	stageThenCommit := ignoreNotFound && !isAppend
	if stageThenCommit {
		writePath = fileName + ".copying"
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if isAppend {
		flags = os.O_WRONLY | os.O_CREATE
	}
	dst, err := os.OpenFile(writePath, flags, 0o644)
	if err != nil {
		return modifiedTsNs, err
	}
	dstClosed := false
	closeDst := func() {
		if dstClosed {
			return
		}
		dstClosed = true
		_ = dst.Close()
	}
	defer closeDst()

	removeIncomplete := func() {
		if isAppend {
			return
		}
		closeDst()
		os.Remove(writePath)
	}
	for {
		content, ts, receiveErr := client.Recv()
		if receiveErr == io.EOF {
			break
		}
		if ts != 0 {
			modifiedTsNs = ts
		}
		if receiveErr != nil {
			removeIncomplete()
			return modifiedTsNs, receiveErr
		}
		if _, writeErr := dst.Write(content); writeErr != nil {
			removeIncomplete()
			return modifiedTsNs, writeErr
		}
	}
	if modifiedTsNs == 0 && !isAppend {
		closeDst()
		os.Remove(writePath)
		return modifiedTsNs, nil
	}
	if stageThenCommit {
		closeDst()
		if renameErr := os.Rename(writePath, fileName); renameErr != nil {
			os.Remove(writePath)
			return modifiedTsNs, renameErr
		}
	}
	return modifiedTsNs, nil
}

// closeEarly is the close-once closure deferred and run before the
// deferred call, with the flag the other way round (open := true).
func closeEarly(name string, drop bool) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	open := true
	closeF := func() {
		if !open {
			return
		}
		open = false
		f.Close()
	}
	defer closeF()
	if drop {
		closeF()
		return os.Remove(name)
	}
	_, err = f.Stat()
	return err
}

// closeOnSome runs the close-once closure on every path, not deferred:
// the second call does nothing.
func closeOnSome(name string, drop bool) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	closed := false
	closeF := func() {
		if closed {
			return
		}
		closed = true
		f.Close()
	}
	if drop {
		closeF()
	}
	_, err = f.Stat()
	closeF()
	return err
}

// neverRun makes the close-once closure and never runs it.
func neverRun(name string) error {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	closed := false
	closeF := func() {
		if closed {
			return
		}
		closed = true
		f.Close()
	}
	_ = closeF
	_, err = f.Stat()
	return err
}

// someOnly runs the close-once closure on one path, not deferred: the
// file leaks on the other.
func someOnly(name string, drop bool) error {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	closed := false
	closeF := func() {
		if closed {
			return
		}
		closed = true
		f.Close()
	}
	if drop {
		closeF()
		return os.Remove(name)
	}
	_, err = f.Stat()
	return err
}

// closeFdOnce is the close-once closure over a descriptor, whose second
// release would be reported: deferred, and run before on one path.
func closeFdOnce(name string, drop bool) error {
	fd, err := syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	closed := false
	closeFd := func() {
		if closed {
			return
		}
		closed = true
		syscall.Close(fd)
	}
	defer closeFd()
	remove := func() {
		closeFd()
		os.Remove(name)
	}
	if drop {
		remove()
		return nil
	}
	if _, err := syscall.Write(fd, nil); err != nil {
		closeFd()
		return err
	}
	closeFd()
	return nil
}

// noFlag runs a closure that closes without a flag twice: deferred, and
// before the return.
func noFlag(name string) error {
	fd, err := syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	closeFd := func() {
		syscall.Close(fd)
	}
	defer closeFd()
	closeFd() // want `double release`
	return nil
}

// closeThenOnce closes the descriptor directly and then defers the
// close-once closure, whose flag is still clear: it closes it again.
func closeThenOnce(name string) error {
	fd, err := syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	closed := false
	closeFd := func() {
		if closed {
			return
		}
		closed = true
		syscall.Close(fd)
	}
	defer closeFd()
	_, err = syscall.Write(fd, nil)
	syscall.Close(fd) // want `double release`
	return err
}

// flagSetElsewhere sets the flag without closing the file: the closure
// then does nothing, and the file leaks.
func flagSetElsewhere(name string) error {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	closed := false
	closeF := func() {
		if closed {
			return
		}
		closed = true
		f.Close()
	}
	if _, err := f.Stat(); err != nil {
		closed = true
		return errors.Join(err, os.ErrClosed)
	}
	closeF()
	return nil
}
