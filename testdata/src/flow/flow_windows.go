// Package flow follows handles through conversions, phis, out-parameters,
// multiple results, closures and loops.
package flow

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

func conversions(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	u := uintptr(h)
	tok := windows.Token(windows.Handle(u))
	tok.Close()
}

func conversionLeak(pid uint32) uintptr {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return 0
	}
	u := uintptr(h)
	return u + 1 // arithmetic is not the handle
}

func phiRelease(pid uint32, c bool) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	x := windows.InvalidHandle
	if c {
		x = h
	} else {
		x = h
	}
	windows.CloseHandle(x)
}

func conditionalAcquire(c bool) {
	var h windows.Handle
	if c {
		var err error
		h, err = windows.CreateEvent(nil, 1, 0, nil)
		if err != nil {
			return
		}
	}
	if h != 0 {
		windows.CloseHandle(h)
	}
}

func conditionalLeak(c bool) {
	var h windows.Handle
	if c {
		h, _ = windows.CreateEvent(nil, 1, 0, nil) // want `handle from windows.CreateEvent is not closed`
	}
	if c && h == 1 {
		windows.CloseHandle(h)
	}
}

func unsafeOut() error {
	var tok windows.Token
	p := (*windows.Token)(unsafe.Pointer(&tok))
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, p); err != nil {
		return err
	}
	return tok.Close()
}

func newOut() error {
	tok := new(windows.Token)
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, tok); err != nil { // want `token from windows.OpenProcessToken is not closed`
		return err
	}
	_ = tok.IsElevated()
	return nil
}

func closureParam(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	defer func(h windows.Handle) {
		windows.CloseHandle(h)
	}(h)
}

func closureMissesPath(pid uint32, c bool) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	func() { // closes on one path only: treated as handed on, no report
		if c {
			windows.CloseHandle(h)
		}
	}()
}

func closureOnlyUses(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return
	}
	defer func() {
		windows.WaitForSingleObject(h, 0)
	}()
}

func deferInLoop(pids []uint32) {
	for _, pid := range pids {
		h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
		if err != nil {
			continue
		}
		defer windows.CloseHandle(h)
	}
}

func infiniteLoop(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	for {
		windows.WaitForSingleObject(h, windows.INFINITE)
	}
}

func switchRelease(pid uint32, mode int) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return err
	}
	switch mode {
	case 0:
		windows.CloseHandle(h)
	case 1:
		defer windows.CloseHandle(h)
	case 2:
		return nil // leaks
	}
	return nil
}
