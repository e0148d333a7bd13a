package impersonation

import (
	"runtime"

	"golang.org/x/sys/windows"
)

// The impersonating procedures that x/sys does not wrap, called through
// LazyProc as a module's own zsyscall_windows.go or a hand-written
// wrapper calls them (rules_win32_overlay.yaml's impersonates and
// reverts).
var (
	procImpersonateNamedPipeClient = modadvapi32.NewProc("ImpersonateNamedPipeClient")
	procImpersonateAnonymousToken  = modadvapi32.NewProc("ImpersonateAnonymousToken")
	moduser32                      = windows.NewLazySystemDLL("user32.dll")
	procDdeImpersonateClient       = moduser32.NewProc("DdeImpersonateClient")
	procImpersonateDdeClientWindow = moduser32.NewProc("ImpersonateDdeClientWindow")
	modrpcrt4                      = windows.NewLazySystemDLL("rpcrt4.dll")
	procRpcImpersonateClient       = modrpcrt4.NewProc("RpcImpersonateClient")
	procRpcRevertToSelf            = modrpcrt4.NewProc("RpcRevertToSelf")
	modole32                       = windows.NewLazySystemDLL("ole32.dll")
	procCoImpersonateClient        = modole32.NewProc("CoImpersonateClient")
	procCoRevertToSelf             = modole32.NewProc("CoRevertToSelf")
	modsecur32                     = windows.NewLazySystemDLL("secur32.dll")
	procImpersonateSecurityContext = modsecur32.NewProc("ImpersonateSecurityContext")
	procRevertSecurityContext      = modsecur32.NewProc("RevertSecurityContext")
	procAdjustTokenPrivileges      = modadvapi32.NewProc("AdjustTokenPrivileges")
)

// A pipe server that impersonates its client on whatever thread the
// goroutine runs on.
func PipeClientNoLock(pipe windows.Handle) error {
	r1, _, e1 := procImpersonateNamedPipeClient.Call(uintptr(pipe)) // want `call runtime.LockOSThread before advapi32.dll!ImpersonateNamedPipeClient`
	if r1 == 0 {
		return e1
	}
	defer procRevertToSelf.Call()
	return work()
}

func AnonymousNoLock() error {
	r1, _, e1 := procImpersonateAnonymousToken.Call(uintptr(windows.CurrentThread())) // want `call runtime.LockOSThread before advapi32.dll!ImpersonateAnonymousToken`
	if r1 == 0 {
		return e1
	}
	defer procRevertToSelf.Call()
	return work()
}

// Quiet: ImpersonateAnonymousToken of another thread does not change the
// calling one.
func AnonymousOtherThread(thread windows.Handle) error {
	r1, _, e1 := procImpersonateAnonymousToken.Call(uintptr(thread))
	if r1 == 0 {
		return e1
	}
	return nil
}

func DdeNoLock(client uintptr) error {
	r1, _, e1 := procDdeImpersonateClient.Call(client) // want `call runtime.LockOSThread before user32.dll!DdeImpersonateClient`
	if r1 == 0 {
		return e1
	}
	defer procRevertToSelf.Call()
	return work()
}

func DdeWindowNoLock(client, server uintptr) error {
	r1, _, e1 := procImpersonateDdeClientWindow.Call(client, server) // want `call runtime.LockOSThread before user32.dll!ImpersonateDdeClientWindow`
	if r1 == 0 {
		return e1
	}
	defer procRevertToSelf.Call()
	return work()
}

// RpcImpersonateClient returns RPC_S_OK (0) on success.
func RpcNoLock(binding uintptr) error {
	if st, _, _ := procRpcImpersonateClient.Call(binding); st != 0 { // want `call runtime.LockOSThread before rpcrt4.dll!RpcImpersonateClient`
		return windows.Errno(st)
	}
	defer procRpcRevertToSelf.Call()
	return work()
}

// Quiet: locked, impersonated, reverted, and unlocked only after a
// revert that succeeded (go-winio's shape, with the RPC procedures).
func RpcLocked(binding uintptr) error {
	runtime.LockOSThread()
	if st, _, _ := procRpcImpersonateClient.Call(binding); st != 0 {
		runtime.UnlockOSThread()
		return windows.Errno(st)
	}
	err := work()
	if st, _, _ := procRpcRevertToSelf.Call(); st != 0 {
		return windows.Errno(st) // the thread stays locked: the runtime ends it
	}
	runtime.UnlockOSThread()
	return err
}

// CoImpersonateClient returns S_OK (0) on success; the unlock returns the
// thread to the scheduler still impersonating.
func ComUnlockImpersonating() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if hr, _, _ := procCoImpersonateClient.Call(); hr != 0 { // want `the impersonation of ole32.dll!CoImpersonateClient is still in effect where the deferred runtime.UnlockOSThread returns the thread to the scheduler`
		return windows.Errno(hr)
	}
	return work()
}

// Quiet: CoRevertToSelf ends it.
func ComReverted() error {
	runtime.LockOSThread()
	if hr, _, _ := procCoImpersonateClient.Call(); hr != 0 {
		runtime.UnlockOSThread()
		return windows.Errno(hr)
	}
	err := work()
	if hr, _, _ := procCoRevertToSelf.Call(); hr != 0 {
		return windows.Errno(hr)
	}
	runtime.UnlockOSThread()
	return err
}

func SspiNoLock(ctx uintptr) error {
	if st, _, _ := procImpersonateSecurityContext.Call(ctx); st != 0 { // want `call runtime.LockOSThread before secur32.dll!ImpersonateSecurityContext`
		return windows.Errno(st)
	}
	defer procRevertSecurityContext.Call(ctx)
	return work()
}

// The native AdjustTokenPrivileges changes the process's pseudo-token,
// which is borrowed.
func AdjustPseudoToken(tp *windows.Tokenprivileges) error {
	tok := windows.GetCurrentProcessToken()
	r1, _, e1 := procAdjustTokenPrivileges.Call(uintptr(tok), 0, 0, 0, 0, 0) // want `advapi32.dll!AdjustTokenPrivileges changes the state of a borrowed`
	if r1 == 0 {
		return e1
	}
	return nil
}
