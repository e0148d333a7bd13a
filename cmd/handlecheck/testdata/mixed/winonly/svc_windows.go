// Package winonly has Windows files only: go list ./... on Linux does not
// even list it.
package winonly

import "golang.org/x/sys/windows"

// Process leaks the process handle when the wait fails.
func Process(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	if _, err := windows.WaitForSingleObject(h, windows.INFINITE); err != nil {
		return err
	}
	return windows.CloseHandle(h)
}
