// Package recall1 has handles kept in a struct the function allocated
// (issue 18, pattern 1): the struct holds the handle until it is returned,
// stored somewhere that outlives the call, passed to unknown code, or
// released; if it dies on a path while holding an owned handle, the handle
// leaks, reported at the acquisition.
package recall1

import "golang.org/x/sys/windows"

// start closes the thread handle in a deferred closure that captures pi,
// but never the process handle (hcsshim's (*Exec).Start).
func start(cmd *uint16, si *windows.StartupInfo) (int, error) {
	pi := new(windows.ProcessInformation)
	err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, si, pi) // want `handle from windows.CreateProcess \(field Process\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	defer func() {
		_ = windows.CloseHandle(pi.Thread)
	}()
	if ev, err := windows.WaitForSingleObject(pi.Process, 0); err != nil || ev == windows.WAIT_OBJECT_0 {
		_ = windows.TerminateProcess(pi.Process, 1)
		return 0, err
	}
	return int(pi.ProcessId), nil
}

// startFixed closes both in the deferred closure.
func startFixed(cmd *uint16, si *windows.StartupInfo) (int, error) {
	pi := new(windows.ProcessInformation)
	err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, si, pi)
	if err != nil {
		return 0, err
	}
	defer func() {
		_ = windows.CloseHandle(pi.Thread)
		_ = windows.CloseHandle(pi.Process)
	}()
	return int(pi.ProcessId), nil
}

// startKept hands pi to a closure that escapes: not followed, quiet.
func startKept(cmd *uint16, si *windows.StartupInfo) (func(), error) {
	pi := new(windows.ProcessInformation)
	err := windows.CreateProcess(nil, cmd, nil, nil, false, 0, nil, nil, si, pi)
	if err != nil {
		return nil, err
	}
	return func() {
		windows.CloseHandle(pi.Thread)
		windows.CloseHandle(pi.Process)
	}, nil
}

type grip struct {
	handle windows.Handle
	name   string
}

// onWatch is set elsewhere: what it does with a grip is not known.
var onWatch func(*grip) error

// watch hands the grip to onWatch: not a use (a method that only read
// the grip's fields would be, see package holders).
func (g *grip) watch() error { return onWatch(g) }

// openGrip stores the handle in a struct it allocated, and returns nil
// when the path check fails: the struct dies holding the handle.
func openGrip(path string) (*grip, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	g := &grip{name: path}
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0) // want `handle from windows.CreateFile is not closed on every path`
	if err != nil {
		return nil, err
	}
	if len(path) > 200 {
		return nil, windows.ERROR_FILENAME_EXCED_RANGE // leaks g.handle
	}
	return g, nil
}

// openGripFixed closes the field on the error path.
func openGripFixed(path string) (*grip, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	g := new(grip)
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	if len(path) > 200 {
		windows.CloseHandle(g.handle)
		return nil, windows.ERROR_FILENAME_EXCED_RANGE
	}
	return g, nil
}

// openGripWatch passes the struct to a method that hands it to unknown
// code, so the handle is handed on there.
func openGripWatch(p *uint16) (*grip, error) {
	var g grip
	var err error
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	if err := g.watch(); err != nil {
		return nil, err
	}
	return &g, nil
}

var last *grip

// openGripGlobal stores the struct in a global: handed on.
func openGripGlobal(p *uint16) error {
	g := &grip{}
	var err error
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	last = g
	return nil
}

// openGripParam stores the struct through a parameter: handed on.
func openGripParam(p *uint16, out **grip) error {
	g := &grip{}
	var err error
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	*out = g
	return nil
}

// openGripDeferred closes the field in a deferred closure on error.
func openGripDeferred(p *uint16) (_ *grip, err error) {
	g := &grip{}
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(g.handle)
		}
	}()
	if err = windows.SetHandleInformation(g.handle, windows.HANDLE_FLAG_INHERIT, 0); err != nil {
		return nil, err
	}
	return g, nil
}

// readSize uses the handle through the struct and closes it: quiet.
func readSize(p *uint16) (uint32, error) {
	var g grip
	var err error
	g.handle, err = windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(g.handle)
	return windows.GetFileType(g.handle)
}
