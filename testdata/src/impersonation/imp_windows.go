// Package impersonation impersonates on goroutines: without locking the
// thread, unlocking it while impersonating, and unlocking it after a revert
// whose error is ignored; and, staying quiet, the shapes that are right.
package impersonation

import (
	"runtime"
	"testing"

	"golang.org/x/sys/windows"
)

var (
	modadvapi32                 = windows.NewLazySystemDLL("advapi32.dll")
	procImpersonateLoggedOnUser = modadvapi32.NewProc("ImpersonateLoggedOnUser")
	procRevertToSelf            = modadvapi32.NewProc("RevertToSelf")
)

func work() error { return nil }

// ---- Mistakes ----------------------------------------------------------------

// A helper that impersonates itself with no LockOSThread: the goroutine
// may move to another thread while work runs.
func RunAsSelf() error {
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil { // want `call runtime.LockOSThread before windows.ImpersonateSelf: impersonation applies to the OS thread, and this goroutine may move`
		return err
	}
	defer windows.RevertToSelf()
	return work()
}

// An implant's task goroutine: its commands run on whatever thread the
// scheduler picks.
func runTask(tok windows.Token) {
	go func() {
		if err := windows.SetThreadToken(nil, tok); err != nil { // want `call runtime.LockOSThread before windows.SetThreadToken`
			return
		}
		work()
	}()
}

// The deferred unlock runs while the impersonation is in effect when work
// fails: the thread goes back to the scheduler as the user.
func UnlockImpersonating(tok windows.Token) error { // want UnlockImpersonating:`uses a0`
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.SetThreadToken(nil, tok); err != nil { // want `the impersonation of windows.SetThreadToken is still in effect where the deferred runtime.UnlockOSThread returns the thread to the scheduler: revert it first with windows.RevertToSelf`
		return err
	}
	if err := work(); err != nil {
		return err
	}
	if err := windows.RevertToSelf(); err != nil {
		panic(err)
	}
	return nil
}

// Both deferred: the revert's error is ignored, and the unlock then hands
// the thread back even if the revert failed.
func DeferBoth() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
		return err
	}
	defer windows.RevertToSelf() // want `the deferred windows.RevertToSelf ignores its error, and the deferred runtime.UnlockOSThread then returns the thread to the scheduler`
	return work()
}

// An explicit revert whose error is dropped, then an explicit unlock.
func RevertIgnored(tok windows.Token) { // want RevertIgnored:`uses a0`
	runtime.LockOSThread()
	if err := windows.SetThreadToken(nil, tok); err != nil {
		runtime.UnlockOSThread()
		return
	}
	work()
	windows.RevertToSelf() // want `windows.RevertToSelf ignores its error, and runtime.UnlockOSThread then returns the thread to the scheduler`
	runtime.UnlockOSThread()
}

// A native ImpersonateLoggedOnUser, unlocked.
func NativeNoLock(tok windows.Token) error {
	r1, _, e1 := procImpersonateLoggedOnUser.Call(uintptr(tok)) // want `call runtime.LockOSThread before advapi32.dll!ImpersonateLoggedOnUser`
	if r1 == 0 {
		return e1
	}
	defer procRevertToSelf.Call()
	return work()
}

// impersonate hands its impersonation to its callers, which must lock
// first and revert.
func impersonate(tok windows.Token) error { // want impersonate:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	return windows.SetThreadToken(nil, tok)
}

func WrapperNoLock(tok windows.Token) error { // want WrapperNoLock:`uses a0`
	if err := impersonate(tok); err != nil { // want `call runtime.LockOSThread before impersonation.impersonate \(windows.SetThreadToken\)`
		return err
	}
	defer revert()
	return work()
}

// revert reverts and panics if it cannot.
func revert() { // want revert:`thread: reverts golang.org/x/sys/windows.RevertToSelf`
	if err := windows.RevertToSelf(); err != nil {
		panic(err)
	}
}

// ---- Right -------------------------------------------------------------------

// go-winio's privilege helper: lock, impersonate, revert on the way out,
// and leave the thread locked (if the revert fails, the goroutine's thread
// is not reused as long as it stays locked).
func Privileged() error { // want Privileged:`thread: locks`
	runtime.LockOSThread()
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
		return err
	}
	defer windows.RevertToSelf()
	return work()
}

// A goroutine that locks, impersonates, reverts and unlocks; if the revert
// fails it exits locked, and the runtime ends the thread.
func Goroutine(tok windows.Token) {
	go func() {
		runtime.LockOSThread()
		if err := windows.SetThreadToken(nil, tok); err != nil {
			runtime.UnlockOSThread()
			return
		}
		work()
		if err := windows.RevertToSelf(); err != nil {
			return
		}
		runtime.UnlockOSThread()
	}()
}

// go-winio's doWithPrivileges: the helpers impersonate (handing the
// impersonation on with the token) and revert (panicking on failure).
func DoWithPrivileges() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	token, err := newThreadToken()
	if err != nil {
		return err
	}
	defer releaseThreadToken(token)
	return work()
}

func newThreadToken() (windows.Token, error) { // want newThreadToken:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.ImpersonateSelf` newThreadToken:`owned token r0`
	if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
		return 0, err
	}
	var token windows.Token
	if err := windows.OpenThreadToken(windows.CurrentThread(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, false, &token); err != nil {
		if rerr := windows.RevertToSelf(); rerr != nil {
			panic(rerr)
		}
		return 0, err
	}
	return token, nil
}

func releaseThreadToken(h windows.Token) { // want releaseThreadToken:`releases a0` releaseThreadToken:`thread: reverts golang.org/x/sys/windows.RevertToSelf`
	if err := windows.RevertToSelf(); err != nil {
		panic(err)
	}
	h.Close()
}

// A locking helper found through its summary.
func lockThread() { runtime.LockOSThread() } // want lockThread:`thread: locks`

func WithLockingHelper(tok windows.Token) error { // want WithLockingHelper:`thread: locks` WithLockingHelper:`uses a0`
	lockThread()
	if err := impersonate(tok); err != nil {
		return err
	}
	defer revert()
	return work()
}

// A native impersonation, locked, with its BOOL tested: the failure path
// unlocks with nothing in effect.
func NativeLocked(tok windows.Token) error {
	runtime.LockOSThread()
	r1, _, e1 := procImpersonateLoggedOnUser.Call(uintptr(tok))
	if r1 == 0 {
		runtime.UnlockOSThread()
		return e1
	}
	work()
	if r1, _, e1 := procRevertToSelf.Call(); r1 == 0 {
		panic(e1)
	}
	runtime.UnlockOSThread()
	return nil
}

// wireguard's elevate.DoAsService shape: a callback that impersonates,
// passed to a helper that locks the thread before it calls it.
func doLocked(f func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return f()
}

func Callback(tok windows.Token) error {
	return doLocked(func() error {
		if err := windows.SetThreadToken(nil, tok); err != nil {
			return err
		}
		defer revert()
		return work()
	})
}

// A function literal called directly, under its caller's lock.
func LiteralUnderLock() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return func() error {
		if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil {
			return err
		}
		defer revert()
		return work()
	}()
}

// t.Run runs its function on a goroutine of its own: the test's lock does
// not carry over (os/user's TestImpersonateSelf shape).
func SubtestImpersonates(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t.Run("self", func(t *testing.T) {
		if err := windows.ImpersonateSelf(windows.SecurityImpersonation); err != nil { // want `call runtime.LockOSThread before windows.ImpersonateSelf`
			t.Fatal(err)
		}
		defer revert()
	})
}

// SetThreadToken on another thread impersonates nothing here.
func OtherThread(th windows.Handle, tok windows.Token) error { // want OtherThread:`uses a0; uses a1`
	return windows.SetThreadToken(&th, tok)
}
