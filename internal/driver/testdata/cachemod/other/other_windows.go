// Package other imports neither lib nor app.
package other

import "golang.org/x/sys/windows"

// Key opens a registry key and closes it with the wrong function.
func Key() error {
	var k windows.Handle
	if err := windows.RegOpenKeyEx(windows.HKEY_LOCAL_MACHINE, windows.StringToUTF16Ptr(`SOFTWARE`), 0, windows.KEY_READ, &k); err != nil {
		return err
	}
	return windows.CloseHandle(k)
}
