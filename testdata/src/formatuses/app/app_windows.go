// Package app passes handles to typed.Describe, whose summary says it only
// uses them, and to plain.Describe, which has no summary: a handle passed
// to it is handed on.
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/formatuses/plain"
	"handlecheck.test/formatuses/typed"
)

func typedLeak() string {
	h, err := windows.CreateEvent(nil, 0, 0, nil) // want `handle from windows.CreateEvent is not closed on every path`
	if err != nil {
		return ""
	}
	return typed.Describe(h)
}

func typedClosed() string {
	h, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	return typed.Describe(h)
}

// plainHandedOn is not reported: plain.Describe could keep the handle.
func plainHandedOn() string {
	h, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return ""
	}
	return plain.Describe(uintptr(h))
}
