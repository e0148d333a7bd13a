// Package keepalivewin uses the handle of an *os.File in a Windows call
// after the file's last use; and, staying quiet, a deferred Close and
// runtime.KeepAlive.
package keepalivewin

import (
	"os"
	"runtime"

	"golang.org/x/sys/windows"
)

func FileType(name string) (uint32, error) {
	f, err := os.Open(name) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	return windows.GetFileType(windows.Handle(f.Fd())) // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by windows.GetFileType: f is not used after it, so its finalizer may close the descriptor first`
}

func Info(name string) (*windows.ByHandleFileInformation, error) {
	f, err := os.Create(name) // want `file from os.Create is not closed on every path`
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &info); err != nil { // want `call runtime.KeepAlive\(f\) after this use of f.Fd\(\) by windows.GetFileInformationByHandle`
		return nil, err
	}
	return &info, nil
}

// ---- Right -------------------------------------------------------------------

func FileTypeDeferred(name string) (uint32, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return windows.GetFileType(windows.Handle(f.Fd()))
}

func FileTypeKeepAlive(name string) (uint32, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	t, err := windows.GetFileType(windows.Handle(f.Fd()))
	runtime.KeepAlive(f)
	return t, err
}

func FileTypeClosed(name string) (uint32, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	t, err := windows.GetFileType(windows.Handle(f.Fd()))
	f.Close()
	return t, err
}
