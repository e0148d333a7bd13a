// Package winimport has no build constraint but imports
// golang.org/x/sys/windows, so it builds only for Windows.
package winimport

import "golang.org/x/sys/windows"

// Key opens a registry key and closes it with the wrong function.
func Key() error {
	var k windows.Handle
	if err := windows.RegOpenKeyEx(windows.HKEY_LOCAL_MACHINE, windows.StringToUTF16Ptr(`SOFTWARE`), 0, windows.KEY_READ, &k); err != nil {
		return err
	}
	return windows.CloseHandle(k)
}
