// Package wrong releases owned handles with another resource's releaser.
package wrong

import (
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

func findWithCloseHandle(pattern string) {
	p, _ := windows.UTF16PtrFromString(pattern)
	var data windows.Win32finddata
	h, err := windows.FindFirstFile(p, &data)
	if err != nil {
		return
	}
	windows.CloseHandle(h) // want `wrong releaser: windows.CloseHandle does not release a find from windows.FindFirstFile: release it with windows.FindClose`
}

func regKeyWithCloseHandle() {
	var key windows.Handle
	sub, _ := windows.UTF16PtrFromString(`SOFTWARE\Microsoft`)
	if windows.RegOpenKeyEx(windows.HKEY_LOCAL_MACHINE, sub, 0, windows.KEY_READ, &key) != nil {
		return
	}
	defer windows.CloseHandle(key) // want `wrong releaser: the deferred windows.CloseHandle does not release a regkey from windows.RegOpenKeyEx`
}

func moduleWithCloseHandle() {
	h, err := windows.LoadLibrary("kernel32.dll")
	if err != nil {
		return
	}
	windows.CloseHandle(h) // want `wrong releaser: windows.CloseHandle does not release a module from windows.LoadLibrary`
}

// Negatives: the right releasers, including Token.Close on a process handle
// (it is CloseHandle) and the registry package's own Close.
func tokenCloseOnProcess(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	windows.Token(h).Close()
}

func registryPackage() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE)
	if err != nil {
		return "", err
	}
	defer k.Close()
	s, _, err := k.GetStringValue("ProductName")
	return s, err
}

func findRight(pattern string) {
	p, _ := windows.UTF16PtrFromString(pattern)
	var data windows.Win32finddata
	h, err := windows.FindFirstFile(p, &data)
	if err != nil {
		return
	}
	defer windows.FindClose(h)
	for windows.FindNextFile(h, &data) == nil {
	}
}
