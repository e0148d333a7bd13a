// Package double releases handles twice.
package double

import "golang.org/x/sys/windows"

func twice(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	windows.CloseHandle(h)
	windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess already released by windows.CloseHandle on line \d+`
}

func deferAndExplicit(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	defer windows.CloseHandle(h)
	windows.WaitForSingleObject(h, 0)
	windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess, and the deferred windows.CloseHandle on line \d+ releases it again`
}

func explicitThenDefer() error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return err
	}
	tok.Close() // want `double release: \(windows.Token\).Close releases the token from windows.OpenProcessToken, and the deferred \(windows.Token\).Close on line \d+ releases it again`
	defer tok.Close()
	return nil
}

func onOnePath(pid uint32, early bool) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	if early {
		windows.CloseHandle(h)
	}
	windows.CloseHandle(h) // want `double release`
}

func closureAndExplicit(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	defer func() {
		windows.CloseHandle(h)
	}()
	windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess, and the deferred windows.CloseHandle on line \d+ releases it again`
}

// Negatives: each iteration closes its own handle; two handles in one
// variable each closed once.
func perIteration(pids []uint32) {
	for _, pid := range pids {
		h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
		if err != nil {
			continue
		}
		windows.CloseHandle(h)
	}
}

func reuseVariable() {
	var tok windows.Token
	if windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok) == nil {
		tok.Close()
	}
	if windows.OpenThreadToken(windows.CurrentThread(), windows.TOKEN_QUERY, true, &tok) == nil {
		tok.Close()
	}
}

func exclusive(pid uint32, early bool) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	if early {
		windows.CloseHandle(h)
		return
	}
	windows.CloseHandle(h)
}

// A deferred closure reads the variable when it runs, at exit: zeroing it
// after the explicit close means the closure closes nothing.
func zeroAfterClose(pid uint32, early bool) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	defer func() {
		if h != 0 {
			windows.CloseHandle(h)
		}
	}()
	if early {
		windows.CloseHandle(h)
		h = 0
	}
	return nil
}

// Without the zeroing, the deferred closure closes it again.
func noZeroAfterClose(pid uint32, early bool) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	defer func() {
		if h != 0 {
			windows.CloseHandle(h)
		}
	}()
	if early {
		windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess, and the deferred windows.CloseHandle on line \d+ releases it again`
	}
	return nil
}

// Two explicit closes under a deferred closure: reported at the second.
func twiceUnderDeferredClosure(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	defer func() {
		if h != 0 {
			windows.CloseHandle(h)
		}
	}()
	windows.CloseHandle(h)
	windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess already released by windows.CloseHandle on line \d+`
	h = 0
}
