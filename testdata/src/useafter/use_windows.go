// Package useafter uses Windows handles after their release: waiting on a
// closed process handle, querying a closed token, handing a closed handle
// to a helper that acts on it; and, staying quiet, a use before the
// release, a handle released on one branch and replaced, a deferred
// release, and a closed handle only printed.
package useafter

import (
	"fmt"

	"golang.org/x/sys/windows"
)

func WaitAfterClose(pid uint32) error { // want WaitAfterClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	windows.CloseHandle(h)
	_, err = windows.WaitForSingleObject(h, windows.INFINITE) // want `use after release: windows.WaitForSingleObject uses the handle from windows.OpenProcess after windows.CloseHandle released it on line 19: the number may name another object by now; release it after its last use`
	return err
}

func QueryAfterClose() (*windows.Tokenuser, error) {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return nil, err
	}
	tok.Close()
	return tok.GetTokenUser() // want `use after release: \(windows.Token\).GetTokenUser uses the token from windows.OpenProcessToken after \(windows.Token\).Close released it on line 29`
}

// Released on one path only: the use after the join is still a use after
// release on that path.
func SomePaths(pid uint32, fail bool) (windows.Handle, error) { // want SomePaths:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is returned together with an error that may be non-nil`
	if err != nil {
		return 0, err
	}
	if fail {
		windows.CloseHandle(h)
	}
	_, err = windows.WaitForSingleObject(h, 0) // want `use after release: windows.WaitForSingleObject uses the handle from windows.OpenProcess after windows.CloseHandle released it on line 41`
	return h, err                              // want `use after release: the function returns the handle from windows.OpenProcess, which windows.CloseHandle on line 41 releases before the caller gets it`
}

// wait only uses its parameter (its summary says so).
func wait(h windows.Handle) error {
	_, err := windows.WaitForSingleObject(h, 0)
	return err
}

func HelperAfterClose(pid uint32) error { // want HelperAfterClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	windows.CloseHandle(h)
	return wait(h) // want `use after release: useafter.wait uses the handle from windows.OpenProcess`
}

// ---- Right -------------------------------------------------------------------

func UseThenClose(pid uint32) error { // want UseThenClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	_, err = windows.WaitForSingleObject(h, 0)
	windows.CloseHandle(h)
	return err
}

func DeferredClose(pid uint32) error { // want DeferredClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	_, err = windows.WaitForSingleObject(h, 0)
	return err
}

// Released and replaced on one branch: the use sees the new handle.
func Replaced(pid uint32, again bool) error { // want Replaced:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	if again {
		windows.CloseHandle(h)
		if h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid); err != nil {
			return err
		}
	}
	defer windows.CloseHandle(h)
	_, err = windows.WaitForSingleObject(h, 0)
	return err
}

// A closed handle printed: fmt does not act on it.
func Logged(pid uint32) error { // want Logged:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	if err := windows.CloseHandle(h); err != nil {
		return fmt.Errorf("closing %v: %w", h, err)
	}
	fmt.Println("closed", h)
	return nil
}
