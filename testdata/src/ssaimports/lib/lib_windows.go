// Package lib is imported by package app, whose SSA creates only the
// members of lib that app refers to: the facts of lib's wrappers must
// reach app all the same, through functions, methods, method values,
// method expressions and a generic function.
package lib

import "golang.org/x/sys/windows"

// Open returns an owned event.
func Open() (windows.Handle, error) { // want Open:"owned handle r0"
	return windows.CreateEvent(nil, 0, 0, nil)
}

// Close releases h.
func Close(h windows.Handle) { // want Close:"releases a0 handle"
	windows.CloseHandle(h)
}

// H is a handle type of lib's own.
type H windows.Handle

// OpenH returns an owned H.
func OpenH() (H, error) { // want OpenH:"owned handle r0"
	h, err := windows.CreateEvent(nil, 0, 0, nil)
	return H(h), err
}

// Close releases the handle.
func (h H) Close() error { // want Close:"releases recv handle"
	return windows.CloseHandle(windows.Handle(h))
}

// Wait only uses the handle.
func (h H) Wait() { // want Wait:"uses recv"
	windows.WaitForSingleObject(windows.Handle(h), 0)
}

// CloseAll releases each handle.
func CloseAll[T ~uintptr](hs ...T) {
	for _, h := range hs {
		windows.CloseHandle(windows.Handle(h))
	}
}

// Timeout is a variable that app reads.
var Timeout uint32 = 10

// The members below are not referred to by app: its SSA program does not
// create them.

// Unused is not called by app.
func Unused() (windows.Handle, error) { // want Unused:"owned handle r0"
	return windows.CreateEvent(nil, 0, 0, nil)
}

// UnusedVar is not read by app.
var UnusedVar int

// UnusedConst is not read by app.
const UnusedConst = 3

// (H).Unused is not called by app.
func (h H) Unused() {}
