// Package win checks the os rules as built for windows.
package win

import (
	"os"

	"golang.org/x/sys/windows"
)

// findLeak: on Windows FindProcess opens a process handle (OpenProcess).
func findLeak(pid int) error {
	p, err := os.FindProcess(pid) // want `process from os.FindProcess is not closed on every path`
	if err != nil {
		return err
	}
	return p.Kill()
}

// findWaited: Wait releases it.
func findWaited(pid int) (int, error) {
	p, err := os.FindProcess(pid)
	if err != nil {
		return 0, err
	}
	st, err := p.Wait()
	if err != nil {
		return 0, err
	}
	return st.ExitCode(), nil
}

// withHandle uses the handle the Process lends and releases the Process.
func withHandle(pid int) (uint32, error) {
	p, err := os.FindProcess(pid)
	if err != nil {
		return 0, err
	}
	defer p.Release()
	var code uint32
	var herr error
	err = p.WithHandle(func(h uintptr) {
		herr = windows.GetExitCodeProcess(windows.Handle(h), &code)
	})
	if err != nil {
		return 0, err
	}
	return code, herr
}

// openLeak: os.Open is the same on Windows.
func openLeak(path string) (os.FileInfo, error) {
	f, err := os.Open(path) // want `file from os.Open is not closed on every path`
	if err != nil {
		return nil, err
	}
	return f.Stat()
}

// handleFromFd closes the HANDLE an *os.File lends.
func handleFromFd(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return windows.CloseHandle(windows.Handle(f.Fd())) // want `windows.CloseHandle closes a borrowed handle from \(\*os.File\).Fd`
}
