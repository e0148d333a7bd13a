// Package app uses recvfield.NewOverlapped from another package: its fact
// says the event in field HEvent of its result is the caller's.
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/recvfield"
)

// read closes the event twice.
func read(h windows.Handle, buf []byte) error {
	ov, err := recvfield.NewOverlapped()
	if err != nil {
		return err
	}
	defer windows.CloseHandle(ov.HEvent)
	var n uint32
	err = windows.ReadFile(h, buf, &n, ov)
	windows.CloseHandle(ov.HEvent) // want `double release: windows.CloseHandle releases the handle from recvfield.NewOverlapped \(windows.CreateEvent\) \(field HEvent\), and the deferred windows.CloseHandle on line 17 releases it again`
	return err
}

// readLeak loses the event when the read fails.
func readLeak(h windows.Handle, buf []byte) error {
	ov, err := recvfield.NewOverlapped() // want `handle from recvfield.NewOverlapped \(windows.CreateEvent\) \(field HEvent\) is not closed on every path`
	if err != nil {
		return err
	}
	var n uint32
	if err := windows.ReadFile(h, buf, &n, ov); err != nil {
		return err
	}
	return windows.CloseHandle(ov.HEvent)
}

// readFixed closes it once on every path: quiet.
func readFixed(h windows.Handle, buf []byte) error {
	ov, err := recvfield.NewOverlapped()
	if err != nil {
		return err
	}
	defer windows.CloseHandle(ov.HEvent)
	var n uint32
	return windows.ReadFile(h, buf, &n, ov)
}
