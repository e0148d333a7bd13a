package useafter

import "golang.org/x/sys/windows"

// The shape of real code (a process-memory helper): the deferred
// CloseHandle runs before the caller gets the handle, so the caller reads
// and writes through a closed number.
func OpenForMemory(pid uint32) (windows.Handle, error) { // want OpenForMemory:`uses a0`
	h, err := windows.OpenProcess(windows.PROCESS_VM_READ|windows.PROCESS_VM_WRITE, false, pid)
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(h)
	return h, nil // want `use after release: the function returns the handle from windows.OpenProcess, which the deferred windows.CloseHandle on line 13 releases before the caller gets it`
}

func ReturnClosed(pid uint32) windows.Handle { // want ReturnClosed:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return 0
	}
	windows.CloseHandle(h)
	return h // want `use after release: the function returns the handle from windows.OpenProcess, which windows.CloseHandle on line 22 releases before the caller gets it`
}

// Quiet: the deferred call's arguments, and a call in the return
// statement, are evaluated before the deferred release runs.
func Elevated() bool {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return false
	}
	defer tok.Close()
	return tok.IsElevated()
}

// Quiet: released only on the error path, returned on the other.
func OpenOrClose(pid uint32, check func(windows.Handle) error) (h windows.Handle, err error) { // want OpenOrClose:`uses a0`
	h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(h)
		}
	}()
	if err = check(h); err != nil {
		return 0, err
	}
	return h, nil
}

// Quiet: a number derived from the handle is no handle.
func ClosedIsNonzero(pid uint32) bool { // want ClosedIsNonzero:`uses a0`
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	return h != 0
}
