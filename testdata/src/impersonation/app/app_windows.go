// Package app impersonates through package lib: without a lock (reported
// at the call of lib.Impersonate), and locked by lib.Lock (quiet).
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/impersonation/lib"
)

func Unlocked(tok windows.Token) error { // want Unlocked:`uses a0`
	if err := lib.Impersonate(tok); err != nil { // want `call runtime.LockOSThread before lib.Impersonate \(windows.SetThreadToken\)`
		return err
	}
	defer lib.Revert()
	return nil
}

func Locked(tok windows.Token) error { // want Locked:`thread: locks` Locked:`uses a0`
	lib.Lock()
	if err := lib.Impersonate(tok); err != nil {
		return err
	}
	defer lib.Revert()
	return nil
}
