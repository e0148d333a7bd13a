package recvfield

import (
	"errors"

	"golang.org/x/sys/windows"
)

// A PipeListener keeps the pipe instance the next Accept uses (npipe's
// PipeListener).
type PipeListener struct {
	name   *uint16
	handle windows.Handle
	id     uint32
	closed bool
	keep   func(windows.Handle)
}

// A PipeConn is one connected instance.
type PipeConn struct {
	handle windows.Handle
}

// createPipe makes a pipe instance.
func createPipe(name *uint16, first bool) (windows.Handle, error) { // want createPipe:"owned handle r0"
	mode := uint32(windows.PIPE_ACCESS_DUPLEX | windows.FILE_FLAG_OVERLAPPED)
	if first {
		mode |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	return windows.CreateNamedPipe(name, mode, windows.PIPE_TYPE_BYTE, windows.PIPE_UNLIMITED_INSTANCES, 512, 512, 0, nil)
}

// Listen keeps the first instance in the listener; Close and closeInPlace
// release it, so PipeListener is an owner type.
func Listen(name *uint16) (*PipeListener, error) { // want Listen:"owned handlecheck.test/recvfield.PipeListener r0 closed by Close"
	handle, err := createPipe(name, true)
	if err != nil {
		return nil, err
	}
	return &PipeListener{name: name, handle: handle}, nil
}

var errClosed = errors.New("closed")

// AcceptPipe takes the first instance out of l.handle, or makes a new
// one, and loses it on every error return (npipe's AcceptPipe, set H #9
// and finding #2).
func (l *PipeListener) AcceptPipe() (*PipeConn, error) {
	if l == nil || l.closed {
		return nil, windows.ERROR_INVALID_HANDLE
	}
	handle := l.handle // want `handle from recvfield.createPipe \(windows.CreateNamedPipe\) \(taken from l.handle\) is not closed on every path`
	if handle == 0 {
		var err error
		handle, err = createPipe(l.name, false) // want `handle from recvfield.createPipe \(windows.CreateNamedPipe\) is not closed on every path`
		if err != nil {
			return nil, err
		}
	} else {
		l.handle = 0
	}
	overlapped, err := NewOverlapped()
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(overlapped.HEvent)
	if err := windows.ConnectNamedPipe(handle, overlapped); err != nil && err != windows.ERROR_PIPE_CONNECTED {
		if err != windows.ERROR_IO_PENDING {
			return nil, err
		}
		var n uint32
		if err := windows.GetOverlappedResult(handle, overlapped, &n, true); err != nil {
			if err == windows.ERROR_OPERATION_ABORTED {
				return nil, errClosed
			}
			return nil, err
		}
	}
	return &PipeConn{handle: handle}, nil
}

// AcceptPipeFixed closes the instance on every error return: quiet.
func (l *PipeListener) AcceptPipeFixed() (*PipeConn, error) {
	handle := l.handle
	if handle == 0 {
		var err error
		handle, err = createPipe(l.name, false)
		if err != nil {
			return nil, err
		}
	} else {
		l.handle = 0
	}
	overlapped, err := NewOverlapped()
	if err != nil {
		windows.CloseHandle(handle)
		return nil, err
	}
	defer windows.CloseHandle(overlapped.HEvent)
	if err := windows.ConnectNamedPipe(handle, overlapped); err != nil && err != windows.ERROR_PIPE_CONNECTED {
		windows.CloseHandle(handle)
		return nil, err
	}
	return &PipeConn{handle: handle}, nil
}

// flush reads l.handle without clearing it: a borrow, quiet.
func (l *PipeListener) flush() error {
	h := l.handle
	if err := windows.FlushFileBuffers(h); err != nil {
		return err
	}
	return windows.DisconnectNamedPipe(h)
}

// acceptPutBack clears the field and stores the handle back on the error
// return: quiet.
func (l *PipeListener) acceptPutBack() (*PipeConn, error) {
	h := l.handle
	l.handle = 0
	if err := windows.ConnectNamedPipe(h, nil); err != nil && err != windows.ERROR_PIPE_CONNECTED {
		l.handle = h
		return nil, err
	}
	return &PipeConn{handle: h}, nil
}

// detach returns the handle it takes: the caller's, quiet here; detach is
// a source of it.
func (l *PipeListener) detach() windows.Handle { // want detach:"owned handle r0"
	h := l.handle
	l.handle = 0
	return h
}

// dropDetached loses what detach returns.
func (l *PipeListener) dropDetached() error {
	h := l.detach() // want `handle from \(\*recvfield.PipeListener\).detach \(windows.CreateNamedPipe\) is not closed on every path`
	if h == 0 {
		return errClosed
	}
	return windows.FlushFileBuffers(h)
}

// Close takes the handle and closes it: quiet.
func (l *PipeListener) Close() error { // want Close:"closes handlecheck.test/recvfield.PipeListener"
	h := l.handle
	l.handle = windows.InvalidHandle
	l.closed = true
	if h == 0 || h == windows.InvalidHandle {
		return nil
	}
	return windows.CloseHandle(h)
}

// closeInPlace closes the field before clearing it: the load is used
// before the store, a borrow, quiet.
func (l *PipeListener) closeInPlace() error { // want closeInPlace:"closes handlecheck.test/recvfield.PipeListener"
	err := windows.CloseHandle(l.handle)
	l.handle = 0
	return err
}

// handOn passes the handle it took to a function value: quiet.
func (l *PipeListener) handOn() {
	h := l.handle
	l.handle = 0
	l.keep(h)
}

// replace puts a new instance in the field and loses the old one when
// the disconnect fails.
func (l *PipeListener) replace() error { // want replace:"owned handle recv field handle \\(also with an error\\)"
	nh, err := createPipe(l.name, false)
	if err != nil {
		return err
	}
	old := l.handle // want `handle from recvfield.createPipe \(windows.CreateNamedPipe\) \(taken from l.handle\) is not closed on every path`
	l.handle = nh
	if err := windows.DisconnectNamedPipe(old); err != nil {
		return err
	}
	return windows.CloseHandle(old)
}

// replaceFixed closes the old one on both paths: quiet.
func (l *PipeListener) replaceFixed() error { // want replaceFixed:"owned handle recv field handle \\(also with an error\\)"
	nh, err := createPipe(l.name, false)
	if err != nil {
		return err
	}
	old := l.handle
	l.handle = nh
	err = windows.DisconnectNamedPipe(old)
	windows.CloseHandle(old)
	return err
}

// nextID clears an id field, which no handle is stored in: quiet.
func (l *PipeListener) nextID() error {
	id := l.id
	l.id = 0
	if id == 0 {
		return errClosed
	}
	return nil
}
