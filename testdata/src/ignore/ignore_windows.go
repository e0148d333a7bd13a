// Package ignore checks //handlecheck:ignore directives.
package ignore

import "golang.org/x/sys/windows"

// A suppression on the line above the acquisition.
func keptOnLineAbove() windows.Handle {
	var tok windows.Token
	//handlecheck:ignore leak the token lives as long as the service
	if windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok) != nil {
		return 0
	}
	return 0
}

func keptOnSameLine(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) //handlecheck:ignore leak closed by the supervisor that inherits it
	if err != nil {
		return
	}
	_ = h
}

func wrongCategory(pid uint32) {
	//handlecheck:ignore double-release not the mistake made here // want `handlecheck:ignore double-release suppresses nothing on this line or the next: remove it`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed`
	if err != nil {
		return
	}
	_ = h
}

func noReason() {
	//handlecheck:ignore borrowed-release // want `handlecheck:ignore borrowed-release needs a reason`
	windows.CloseHandle(windows.CurrentProcess()) // want `closes a borrowed handle`
}

func unknownCategory() {
	//handlecheck:ignore leaks typo in the category // want `handlecheck:ignore names "leaks": want one of leak, borrowed-release, double-release, wrong-releaser, borrowed-change, use-after-release, impersonation, keepalive, then a reason`
}
