// Package freshG1 holds the shape of set G's first-contact false alarms
// (eval/fresh/triage-G.yaml: four, all from one generated rule): ebiten's
// exp/textinput (hajimehoshi/ebiten/v2 v2.8.8, api_windows.go:99 and
// textinput_windows.go:60-130) calls imm32.dll through LazyProc.Call.
// rules_win32.yaml made ImmAssociateContext's result an owned HIMC, but MS
// ImmAssociateContext: "Returns the handle to the input context previously
// associated with the window." And it released ImmGetContext's with
// ImmDestroyContext, where MS ImmReleaseContext: "An application must call
// this function for each call to the ImmGetContext function."
package freshG1

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows"
)

var (
	imm32               = windows.NewLazySystemDLL("imm32.dll")
	procAssociate       = imm32.NewProc("ImmAssociateContext")
	procGetContext      = imm32.NewProc("ImmGetContext")
	procReleaseContext  = imm32.NewProc("ImmReleaseContext")
	procCreateContext   = imm32.NewProc("ImmCreateContext")
	procDestroyContext  = imm32.NewProc("ImmDestroyContext")
	procSetCompositionW = imm32.NewProc("ImmSetCompositionWindow")
)

type himc uintptr

type input struct {
	window  windows.HWND
	context uintptr // the context saved while the window has none
}

// associate is the wrapper: the previous context is handed back, not
// owned, on the path that drops it after the last error too. Quiet.
func associate(hwnd windows.HWND, ctx uintptr) (uintptr, error) {
	prev, _, e := procAssociate.Call(uintptr(hwnd), ctx)
	if e != nil && !errors.Is(e, windows.ERROR_SUCCESS) {
		return 0, fmt.Errorf("ImmAssociateContext: %w", e)
	}
	return prev, nil
}

// disable saves the window's context and leaves it with none: quiet.
func (in *input) disable() error {
	prev, err := associate(in.window, 0)
	if err != nil {
		return err
	}
	in.context = prev
	return nil
}

// restore re-associates the saved context and drops what it replaced (the
// NULL that disable left): quiet.
func (in *input) restore() error {
	if in.context == 0 {
		return nil
	}
	if _, err := associate(in.window, in.context); err != nil {
		return err
	}
	in.context = 0
	return nil
}

// getContext and releaseContext are the other two wrappers.
func getContext(hwnd windows.HWND) himc { // want getContext:"owned imm-context r0"
	r, _, _ := procGetContext.Call(uintptr(hwnd))
	return himc(r)
}

func releaseContext(hwnd windows.HWND, h himc) error { // want releaseContext:"releases a1 imm-context"
	r, _, e := procReleaseContext.Call(uintptr(hwnd), uintptr(h))
	if r == 0 {
		return fmt.Errorf("ImmReleaseContext: %w", e)
	}
	return nil
}

// place gets the context, uses it and releases it: quiet.
func (in *input) place(form uintptr) error {
	h := getContext(in.window)
	procSetCompositionW.Call(uintptr(h), form)
	return releaseContext(in.window, h)
}

// hasContext gets the context only to test it and never releases it.
func (in *input) hasContext() bool {
	h := getContext(in.window) // want `imm-context from freshG1.getContext \(imm32.dll!ImmGetContext\) is not closed on every path: release it with imm32.dll!ImmReleaseContext`
	return h != 0
}

// open calls the procedure itself: the same leak.
func open(hwnd windows.HWND) bool {
	h, _, _ := procGetContext.Call(uintptr(hwnd)) // want `imm-context from imm32.dll!ImmGetContext is not closed on every path: release it with imm32.dll!ImmReleaseContext`
	return h != 0
}

// openReleased releases it: quiet.
func openReleased(hwnd windows.HWND) bool {
	h, _, _ := procGetContext.Call(uintptr(hwnd))
	if h == 0 {
		return false
	}
	procReleaseContext.Call(uintptr(hwnd), h)
	return true
}

// created makes a context of its own and loses it: ImmCreateContext's
// result is owned, released by ImmDestroyContext.
func created() bool {
	h, _, _ := procCreateContext.Call() // want `himc from imm32.dll!ImmCreateContext is not closed on every path: release it with imm32.dll!ImmDestroyContext`
	return h != 0
}

// createdDestroyed destroys it: quiet.
func createdDestroyed() {
	h, _, _ := procCreateContext.Call()
	if h != 0 {
		procDestroyContext.Call(h)
	}
}
