package useafter

import "golang.org/x/sys/windows"

// A deferred function literal reads its captured variable when it runs, at
// exit: what the variable holds then, not what it held at the defer.

// The variable is given a new handle after the first is closed: the
// literal flushes and closes the new one.
func DeferredLiteralReopened(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer func() {
		windows.FlushFileBuffers(h)
		windows.CloseHandle(h)
	}()
	var n uint32
	if err := windows.WriteFile(h, []byte("x"), &n, nil); err != nil {
		return err
	}
	windows.CloseHandle(h)
	h, err = windows.CreateFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	return windows.ReadFile(h, make([]byte, 1), &n, nil)
}

// The variable gets a new handle on one path only: on the other, the
// literal flushes and closes the closed one. The double release is
// reported (at the explicit close, naming the deferred one), which covers
// the flush before it.
func DeferredLiteralReopenedOnOnePath(name *uint16, again bool) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer func() {
		windows.FlushFileBuffers(h)
		windows.CloseHandle(h)
	}()
	var n uint32
	werr := windows.WriteFile(h, []byte("x"), &n, nil)
	windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.CreateFile, and the deferred windows.CloseHandle on line 42 releases it again`
	if werr != nil {
		return werr
	}
	if again {
		h, err = windows.CreateFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			return err
		}
	}
	return nil
}
