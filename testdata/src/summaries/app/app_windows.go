// Package app uses lib's wrappers and helpers.
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/summaries/lib"
)

func wrapperLeak() error {
	tok, err := lib.OpenToken(windows.TOKEN_QUERY) // want `token from lib.OpenToken \(windows.OpenProcessToken\) is not closed on every path: release it with \(windows.Token\).Close or windows.CloseHandle`
	if err != nil {
		return err
	}
	_ = tok.IsElevated()
	return nil
}

func wrapperOfWrapperLeak() bool {
	tok, err := lib.OpenQueryToken() // want `token from lib.OpenQueryToken \(windows.OpenProcessToken\) is not closed`
	return err == nil && tok.IsElevated()
}

func wrapperClosed() error {
	tok, err := lib.OpenQueryToken()
	if err != nil {
		return err
	}
	defer tok.Close()
	return nil
}

func closedWithHelper(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	defer lib.CloseHandle(h)
	windows.WaitForSingleObject(h, 0)
}

func outWrapper() {
	var h windows.Handle
	if err := lib.OpenInto(&h, 4); err != nil {
		return
	}
	lib.CloseHandle(h)
}

func outWrapperLeak() {
	var h windows.Handle
	if lib.OpenInto(&h, 4) != nil { // want `handle from lib.OpenInto \(windows.OpenProcess\) is not closed`
		return
	}
	windows.WaitForSingleObject(h, 0)
}

func borrowedWrapper() {
	lib.SelfToken().Close() // want `\(windows.Token\).Close closes a borrowed handle from lib.SelfToken \(windows.GetCurrentProcessToken\)`
}

func helperOnBorrowed() {
	lib.CloseHandle(windows.CurrentProcess()) // want `lib.CloseHandle closes a borrowed handle from windows.CurrentProcess`
}

func helperTwice(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	lib.CloseHandle(h)
	lib.CloseHandle(h) // want `double release: lib.CloseHandle releases the handle from windows.OpenProcess already released by lib.CloseHandle`
}

func partialHelper(pid uint32, c bool) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return
	}
	lib.MaybeClose(h, c)
}

func methodReleaser(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	defer lib.Handle(h).Close()
}

func kept(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	lib.Keep(h)
}

func recursive() {
	h, err := lib.OpenN(3) // want `handle from lib.OpenN \(windows.CreateEvent\) is not closed`
	if err != nil {
		return
	}
	windows.SetEvent(h)
}
