// Package win: os.NewFile adopts a Windows handle as it adopts a Unix
// descriptor, and the File closes it with CloseHandle.
package win

import (
	"os"

	"golang.org/x/sys/windows"
)

// closeBoth closes the handle directly and then through the File.
func closeBoth(path string) error {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(h), path)
	defer f.Close()
	if _, err := f.Stat(); err != nil {
		windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle that os.NewFile adopted, which the file from os.NewFile owns and releases itself, and the deferred \(\*os.File\).Close on line 22 releases it again: release only the file`
		return err
	}
	return nil
}

// nilFile closes the handle only where NewFile returned no File: quiet.
func nilFile(h windows.Handle, path string) (*os.File, error) { // want nilFile:"owned file r0; adopts a0"
	f := os.NewFile(uintptr(h), path)
	if f == nil {
		windows.CloseHandle(h)
		return nil, windows.ERROR_INVALID_HANDLE
	}
	return f, nil
}
