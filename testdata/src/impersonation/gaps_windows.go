package impersonation

import (
	"runtime"

	"golang.org/x/sys/windows"
)

// The reverts are checked, but the path on which the second one fails
// returns, and the deferred unlock hands the impersonating thread back to
// the scheduler.
func CheckedRevertUnlocks() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
		return err
	}
	if err := work(); err != nil {
		windows.RevertToSelf() // want `windows.RevertToSelf ignores its error, and the deferred runtime.UnlockOSThread then returns the thread to the scheduler`
		return err
	}
	if err := windows.RevertToSelf(); err != nil { // want `where windows.RevertToSelf fails, the deferred runtime.UnlockOSThread returns the thread to the scheduler with the impersonated identity, and other goroutines run with it; leave the thread locked when the revert fails \(panic, or return without unlocking, so that the runtime ends the thread\)`
		return err
	}
	return nil
}

// A goroutine started through a function variable has no caller to lock
// for it.
func GoVariable(tok windows.Token) {
	f := func() {
		if err := windows.SetThreadToken(nil, tok); err != nil { // want `call runtime.LockOSThread before windows.SetThreadToken`
			return
		}
		work()
	}
	go f()
}

// ---- Right -------------------------------------------------------------------

// The thread is unlocked only once the revert succeeded; where it fails
// the function returns locked, and the runtime ends the thread.
func CheckedRevertStaysLocked() error {
	runtime.LockOSThread()
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
		runtime.UnlockOSThread()
		return err
	}
	werr := work()
	if err := windows.RevertToSelf(); err != nil {
		return err
	}
	runtime.UnlockOSThread()
	return werr
}

// The revert's failure panics, which ends the program unless recovered:
// the shape of go-winio's helpers.
func CheckedRevertPanics() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
		return err
	}
	werr := work()
	if err := windows.RevertToSelf(); err != nil {
		panic(err)
	}
	return werr
}
