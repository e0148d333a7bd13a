// Package fix has leaks that no path releases: each gets a suggested fix
// that defers the release right after the acquisition's error check.
package fix

import (
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

func process(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return err
	}
	_, err = windows.WaitForSingleObject(h, windows.INFINITE)
	return err
}

func token() (bool, error) {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil { // want `token from windows.OpenProcessToken is not closed`
		return false, err
	}
	return tok.IsElevated(), nil
}

func key() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE) // want `regkey from registry.OpenKey is not closed`
	if err != nil {
		return "", err
	}
	s, _, err := k.GetStringValue("ProductName")
	return s, err
}

// Released on one path: a defer would double it, so no fix.
func partial(pid uint32, c bool) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return
	}
	if c {
		windows.CloseHandle(h)
	}
}

// No error check right after: no fix.
func unchecked(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	windows.WaitForSingleObject(h, 0)
	_ = err
}
