// Package parts holds handles that the default rules place in a struct
// field, in one of several outs, or behind conditions on constant
// arguments, against the real golang.org/x/sys/windows.
package parts

import (
	"errors"
	"runtime"
	"syscall"

	"golang.org/x/sys/windows"
)

// CreateProcess hands out two handles in ProcessInformation: the thread
// handle is forgotten.
func threadLeaked(cmd *uint16) error {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, &si, &pi) // want `handle from windows.CreateProcess \(field Thread\) is not closed on every path`
	if err != nil {
		return err
	}
	defer windows.CloseHandle(pi.Process)
	_, err = windows.WaitForSingleObject(pi.Process, windows.INFINITE)
	return err
}

// Both handles closed: nothing to report.
func bothClosed(cmd *uint16) error {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	if err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, &si, &pi); err != nil {
		return err
	}
	windows.CloseHandle(pi.Thread)
	defer windows.CloseHandle(pi.Process)
	_, err := windows.WaitForSingleObject(pi.Process, windows.INFINITE)
	return err
}

// The struct is handed to someone else: their duty now.
func handedOn(cmd *uint16, keep func(*windows.ProcessInformation)) error {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	if err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, &si, &pi); err != nil {
		return err
	}
	keep(&pi)
	return nil
}

// Returned by value: the caller's duty.
func returned(cmd *uint16) (windows.ProcessInformation, error) {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, &si, &pi)
	return pi, err
}

// The thread handle closed twice.
func threadTwice(cmd *uint16) error {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	if err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, &si, &pi); err != nil {
		return err
	}
	defer windows.CloseHandle(pi.Process)
	windows.CloseHandle(pi.Thread)
	return windows.CloseHandle(pi.Thread) // want `double release: windows.CloseHandle releases the handle from windows.CreateProcess \(field Thread\) already released`
}

// CreatePipe: two owned outs; the write end leaks on the error path.
func pipeLeak() (windows.Handle, error) { // want pipeLeak:"owned handle r0"
	var r, w windows.Handle
	if err := windows.CreatePipe(&r, &w, nil, 0); err != nil { // want `handle from windows.CreatePipe \(writehandle\) is not closed on every path`
		return 0, err
	}
	if err := windows.SetHandleInformation(r, windows.HANDLE_FLAG_INHERIT, 0); err != nil {
		windows.CloseHandle(r)
		return 0, err
	}
	if err := windows.SetHandleInformation(w, windows.HANDLE_FLAG_INHERIT, 0); err != nil {
		windows.CloseHandle(r)
		return 0, err // leaks w
	}
	windows.CloseHandle(w)
	return r, nil
}

// DuplicateHandle into this process: the duplicate is ours to close.
func dupLeak(h windows.Handle) error {
	var dup windows.Handle
	self := windows.CurrentProcess()
	err := windows.DuplicateHandle(self, h, self, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS) // want `handle from windows.DuplicateHandle is not closed on every path`
	return err
}

// Into another process: the duplicate lives there, not here.
func dupToChild(h, child windows.Handle) (windows.Handle, error) {
	var dup windows.Handle
	err := windows.DuplicateHandle(windows.CurrentProcess(), h, child, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS)
	return 0, err
}

// DUPLICATE_CLOSE_SOURCE closes the source: closing it again is a double
// release.
func dupCloseSource(pid uint32) (windows.Handle, error) { // want dupCloseSource:"owned handle r0"
	h, err := windows.OpenProcess(windows.PROCESS_DUP_HANDLE, false, pid)
	if err != nil {
		return 0, err
	}
	var dup windows.Handle
	self := windows.CurrentProcess()
	err = windows.DuplicateHandle(self, h, self, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS|windows.DUPLICATE_CLOSE_SOURCE)
	windows.CloseHandle(h) // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess already released by windows.DuplicateHandle`
	return dup, err
}

// With DUPLICATE_CLOSE_SOURCE the source needs no CloseHandle.
func dupMoves(pid uint32) (windows.Handle, error) { // want dupMoves:"owned handle r0"
	h, err := windows.OpenProcess(windows.PROCESS_DUP_HANDLE, false, pid)
	if err != nil {
		return 0, err
	}
	var dup windows.Handle
	self := windows.CurrentProcess()
	err = windows.DuplicateHandle(self, h, self, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS|windows.DUPLICATE_CLOSE_SOURCE)
	return dup, err
}

// Options not known here: the source may be closed; nothing is reported.
func dupOptions(pid, opts uint32) (windows.Handle, error) { // want dupOptions:"owned handle r0"
	h, err := windows.OpenProcess(windows.PROCESS_DUP_HANDLE, false, pid)
	if err != nil {
		return 0, err
	}
	var dup windows.Handle
	self := windows.CurrentProcess()
	err = windows.DuplicateHandle(self, h, self, &dup, 0, false, opts)
	return dup, err
}

// GetModuleHandleEx with UNCHANGED_REFCOUNT borrows the module.
func moduleBorrowed(addr *uint16) error {
	var m windows.Handle
	err := windows.GetModuleHandleEx(windows.GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS|windows.GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, addr, &m)
	if err != nil {
		return err
	}
	return windows.FreeLibrary(m) // want `windows.FreeLibrary closes a borrowed handle from windows.GetModuleHandleEx`
}

// Without flags it adds a reference, released by FreeLibrary.
func moduleOwned(name *uint16) error {
	var m windows.Handle
	if err := windows.GetModuleHandleEx(0, name, &m); err != nil {
		return err
	}
	defer windows.FreeLibrary(m)
	return nil
}

// A new completion port is owned; associating a handle with an existing
// port hands back that port, not a new handle.
func completionPort(f windows.Handle) error {
	port, err := windows.CreateIoCompletionPort(windows.InvalidHandle, 0, 0, 1) // want `handle from windows.CreateIoCompletionPort is not closed on every path`
	if err != nil {
		return err
	}
	_, err = windows.CreateIoCompletionPort(f, port, 1, 0) // the same port: nothing new
	return err
}

// A named event may already exist: CreateEvent then returns a valid handle
// with ERROR_ALREADY_EXISTS, which `if err != nil { return err }` leaks.
func namedEventLeak(name *uint16) (windows.Handle, error) { // want namedEventLeak:"owned handle r0"
	h, err := windows.CreateEvent(nil, 0, 0, name) // want `handle from windows.CreateEvent is not closed on every path \(it is valid with some errors, too\)`
	if err != nil {
		return 0, err
	}
	return h, nil
}

// The same, handled: ERROR_ALREADY_EXISTS is accepted.
func namedEventOK(name *uint16) (windows.Handle, error) { // want namedEventOK:"owned handle r0"
	h, err := windows.CreateEvent(nil, 0, 0, name)
	if err != nil && err != windows.ERROR_ALREADY_EXISTS {
		return 0, err
	}
	return h, nil
}

// Handled with errors.Is, closing the existing one.
func namedEventIs(name *uint16) error {
	h, err := windows.CreateEvent(nil, 0, 0, name)
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) {
		windows.CloseHandle(h)
		return err
	}
	if err != nil {
		return err
	}
	return windows.CloseHandle(h)
}

// An unnamed event cannot already exist: the plain gate is right.
func unnamedEvent() (windows.Handle, error) { // want unnamedEvent:"owned handle r0"
	h, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return 0, err
	}
	return h, nil
}

// On Windows, StartProcess returns the process handle: discarded here.
func startLeak(argv []string) (int, error) {
	pid, _, err := syscall.StartProcess(argv[0], argv, nil) // want `handle from syscall.StartProcess is not closed on every path`
	return pid, err
}

// A branch on a constant is dead code, not a path: os.StartProcess tests
// runtime.GOOS after syscall.StartProcess.
func startAlive(argv []string) (uintptr, error) { // want startAlive:"owned handle r0"
	_, h, err := syscall.StartProcess(argv[0], argv, nil)
	if err != nil {
		return 0, err
	}
	if runtime.GOOS != "windows" {
		return 0, nil
	}
	return h, nil
}
