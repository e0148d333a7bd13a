// Package rawproc calls Win32 procedures through raw addresses, as code
// that avoids LazyDLL does: GetProcAddress on a module from LoadLibrary
// (or a DLL's Handle), then syscall.Syscall6 or SyscallN on the address;
// and through a *windows.Proc from FindProc. Each call is the procedure's,
// with its native rules (rules_win32.yaml: CreateEventW, CreateProcessW's
// ProcessInformation fields, CloseHandle).
package rawproc

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32, _        = windows.LoadLibrary("kernel32.dll")
	createEventAddr, _ = windows.GetProcAddress(kernel32, "CreateEventW")
	closeHandleAddr, _ = windows.GetProcAddress(kernel32, "CloseHandle")
)

// An event created through a package-level address leaks when the
// function returns without closing it.
func eventLeak() error {
	r0, _, e1 := syscall.Syscall6(createEventAddr, 4, 0, 1, 0, 0, 0, 0) // want `handle from kernel32.dll!CreateEventW is not closed on every path`
	if r0 == 0 {
		return e1
	}
	return nil
}

func eventClosed() error {
	r0, _, e1 := syscall.SyscallN(createEventAddr, 0, 1, 0, 0)
	if r0 == 0 {
		return e1
	}
	syscall.SyscallN(closeHandleAddr, r0)
	return nil
}

// The addresses looked up in the function itself, from syscall's
// LoadLibrary and GetProcAddress.
func localLookupLeak() error {
	mod, err := syscall.LoadLibrary("kernel32.dll")
	if err != nil {
		return err
	}
	create, err := syscall.GetProcAddress(mod, "CreateEventW")
	if err != nil {
		return err
	}
	r0, _, e1 := syscall.SyscallN(create, 0, 1, 0, 0) // want `handle from kernel32.dll!CreateEventW is not closed on every path`
	if r0 == 0 {
		return e1
	}
	return nil
}

// A DLL's Handle names its module too.
func dllHandleClosedTwice() error {
	dll := windows.MustLoadDLL("kernel32.dll")
	create, err := windows.GetProcAddress(dll.Handle, "CreateEventW")
	if err != nil {
		return err
	}
	r0, _, e1 := syscall.SyscallN(create, 0, 1, 0, 0)
	if r0 == 0 {
		return e1
	}
	windows.CloseHandle(windows.Handle(r0))
	return windows.CloseHandle(windows.Handle(r0)) // want `double release: windows.CloseHandle releases the handle from kernel32.dll!CreateEventW`
}

// An address from a module the rules cannot name is an unknown
// procedure: the handle passed to it is handed on, no report.
func unknownModule(name string, h windows.Handle) error {
	mod, err := windows.LoadLibrary(name)
	if err != nil {
		return err
	}
	addr, err := windows.GetProcAddress(mod, "CloseHandle")
	if err != nil {
		return err
	}
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return err
	}
	syscall.SyscallN(addr, uintptr(ev))
	return nil
}

// (*windows.Proc).Call, from a DLL loaded by name.
func procCallLeak() error {
	proc := windows.MustLoadDLL("kernel32.dll").MustFindProc("CreateEventW")
	r0, _, e1 := proc.Call(0, 1, 0, 0) // want `handle from kernel32.dll!CreateEventW is not closed on every path`
	if r0 == 0 {
		return e1
	}
	return nil
}

// CreateProcessW called natively writes two handles into the fields of
// the ProcessInformation that argument 9 points to: both must be closed.
func createProcessLeak(cmd *uint16) error {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	proc := windows.MustLoadDLL("kernel32.dll").MustFindProc("CreateProcessW")
	r1, _, e1 := proc.Call(0, uintptr(unsafe.Pointer(cmd)), 0, 0, 0, 0, 0, 0, uintptr(unsafe.Pointer(&si)), uintptr(unsafe.Pointer(&pi))) // want `handle from kernel32.dll!CreateProcessW \(field Thread\) is not closed on every path`
	if r1 == 0 {
		return e1
	}
	return windows.CloseHandle(pi.Process)
}

func createProcessClosed(cmd *uint16) error {
	var si windows.StartupInfo
	var pi windows.ProcessInformation
	proc := windows.MustLoadDLL("kernel32.dll").MustFindProc("CreateProcessW")
	r1, _, e1 := proc.Call(0, uintptr(unsafe.Pointer(cmd)), 0, 0, 0, 0, 0, 0, uintptr(unsafe.Pointer(&si)), uintptr(unsafe.Pointer(&pi)))
	if r1 == 0 {
		return e1
	}
	windows.CloseHandle(pi.Thread)
	return windows.CloseHandle(pi.Process)
}
