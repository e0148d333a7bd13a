package recall5pass

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/recall5pass/util"
)

// checkHandle passes an integer handle through.
func checkHandle(h windows.Handle, err error) windows.Handle { // want checkHandle:"returns a0 as r0"
	if err != nil {
		panic(err)
	}
	return h
}

// orInvalid returns the handle, or InvalidHandle on an error.
func orInvalid(h windows.Handle, err error) windows.Handle { // want orInvalid:"returns a0 as r0"
	if err != nil {
		return windows.InvalidHandle
	}
	return h
}

var handles []windows.Handle

// register keeps the handle: no pass-through.
func register(h windows.Handle, err error) windows.Handle {
	if err != nil {
		panic(err)
	}
	handles = append(handles, h)
	return h
}

func exitCode(h windows.Handle) uint32 {
	var code uint32
	if windows.GetExitCodeProcess(h, &code) != nil {
		return 0
	}
	return code
}

func handleLeak(pid uint32) uint32 {
	h := checkHandle(windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)) // want `handle from windows.OpenProcess is not closed on every path`
	return exitCode(h)
}

func handleClosed(pid uint32) uint32 {
	h := checkHandle(windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid))
	defer windows.CloseHandle(h)
	return exitCode(h)
}

func invalidLeak(pid uint32) uint32 {
	h := orInvalid(windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)) // want `handle from windows.OpenProcess is not closed on every path`
	if h == windows.InvalidHandle {
		return 0
	}
	return exitCode(h)
}

func invalidClosed(pid uint32) uint32 {
	h := orInvalid(windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid))
	if h == windows.InvalidHandle {
		return 0
	}
	defer windows.CloseHandle(h)
	return exitCode(h)
}

// bothClosed closes the result and the argument: one handle, closed twice.
func bothClosed(pid uint32) uint32 {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	g := checkHandle(h, err)
	code := exitCode(g)
	windows.CloseHandle(g)
	windows.CloseHandle(h) // want `double release`
	return code
}

func registeredQuiet(pid uint32) uint32 {
	h := register(windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid))
	return exitCode(h)
}

func eventGenericLeak() error {
	ev := util.Must(windows.CreateEvent(nil, 0, 0, nil)) // want `handle from windows.CreateEvent is not closed on every path`
	return windows.SetEvent(ev)
}

func eventGenericClosed() error {
	ev := util.Must(windows.CreateEvent(nil, 0, 0, nil))
	defer windows.CloseHandle(ev)
	return windows.SetEvent(ev)
}

func eventLocalGenericLeak() error {
	ev := must(windows.CreateEvent(nil, 0, 0, nil)) // want `handle from windows.CreateEvent is not closed on every path`
	return windows.SetEvent(ev)
}

func eventKeptQuiet() error {
	ev := util.Keep(windows.CreateEvent(nil, 0, 0, nil))
	return windows.SetEvent(ev)
}

// A method that passes a token through, called as a method value and a
// method expression.
type checker struct{ strict bool }

func (c *checker) token(t windows.Token, err error) windows.Token { // want token:"returns a0 as r0"
	if err != nil {
		panic(err)
	}
	return t
}

func (c *checker) linked(t windows.Token) (windows.Token, error) { // want linked:"owned token r0"
	return t.GetLinkedToken()
}

func linkedValueLeak(c *checker, t windows.Token) bool {
	pass := c.token
	lt := pass(c.linked(t)) // want `token from`
	return lt.IsElevated()
}

func linkedExprLeak(c *checker, t windows.Token) bool {
	lt, err := t.GetLinkedToken() // want `token from \(windows.Token\).GetLinkedToken is not closed on every path`
	lt = (*checker).token(c, lt, err)
	return lt.IsElevated()
}

func linkedExprClosed(c *checker, t windows.Token) bool {
	lt, err := t.GetLinkedToken()
	lt = (*checker).token(c, lt, err)
	defer lt.Close()
	return lt.IsElevated()
}
