// Package borrowedchange changes the state of borrowed tokens: adjusting
// a pseudo-token's privileges, setting information on a token someone
// else owns; and, staying quiet, the copy made with DuplicateTokenEx, an
// owned token, and a process's own standard handle.
package borrowedchange

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	modadvapi32               = windows.NewLazySystemDLL("advapi32.dll")
	procAdjustTokenPrivileges = modadvapi32.NewProc("AdjustTokenPrivileges")
)

func privs() *windows.Tokenprivileges { return &windows.Tokenprivileges{PrivilegeCount: 1} }

// ---- Mistakes ----------------------------------------------------------------

func AdjustPseudo() error {
	tok := windows.GetCurrentProcessToken()
	return windows.AdjustTokenPrivileges(tok, false, privs(), 0, nil, nil) // want `windows.AdjustTokenPrivileges changes the state of a borrowed token from windows.GetCurrentProcessToken, whose owner still uses it: duplicate it with windows.DuplicateTokenEx and change the copy`
}

func SetInfoEffective(v uint32) error { // want SetInfoEffective:`uses a0`
	return windows.SetTokenInformation(windows.GetCurrentThreadEffectiveToken(), windows.TokenSessionId, (*byte)(unsafe.Pointer(&v)), 4) // want `windows.SetTokenInformation changes the state of a borrowed token from windows.GetCurrentThreadEffectiveToken`
}

// A borrowed token through a wrapper's summary, its security changed.
func pseudo() windows.Token { return windows.GetCurrentProcessToken() } // want pseudo:`borrowed token r0`

func SecurityOfPseudo(sd *windows.SECURITY_DESCRIPTOR) error {
	return windows.SetKernelObjectSecurity(windows.Handle(pseudo()), windows.DACL_SECURITY_INFORMATION, sd) // want `windows.SetKernelObjectSecurity changes the state of a borrowed token from borrowedchange.pseudo \(windows.GetCurrentProcessToken\)`
}

// The native procedure, through LazyProc.Call.
func NativeAdjust() error {
	tok := windows.GetCurrentProcessToken()
	r1, _, e1 := procAdjustTokenPrivileges.Call(uintptr(tok), 0, uintptr(unsafe.Pointer(privs())), 0, 0, 0) // want `advapi32.dll!AdjustTokenPrivileges changes the state of a borrowed token from windows.GetCurrentProcessToken`
	if r1 == 0 {
		return e1
	}
	return nil
}

// A helper that adjusts the token it is given: its summary says it
// changes its parameter, and a borrowed token passed to it is reported at
// the call.
func enablePrivilege(tok windows.Token) error { // want enablePrivilege:`changes a0`
	return windows.AdjustTokenPrivileges(tok, false, privs(), 0, nil, nil)
}

func ViaHelper() error {
	return enablePrivilege(windows.GetCurrentProcessToken()) // want `borrowedchange.enablePrivilege \(windows.AdjustTokenPrivileges\) changes the state of a borrowed token from windows.GetCurrentProcessToken`
}

// ---- Right -------------------------------------------------------------------

// The borrowed token duplicated, and the copy adjusted.
func AdjustCopy() error {
	var dup windows.Token
	if err := windows.DuplicateTokenEx(windows.GetCurrentProcessToken(), windows.MAXIMUM_ALLOWED, nil, windows.SecurityImpersonation, windows.TokenImpersonation, &dup); err != nil {
		return err
	}
	defer dup.Close()
	if err := enablePrivilege(dup); err != nil {
		return err
	}
	return windows.AdjustTokenPrivileges(dup, false, privs(), 0, nil, nil)
}

// An owned token: the caller's to change.
func AdjustOwned() error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES, &tok); err != nil {
		return err
	}
	defer tok.Close()
	return windows.AdjustTokenPrivileges(tok, false, privs(), 0, nil, nil)
}

// A process's own standard handle and process pseudo-handle: changing
// their inheritance or security is the process's own business.
func OwnHandles(sd *windows.SECURITY_DESCRIPTOR) error {
	if err := windows.SetHandleInformation(windows.Handle(os.Stdout.Fd()), windows.HANDLE_FLAG_INHERIT, 0); err != nil {
		return err
	}
	h, err := windows.GetStdHandle(windows.STD_ERROR_HANDLE)
	if err != nil {
		return err
	}
	if err := windows.SetHandleInformation(h, windows.HANDLE_FLAG_INHERIT, 0); err != nil {
		return err
	}
	return windows.SetKernelObjectSecurity(windows.CurrentProcess(), windows.DACL_SECURITY_INFORMATION, sd)
}

// Reading a borrowed token changes nothing.
func QueryPseudo() (*windows.Tokenuser, error) {
	return windows.GetCurrentProcessToken().GetTokenUser()
}
