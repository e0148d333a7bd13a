// Package lib impersonates and locks for its importers: its summaries say
// so (Impersonate needs a locked thread and hands the impersonation on).
package lib

import (
	"runtime"

	"golang.org/x/sys/windows"
)

func Impersonate(tok windows.Token) error { // want Impersonate:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken` Impersonate:`uses a0`
	return windows.SetThreadToken(nil, tok)
}

func Revert() { // want Revert:`thread: reverts golang.org/x/sys/windows.RevertToSelf`
	if err := windows.RevertToSelf(); err != nil {
		panic(err)
	}
}

func Lock() { // want Lock:`thread: locks`
	runtime.LockOSThread()
}
