// Package lib wraps handle APIs, as real code does: its summaries travel to
// importing packages as facts.
package lib

import "golang.org/x/sys/windows"

// OpenToken returns an owned token.
func OpenToken(access uint32) (windows.Token, error) { // want OpenToken:"owned token r0"
	var tok windows.Token
	err := windows.OpenProcessToken(windows.CurrentProcess(), access, &tok)
	return tok, err
}

// OpenQueryToken wraps a wrapper.
func OpenQueryToken() (windows.Token, error) { // want OpenQueryToken:"owned token r0"
	return OpenToken(windows.TOKEN_QUERY)
}

// OpenInto writes an owned process handle through p.
func OpenInto(p *windows.Handle, pid uint32) error { // want OpenInto:"owned handle out0"
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	*p = h
	return nil
}

// SelfToken returns a borrowed pseudo-token.
func SelfToken() windows.Token { // want SelfToken:"borrowed token r0"
	return windows.GetCurrentProcessToken()
}

// CloseHandle closes h when it is valid.
func CloseHandle(h windows.Handle) { // want CloseHandle:"releases a0 handle"
	if h != 0 && h != windows.InvalidHandle {
		windows.CloseHandle(h)
	}
}

// MaybeClose closes h on one path only: it does not take the duty away.
func MaybeClose(h windows.Handle, really bool) { // want MaybeClose:"uses a0"
	if really {
		windows.CloseHandle(h)
	}
}

// Handle is an in-house handle type with its own Close.
type Handle windows.Handle

// Close releases the handle.
func (h Handle) Close() error { // want Close:"releases recv handle"
	return windows.CloseHandle(windows.Handle(h))
}

// Keep stores the handle: ownership moves to the package.
var kept []windows.Handle

func Keep(h windows.Handle) { kept = append(kept, h) }

// openEven and openOdd are mutually recursive; the analysis must end.
func openEven(n int) (windows.Handle, error) { // want openEven:"owned handle r0"
	if n == 0 {
		return windows.CreateEvent(nil, 0, 0, nil)
	}
	return openOdd(n - 1)
}

func openOdd(n int) (windows.Handle, error) { // want openOdd:"owned handle r0"
	return openEven(n - 1)
}

// OpenN reaches a source through the recursion.
func OpenN(n int) (windows.Handle, error) { // want OpenN:"owned handle r0"
	return openEven(n)
}
