// Package engine12 holds the shapes of issue 12 that the ownership engine
// got wrong: false alarms (quiet functions) and misses (want comments).
package engine12

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// Shape 1: a close deferred before the acquisition, through a closure that
// reads the variable when the function returns.
func deferredBefore(pid uint32) error {
	var h windows.Handle
	var err error
	defer func() {
		if h != 0 {
			windows.CloseHandle(h)
		}
	}()
	h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	_, err = windows.WaitForSingleObject(h, 0)
	return err
}

// Shape 1 without the validity test.
func deferredBeforeNoTest(pid uint32) error {
	var h windows.Handle
	defer func() { windows.CloseHandle(h) }()
	var err error
	h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	return nil
}

// Shape 1 with an out parameter: the deferred closure reads tok at exit.
func deferredBeforeOut() error {
	var tok windows.Token
	defer func() {
		if tok != 0 {
			tok.Close()
		}
	}()
	return windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok)
}

// Shape 2, converse: the closure closes what h holds at exit, the second
// handle; the first is overwritten and leaks.
func overwrittenUnderDefer(a, b uint32) {
	h, _ := windows.OpenProcess(windows.SYNCHRONIZE, false, a) // want `handle from windows.OpenProcess is not closed on every path`
	defer func() { windows.CloseHandle(h) }()
	h, _ = windows.OpenProcess(windows.SYNCHRONIZE, false, b)
}

// Shape 3: two conditions in one deferred closure (recover: a panic path,
// not followed). "return 0, err" sets h to 0 before the closure runs (Go
// spec), so it closes 0 and the handle leaks: reported (see ...Kept).
func twoConditions(pid uint32) (h windows.Handle, err error) { // want twoConditions:"owned handle r0"
	h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed on every path`
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(h)
		}
		if r := recover(); r != nil {
			windows.CloseHandle(h)
			panic(r)
		}
	}()
	if _, err = windows.WaitForSingleObject(h, 0); err != nil {
		return 0, err
	}
	return h, nil
}

// Shape 4: a handle boxed in an interface and recovered by a comma-ok type
// assertion, then closed.
func boxedAssert(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	var x any = h
	if v, ok := x.(windows.Handle); ok {
		return windows.CloseHandle(v)
	}
	return errors.New("not a handle")
}

// Shape 4 with a type switch.
func boxedSwitch(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	var x any = h
	switch v := x.(type) {
	case int:
		return errors.New("an int")
	case windows.Handle:
		return windows.CloseHandle(v)
	}
	return nil
}

// Shape 5: the same acquisition runs again in a loop; every handle but the
// last is overwritten.
func overwrittenInLoop(pids []uint32) {
	var h windows.Handle
	for _, pid := range pids {
		var err error
		h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed on every path`
		if err != nil {
			return
		}
	}
	if h != 0 {
		windows.CloseHandle(h)
	}
}

// Shape 5 with a backward goto.
func overwrittenByGoto(pid uint32, retry bool) {
	n := 0
again:
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed on every path`
	if err != nil {
		return
	}
	if n++; retry && n < 3 {
		goto again
	}
	windows.CloseHandle(h)
}

// Shape 5, negative: each iteration closes the handle it opened.
func reopenedAndClosed(pids []uint32) {
	var tok windows.Token
	for range pids {
		if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
			continue
		}
		tok.Close()
	}
}

// Shape 6: a leak on continue inside a loop that never exits.
func leakOnContinue(pid uint32, ready func() bool) {
	for {
		h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed on every path`
		if err != nil {
			continue
		}
		if !ready() {
			continue
		}
		windows.CloseHandle(h)
	}
}

// Shape 7: a double release through a chain of releasing helpers that
// recurse.
func closeA(h windows.Handle, n int) { // want closeA:"releases a0 handle|token|fd"
	if n > 0 {
		closeB(h, n-1)
		return
	}
	windows.CloseHandle(h)
}

func closeB(h windows.Handle, n int) { // want closeB:"releases a0 handle|token|fd"
	closeA(h, n)
}

func doubleThroughChain(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	closeA(h, 2)
	windows.CloseHandle(h) // want `double release`
}

// Messages: a defer in a loop of a handle opened before it is the same
// defer on a later iteration (and the handle leaks when the loop does not
// run); a closure called twice is named by its two calls.
func deferInLoop(pid uint32, n int) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid) // want `handle from windows.OpenProcess is not closed on every path`
	if err != nil {
		return
	}
	for range n {
		defer windows.CloseHandle(h) // want `double release: the deferred windows.CloseHandle releases the handle from windows.OpenProcess again on each later iteration of the loop`
	}
}

func closureTwice(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	done := func() { windows.CloseHandle(h) }
	done()
	done() // want `double release: windows.CloseHandle releases the handle from windows.OpenProcess already released by windows.CloseHandle on line 211`
}

// Shape 7, negative: a recursive helper that releases on some paths only
// is not assumed to release; the caller's own close is no double release.
func closeSome(h windows.Handle, n int) { // want closeSome:"uses a0"
	if n == 0 {
		return
	}
	if n == 1 {
		windows.CloseHandle(h)
		return
	}
	closeSome(h, n-1)
}

func closeAfterSome(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	closeSome(h, 0)
	windows.CloseHandle(h)
}

// Negative (found on hcsshim): a closure deferred before a second
// acquisition releases the first handle's variable only; its RegCloseKey
// is no release, right or wrong, of the process handle opened later.
func earlyDeferOfAnother(pid uint32) error {
	var key windows.Handle
	if err := windows.RegOpenKeyEx(windows.HKEY_LOCAL_MACHINE, nil, 0, windows.KEY_READ, &key); err != nil {
		return err
	}
	defer func() {
		windows.RegCloseKey(key)
	}()
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	return windows.CloseHandle(h)
}

// Negative (found in runtime/pprof): the acquisition runs again on
// continue only when errors.AsType found an Errno, so the error is not nil
// and the handle not valid: nothing is overwritten.
func retrySnapshot() (syscall.Handle, error) { // want retrySnapshot:"owned handle r0"
	for {
		snap, err := syscall.CreateToolhelp32Snapshot(windows.TH32CS_SNAPMODULE, uint32(syscall.Getpid()))
		if errno, ok := errors.AsType[syscall.Errno](err); ok && errno == windows.ERROR_BAD_LENGTH {
			continue
		}
		return snap, err
	}
}

// Shape 3, corrected: the error path returns h itself, which the closure
// closes.
func twoConditionsKept(pid uint32) (h windows.Handle, err error) { // want twoConditionsKept:"owned handle r0"
	h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(h)
		}
		if r := recover(); r != nil {
			windows.CloseHandle(h)
			panic(r)
		}
	}()
	if _, err = windows.WaitForSingleObject(h, 0); err != nil {
		return h, err
	}
	return h, nil
}
