// Package onerror holds correct code that handlecheck once reported (see
// TestOSFileFalseAlarms): files closed by a closure, deferred after them,
// that closes them when the function's named error result is not nil at
// exit. Such a closure does nothing where the function returns a nil
// error: barrierLeak, runc's real shape, leaks its read end there and
// stays reported.
package onerror

import (
	"errors"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

var errUnexpectedRead = errors.New("unexpected read from synchronization pipe")

// barrierLeak is runc v1.4.1's sdNotifyBarrier (notify_socket.go:180):
// the closure closes both ends on error, and pipeW is closed explicitly,
// but pipeR is never closed where the function returns nil.
func barrierLeak(sock int) (retErr error) {
	pipeR, pipeW, err := os.Pipe() // want `file from os.Pipe is not closed on every path`
	if err != nil {
		return err
	}
	defer func() {
		if retErr != nil {
			pipeW.Close()
			pipeR.Close()
		}
	}()
	rights := unix.UnixRights(int(pipeW.Fd()))
	if err := unix.Sendmsg(sock, []byte("BARRIER=1"), rights, nil, 0); err != nil {
		return err
	}
	if err := pipeW.Close(); err != nil {
		return err
	}
	if err := pipeR.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return nil
	}
	var buf [1]byte
	n, err := pipeR.Read(buf[:])
	if n != 0 || err == nil {
		return errUnexpectedRead
	} else if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	} else if err == io.EOF {
		return nil
	} else {
		return err
	}
}

// barrierFixed closes pipeR where it returns nil: nothing leaks.
func barrierFixed(sock int) (retErr error) {
	pipeR, pipeW, err := os.Pipe()
	if err != nil {
		return err
	}
	defer func() {
		if retErr != nil {
			pipeW.Close()
			pipeR.Close()
		}
	}()
	rights := unix.UnixRights(int(pipeW.Fd()))
	if err := unix.Sendmsg(sock, []byte("BARRIER=1"), rights, nil, 0); err != nil {
		return err
	}
	if err := pipeW.Close(); err != nil {
		return err
	}
	var buf [1]byte
	n, err := pipeR.Read(buf[:])
	if n != 0 || err == nil {
		return errUnexpectedRead
	}
	if err == io.EOF {
		pipeR.Close()
		return nil
	}
	return err
}

// openLog is a constructor: the file is closed on the error paths by the
// closure and returned open on success, so it is a source.
func openLog(path string, size int64) (_ *os.File, retErr error) { // want openLog:"owned file r0"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	defer func() {
		if retErr != nil {
			f.Close()
		}
	}()
	if err := f.Truncate(size); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, &os.PathError{Op: "seek", Path: path, Err: err}
	}
	return f, nil
}
