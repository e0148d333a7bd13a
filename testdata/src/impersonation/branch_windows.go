package impersonation

import (
	"runtime"

	"golang.org/x/sys/windows"
)

// A revert deferred in one branch only: where the branch is not taken,
// the deferred unlock hands the thread back impersonating.
func RevertDeferredInOneBranch(tok windows.Token, cleanup bool) error { // want RevertDeferredInOneBranch:`uses a0`
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.SetThreadToken(nil, tok); err != nil { // want `the impersonation of windows.SetThreadToken is still in effect where the deferred runtime.UnlockOSThread returns the thread to the scheduler`
		return err
	}
	if cleanup {
		defer func() {
			if err := windows.RevertToSelf(); err != nil {
				panic(err)
			}
		}()
	}
	return work()
}

// An unlock deferred in one branch only, while impersonating.
func UnlockDeferredInOneBranch(tok windows.Token, unlock bool) error { // want UnlockDeferredInOneBranch:`uses a0` UnlockDeferredInOneBranch:`thread: impersonates \(error gate\) golang.org/x/sys/windows.SetThreadToken`
	runtime.LockOSThread()
	if unlock {
		defer runtime.UnlockOSThread()
	}
	if err := windows.SetThreadToken(nil, tok); err != nil { // want `the impersonation of windows.SetThreadToken is still in effect where the deferred runtime.UnlockOSThread returns the thread to the scheduler`
		return err
	}
	return work()
}

// ---- Right -------------------------------------------------------------------

// The impersonation and its revert are in the same branch: where it is not
// taken, nothing is in effect.
func ImpersonateAndRevertInOneBranch(tok windows.Token, as bool) error { // want ImpersonateAndRevertInOneBranch:`uses a0`
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if as {
		if err := windows.SetThreadToken(nil, tok); err != nil {
			return err
		}
		defer func() {
			if err := windows.RevertToSelf(); err != nil {
				panic(err)
			}
		}()
	}
	return work()
}

// The revert is deferred in each branch.
func RevertDeferredInEachBranch(tok windows.Token, quiet bool) error { // want RevertDeferredInEachBranch:`uses a0`
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.SetThreadToken(nil, tok); err != nil {
		return err
	}
	if quiet {
		defer mustRevert()
	} else {
		defer func() {
			mustRevert()
		}()
	}
	return work()
}

func mustRevert() { // want mustRevert:`thread: reverts golang.org/x/sys/windows.RevertToSelf`
	if err := windows.RevertToSelf(); err != nil {
		panic(err)
	}
}
