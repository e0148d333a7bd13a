// Package recvfield has handles that a function takes over from a field
// of its receiver (M1: h := l.handle; l.handle = 0), and handles that a
// helper of the package returns inside a struct it allocated (M2:
// newOverlapped returning &syscall.Overlapped{HEvent: ev}), as
// natefinch/npipe's AcceptPipe, Read and Write do (set H misses #9-#11).
package recvfield

import (
	"errors"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	modkernel32      = syscall.NewLazyDLL("kernel32.dll")
	procCreateEventW = modkernel32.NewProc("CreateEventW")
)

// createEvent is a //sys wrapper of kernel32.dll!CreateEventW, as mksyscall
// writes it.
func createEvent(sa *syscall.SecurityAttributes, manualReset bool, initialState bool, name *uint16) (handle syscall.Handle, err error) { // want createEvent:"owned handle r0"
	var _p0 uint32
	if manualReset {
		_p0 = 1
	}
	var _p1 uint32
	if initialState {
		_p1 = 1
	}
	r0, _, e1 := syscall.Syscall6(procCreateEventW.Addr(), 4, uintptr(unsafe.Pointer(sa)), uintptr(_p0), uintptr(_p1), uintptr(unsafe.Pointer(name)), 0, 0)
	handle = syscall.Handle(r0)
	if handle == syscall.InvalidHandle {
		if e1 != 0 {
			err = error(e1)
		} else {
			err = syscall.EINVAL
		}
	}
	return
}

// newOverlapped returns a new Overlapped holding a new event (npipe's
// newOverlapped): its callers must close ov.HEvent.
func newOverlapped() (*syscall.Overlapped, error) { // want newOverlapped:"owned handle r0 field HEvent"
	var overlapped syscall.Overlapped
	event, err := createEvent(nil, true, true, nil)
	if err != nil {
		return nil, err
	}
	overlapped.HEvent = event
	return &overlapped, nil
}

// NewOverlapped is the same, exported, with a composite literal: its fact
// says so to importing packages.
func NewOverlapped() (*windows.Overlapped, error) { // want NewOverlapped:"owned handle r0 field HEvent"
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return nil, err
	}
	return &windows.Overlapped{HEvent: ev}, nil
}

// closeTwice closes the event twice: a deferred close and an explicit one
// (scratch M2).
func closeTwice(h syscall.Handle) error {
	ov, err := newOverlapped()
	if err != nil {
		return err
	}
	defer syscall.CloseHandle(ov.HEvent)
	var n uint32
	err = syscall.ReadFile(h, nil, &n, ov)
	syscall.CloseHandle(ov.HEvent) // want `double release: syscall.CloseHandle releases the handle from recvfield.newOverlapped \(kernel32.dll!CreateEventW\) \(field HEvent\), and the deferred syscall.CloseHandle on line 73 releases it again`
	return err
}

// closeOnce closes it once, deferred: quiet.
func closeOnce(h syscall.Handle) error {
	ov, err := newOverlapped()
	if err != nil {
		return err
	}
	defer syscall.CloseHandle(ov.HEvent)
	var n uint32
	return syscall.ReadFile(h, nil, &n, ov)
}

var errShort = errors.New("short read")

// dropped loses the event on the error return after the call (scratch M2c).
func dropped(h syscall.Handle) error {
	ov, err := newOverlapped() // want `handle from recvfield.newOverlapped \(kernel32.dll!CreateEventW\) \(field HEvent\) is not closed on every path`
	if err != nil {
		return err
	}
	var n uint32
	if err := syscall.ReadFile(h, nil, &n, ov); err != nil {
		return err
	}
	if n == 0 {
		return errShort
	}
	return syscall.CloseHandle(ov.HEvent)
}

// droppedFixed closes the event on every path: quiet.
func droppedFixed(h syscall.Handle) error {
	ov, err := newOverlapped()
	if err != nil {
		return err
	}
	var n uint32
	err = syscall.ReadFile(h, nil, &n, ov)
	syscall.CloseHandle(ov.HEvent)
	if err == nil && n == 0 {
		return errShort
	}
	return err
}

// pending keeps Overlapped structs, and the events in them.
var pending []*syscall.Overlapped

// kept stores the Overlapped in a global: handed on, quiet.
func kept() error {
	ov, err := newOverlapped()
	if err != nil {
		return err
	}
	pending = append(pending, ov)
	return errShort
}

// returnedOv returns it: the caller's, quiet.
func returnedOv() (*syscall.Overlapped, error) { // want returnedOv:"owned handle r0 field HEvent"
	ov, err := newOverlapped()
	if err != nil {
		return nil, err
	}
	return ov, nil
}

// dropReturned loses the one returnedOv passes on: returnedOv is a source
// of the field too.
func dropReturned() error {
	ov, err := returnedOv() // want `handle from recvfield.returnedOv \(kernel32.dll!CreateEventW\) \(field HEvent\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = ov.Offset
	return nil
}

// eventOnly returns the event taken out of the Overlapped: a source of
// the handle itself.
func eventOnly() (syscall.Handle, error) { // want eventOnly:"owned handle r0"
	ov, err := newOverlapped()
	if err != nil {
		return 0, err
	}
	return ov.HEvent, nil
}

// goWait hands the Overlapped to a goroutine: quiet.
func goWait(h syscall.Handle, done chan error) error {
	ov, err := newOverlapped()
	if err != nil {
		return err
	}
	go func() {
		_, err := syscall.WaitForSingleObject(ov.HEvent, syscall.INFINITE)
		syscall.CloseHandle(ov.HEvent)
		done <- err
	}()
	return nil
}

// sharedEvent is not new on every path: no source of the field.
var sharedEvent syscall.Handle

// maybeShared returns an Overlapped holding the shared event on one path,
// a new event on the other: no source (the caller cannot tell which).
func maybeShared(shared bool) (*syscall.Overlapped, error) {
	if shared {
		return &syscall.Overlapped{HEvent: sharedEvent}, nil
	}
	ev, err := createEvent(nil, true, true, nil)
	if err != nil {
		return nil, err
	}
	return &syscall.Overlapped{HEvent: ev}, nil
}

// useMaybeShared loses what maybeShared returns: quiet.
func useMaybeShared() error {
	ov, err := maybeShared(true)
	if err != nil {
		return err
	}
	_ = ov.Offset
	return nil
}

// keptEvent returns an Overlapped whose event it also keeps in a global:
// the global took it, no source.
func keptEvent() (*syscall.Overlapped, error) {
	ev, err := createEvent(nil, true, true, nil)
	if err != nil {
		return nil, err
	}
	sharedEvent = ev
	return &syscall.Overlapped{HEvent: ev}, nil
}

// useKeptEvent loses it: quiet.
func useKeptEvent() error {
	ov, err := keptEvent()
	if err != nil {
		return err
	}
	_ = ov.Offset
	return nil
}
