package useafter

import "golang.org/x/sys/windows"

// Deferred uses and uses inside function literals: a deferred call acts on
// the handle when the function returns, after every explicit release and
// after the deferred releases registered after it; a literal acts on it
// when it is called.

func DeferredAfterClose(pid uint32) error { // want DeferredAfterClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	windows.CloseHandle(h)
	defer windows.WaitForSingleObject(h, 0) // want `use after release: the deferred windows.WaitForSingleObject uses the handle from windows.OpenProcess after windows.CloseHandle released it on line 15`
	return nil
}

func DeferredThenClose(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer windows.FlushFileBuffers(h) // want `use after release: the deferred windows.FlushFileBuffers uses the handle from windows.CreateFile after windows.CloseHandle released it on line 28`
	var n uint32
	err = windows.WriteFile(h, []byte("x"), &n, nil)
	windows.CloseHandle(h)
	return err
}

// Deferred calls run last first: the release deferred after the flush runs
// before it.
func DeferredOrder(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer windows.FlushFileBuffers(h) // want `use after release: the deferred windows.FlushFileBuffers uses the handle from windows.CreateFile after the deferred windows.CloseHandle released it on line 40 \(deferred calls run last first\)`
	defer windows.CloseHandle(h)
	var n uint32
	return windows.WriteFile(h, []byte("x"), &n, nil)
}

func LiteralAfterClose(pid uint32) error { // want LiteralAfterClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	wait := func() error {
		_, err := windows.WaitForSingleObject(h, 0) // want `use after release: windows.WaitForSingleObject uses the handle from windows.OpenProcess after windows.CloseHandle released it on line 54`
		return err
	}
	windows.CloseHandle(h)
	return wait()
}

func DeferredLiteralThenClose(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer func() {
		windows.FlushFileBuffers(h) // want `use after release: the deferred windows.FlushFileBuffers uses the handle from windows.CreateFile after windows.CloseHandle released it on line 68`
	}()
	var n uint32
	err = windows.WriteFile(h, []byte("x"), &n, nil)
	windows.CloseHandle(h)
	return err
}

// ---- Right -------------------------------------------------------------------

// The flush deferred after the release runs before it.
func DeferredFlushFirst(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	defer windows.FlushFileBuffers(h)
	var n uint32
	return windows.WriteFile(h, []byte("x"), &n, nil)
}

// A deferred literal that uses the handle and then releases it.
func DeferredLiteralUsesThenCloses(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer func() {
		windows.FlushFileBuffers(h)
		windows.CloseHandle(h)
	}()
	var n uint32
	return windows.WriteFile(h, []byte("x"), &n, nil)
}

// The deferred literal reads the variable at exit, which no longer holds
// the closed handle.
func DeferredLiteralReplaced(name *uint16) error {
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	defer func() {
		if h != windows.InvalidHandle {
			windows.FlushFileBuffers(h)
			windows.CloseHandle(h)
		}
	}()
	var n uint32
	if err := windows.WriteFile(h, []byte("x"), &n, nil); err != nil {
		return err
	}
	windows.CloseHandle(h)
	h = windows.InvalidHandle
	return nil
}

// A literal called before the release.
func LiteralBeforeClose(pid uint32) error { // want LiteralBeforeClose:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	wait := func() error {
		_, err := windows.WaitForSingleObject(h, 0)
		return err
	}
	err = wait()
	windows.CloseHandle(h)
	return err
}
