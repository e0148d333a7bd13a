package agent

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// sessionUser returns the user of a session. The token from
// WTSQueryUserToken is never closed: every call leaks one (leak).
func sessionUser(session uint32) (string, error) {
	var tok windows.Token
	if err := windows.WTSQueryUserToken(session, &tok); err != nil {
		return "", err
	}
	u, err := tok.GetTokenUser()
	if err != nil {
		return "", err
	}
	account, domain, _, err := u.User.Sid.LookupAccount("")
	return domain + `\` + account, err
}

// elevated reports whether the agent runs elevated. The pseudo-token from
// GetCurrentProcessToken belongs to the system: closing it is a mistake
// (borrowed-release).
func elevated() bool {
	tok := windows.GetCurrentProcessToken()
	defer tok.Close()
	return tok.IsElevated()
}

// waitExit waits for a process. The handle is closed by the deferred call
// and again on the way out (double-release).
func waitExit(pid uint32) (uint32, error) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(h)
	if _, err := windows.WaitForSingleObject(h, windows.INFINITE); err != nil {
		return 0, err
	}
	var code uint32
	err = windows.GetExitCodeProcess(h, &code)
	windows.CloseHandle(h)
	return code, err
}

// logFiles counts the agent's log files. A FindFirstFile handle must be
// closed with FindClose, not CloseHandle (wrong-releaser).
func logFiles(dir string) (int, error) {
	pattern, err := windows.UTF16PtrFromString(dir + `\*.log`)
	if err != nil {
		return 0, err
	}
	var data windows.Win32finddata
	h, err := windows.FindFirstFile(pattern, &data)
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(h)
	n := 1
	for windows.FindNextFile(h, &data) == nil {
		n++
	}
	return n, nil
}

// productName is correct: the key is closed on every path.
func productName() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE)
	if err != nil {
		return "", err
	}
	defer k.Close()
	s, _, err := k.GetStringValue("ProductName")
	return s, err
}

// openLog is correct: os.NewFile takes ownership of the handle.
func openLog(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE, windows.FILE_SHARE_READ, nil, windows.OPEN_ALWAYS, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return os.NewFile(uintptr(h), path), nil
}
