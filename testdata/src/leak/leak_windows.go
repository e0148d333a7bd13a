// Package leak holds owned handles that some path neither releases nor hands
// on, against the real golang.org/x/sys/windows and syscall.
package leak

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// The token is never closed.
func tokenNeverClosed() error {
	var tok windows.Token
	err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok) // want `token from windows.OpenProcessToken is not closed on every path: release it with`
	if err != nil {
		return err
	}
	_, err = tok.GetTokenUser() // a use, not a hand-on
	return err
}

// An early return on a second error leaks the process handle.
func earlyReturn(pid uint32) error {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid) // want `handle from windows.OpenProcess is not closed on every path`
	if err != nil {
		return err
	}
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return err // leaks h
	}
	return windows.CloseHandle(h)
}

// A loop over processes forgets to close on one branch.
func loopLeak(pids []uint32) int {
	n := 0
	for _, pid := range pids {
		h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid) // want `handle from windows.OpenProcess is not closed`
		if err != nil {
			continue
		}
		if pid == 4 {
			continue // leaks h
		}
		n++
		windows.CloseHandle(h)
	}
	return n
}

// The handle is only used by platform functions and then dropped.
func fileNeverClosed(name string) error {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0) // want `handle from windows.CreateFile is not closed`
	if err != nil {
		return err
	}
	var buf [16]byte
	var n uint32
	return windows.ReadFile(h, buf[:], &n, nil)
}

// A duplicated token leaks when the second step fails.
func duplicateLeak() (windows.Token, error) { // want duplicateLeak:"owned token r0"
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_DUPLICATE, &tok); err != nil {
		return 0, err
	}
	defer tok.Close()
	var dup windows.Token
	err := windows.DuplicateTokenEx(tok, windows.MAXIMUM_ALLOWED, nil, windows.SecurityImpersonation, windows.TokenImpersonation, &dup) // want `token from windows.DuplicateTokenEx is not closed`
	if err != nil {
		return 0, err
	}
	if !dup.IsElevated() {
		return 0, errors.New("not elevated") // leaks dup
	}
	return dup, nil
}

// The syscall package's own wrappers count too.
func syscallLeak() error {
	h, err := syscall.OpenProcess(syscall.PROCESS_QUERY_INFORMATION, false, 4) // want `handle from syscall.OpenProcess is not closed`
	if err != nil {
		return err
	}
	var code uint32
	return syscall.GetExitCodeProcess(h, &code)
}

// The function falls off its end with the event open.
func fallOffEnd() {
	h, err := windows.CreateEvent(nil, 0, 0, nil) // want `handle from windows.CreateEvent is not closed`
	if err != nil {
		return
	}
	windows.SetEvent(h)
}
