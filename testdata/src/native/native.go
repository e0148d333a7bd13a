// Package native calls Win32 procedures that x/sys does not wrap, through
// LazyProc.Call and syscall.SyscallN, as generated zsyscall files and
// hand-written bindings do.
package native

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	modadvapi32 = windows.NewLazySystemDLL("advapi32.dll")
	modkernel32 = windows.NewLazySystemDLL("kernel32.dll")

	procLogonUserW     = modadvapi32.NewProc("LogonUserW")
	procCloseHandle    = modkernel32.NewProc("CloseHandle")
	procGetTokenInfo   = modadvapi32.NewProc("GetTokenInformation")
	procUnknownRelease = modkernel32.NewProc("SomethingThatMayClose")
)

// The token LogonUserW writes is never closed.
func logonLeak(user, pass *uint16) error {
	var tok windows.Token
	r1, _, e1 := procLogonUserW.Call(uintptr(unsafe.Pointer(user)), 0, uintptr(unsafe.Pointer(pass)), 2, 0, uintptr(unsafe.Pointer(&tok))) // want `token from advapi32.dll!LogonUserW is not closed on every path`
	if r1 == 0 {
		return e1
	}
	return nil
}

// Closed on the success path: the failure path (r1 == 0) has no token.
func logonClosed(user, pass *uint16) error {
	var tok windows.Token
	r1, _, e1 := procLogonUserW.Call(uintptr(unsafe.Pointer(user)), 0, uintptr(unsafe.Pointer(pass)), 2, 0, uintptr(unsafe.Pointer(&tok)))
	if r1 == 0 {
		return e1
	}
	defer tok.Close()
	return nil
}

// Through SyscallN and the procedure's address, closed by a native
// CloseHandle; then closed again.
func logonSyscallN(user, pass *uint16) error {
	var tok windows.Token
	r1, _, e1 := syscall.SyscallN(procLogonUserW.Addr(), uintptr(unsafe.Pointer(user)), 0, uintptr(unsafe.Pointer(pass)), 2, 0, uintptr(unsafe.Pointer(&tok)))
	if r1 == 0 {
		return e1
	}
	procCloseHandle.Call(uintptr(tok))
	return tok.Close() // want `double release: \(windows.Token\).Close releases the token from advapi32.dll!LogonUserW already released by kernel32.dll!CloseHandle`
}

// A token passed to a procedure no rule names is handed on.
func unknownProc(user, pass *uint16) error {
	var tok windows.Token
	r1, _, e1 := procLogonUserW.Call(uintptr(unsafe.Pointer(user)), 0, uintptr(unsafe.Pointer(pass)), 2, 0, uintptr(unsafe.Pointer(&tok)))
	if r1 == 0 {
		return e1
	}
	procUnknownRelease.Call(uintptr(tok))
	return nil
}

// logonUser is what mkwinsyscall generates for
// //sys logonUser(...) (err error) [failretval==0] = advapi32.LogonUserW
func logonUser(user *uint16, domain *uint16, pass *uint16, logonType uint32, provider uint32, token *windows.Token) (err error) { // want logonUser:"owned token out5"
	r1, _, e1 := syscall.SyscallN(procLogonUserW.Addr(), uintptr(unsafe.Pointer(user)), uintptr(unsafe.Pointer(domain)), uintptr(unsafe.Pointer(pass)), uintptr(logonType), uintptr(provider), uintptr(unsafe.Pointer(token)))
	if r1 == 0 {
		err = e1
	}
	return
}

// The generated wrapper is an owned source for its callers.
func wrapperLeak(user, pass *uint16) error {
	var tok windows.Token
	if err := logonUser(user, nil, pass, 2, 0, &tok); err != nil { // want `token from native.logonUser \(advapi32.dll!LogonUserW\) is not closed on every path`
		return err
	}
	_, err := tok.GetTokenUser()
	return err
}

func wrapperClosed(user, pass *uint16) error {
	var tok windows.Token
	if err := logonUser(user, nil, pass, 2, 0, &tok); err != nil {
		return err
	}
	defer tok.Close()
	var n uint32
	procGetTokenInfo.Call(uintptr(tok), 1, 0, 0, uintptr(unsafe.Pointer(&n)))
	return nil
}
