// Package app uses lib's wrappers: its SSA program has only the members of
// lib (and of x/sys/windows) that it refers to, and its findings are those
// of lib's facts.
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/ssaimports/lib"
)

func leak() {
	h, err := lib.Open() // want `handle from lib.Open \(windows.CreateEvent\) is not closed on every path`
	if err != nil {
		return
	}
	windows.WaitForSingleObject(h, lib.Timeout)
}

func closed() {
	h, err := lib.Open()
	if err != nil {
		return
	}
	defer lib.Close(h)
	windows.WaitForSingleObject(h, lib.Timeout)
}

func double() {
	h, err := lib.Open()
	if err != nil {
		return
	}
	lib.Close(h)
	windows.CloseHandle(h) // want `double release`
}

func method() {
	h, err := lib.OpenH()
	if err != nil {
		return
	}
	h.Wait()
	h.Close()
}

func methodLeak() {
	h, err := lib.OpenH() // want `handle from lib.OpenH \(windows.CreateEvent\) is not closed on every path`
	if err != nil {
		return
	}
	h.Wait()
}

func methodValue() {
	h, err := lib.OpenH()
	if err != nil {
		return
	}
	closeIt := h.Close
	closeIt()
}

func methodValueTwice() {
	h, err := lib.OpenH()
	if err != nil {
		return
	}
	closeIt := h.Close
	closeIt()
	windows.CloseHandle(windows.Handle(h)) // want `double release`
}

func methodValueLeak() {
	h, err := lib.OpenH() // want `handle from lib.OpenH \(windows.CreateEvent\) is not closed on every path`
	if err != nil {
		return
	}
	wait := h.Wait
	wait()
}

func methodExpr() {
	h, err := lib.OpenH()
	if err != nil {
		return
	}
	lib.H.Close(h)
}

func methodExprTwice() {
	h, err := lib.OpenH()
	if err != nil {
		return
	}
	lib.H.Close(h)
	h.Close() // want `double release`
}

func generic() {
	h, err := lib.Open()
	if err != nil {
		return
	}
	lib.CloseAll(h)
}
