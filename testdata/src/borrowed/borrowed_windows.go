// Package borrowed releases handles the caller does not own.
package borrowed

import (
	"os"

	"golang.org/x/sys/windows"
)

func closePseudoProcess() {
	h := windows.CurrentProcess()
	windows.CloseHandle(h) // want `windows.CloseHandle closes a borrowed handle from windows.CurrentProcess`
}

func closePseudoToken() {
	tok := windows.GetCurrentProcessToken()
	tok.Close() // want `\(windows.Token\).Close closes a borrowed handle from windows.GetCurrentProcessToken`
}

func deferredPseudoToken() {
	tok := windows.GetCurrentThreadEffectiveToken()
	defer tok.Close() // want `the deferred \(windows.Token\).Close closes a borrowed handle from windows.GetCurrentThreadEffectiveToken`
	_ = tok.IsElevated()
}

func closeThroughConversion() {
	windows.CloseHandle(windows.Handle(windows.GetCurrentProcessToken())) // want `windows.CloseHandle closes a borrowed handle from windows.GetCurrentProcessToken`
}

func deferredClosure() {
	tok := windows.GetCurrentProcessToken()
	defer func() {
		tok.Close() // want `closes a borrowed handle from windows.GetCurrentProcessToken`
	}()
}

// The descriptor behind an *os.File belongs to the file.
func closeFd(f *os.File) {
	windows.CloseHandle(windows.Handle(f.Fd())) // want `windows.CloseHandle closes a borrowed handle from \(\*os.File\).Fd`
}

// Negatives: using a pseudo-handle is fine.
func usePseudo() (windows.Handle, error) { // want usePseudo:"owned handle r0"
	var dup windows.Handle
	p := windows.CurrentProcess()
	err := windows.DuplicateHandle(p, p, p, &dup, 0, false, windows.DUPLICATE_SAME_ACCESS)
	return dup, err
}

func queryPseudoToken() bool {
	return windows.GetCurrentProcessToken().IsElevated()
}

// Either a borrowed or an owned token, closed only where it is owned.
func either(self bool, pid uint32) {
	var tok windows.Token
	if self {
		tok = windows.GetCurrentProcessToken()
	} else {
		h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
		if err != nil {
			return
		}
		defer windows.CloseHandle(h)
		if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
			return
		}
		defer tok.Close()
	}
	_ = tok.IsElevated()
}

// The same, closed after the merge: on the self path that closes the
// pseudo-token.
func eitherClosedAfter(self bool) {
	var tok windows.Token
	if self {
		tok = windows.GetCurrentProcessToken()
	} else if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return
	}
	defer tok.Close() // want `the deferred \(windows.Token\).Close closes a borrowed handle from windows.GetCurrentProcessToken`
	_ = tok.IsElevated()
}
