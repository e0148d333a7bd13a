package both

import "golang.org/x/sys/windows"

// Elevated leaks the process token.
func Elevated() bool {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return false
	}
	return tok.IsElevated()
}
