// Package freshF1 holds the shape of set F's first contact that reads like
// a false alarm (eval/fresh/triage-F.yaml, verdict contract): the
// opentelemetry-collector-contrib stanza Windows input
// (operator/input/windows/api.go:103, and four more) decides whether
// EvtSubscribe failed by LazyProc.Call's last error, not by the handle.
// The leak is reported, and its message says why.
package freshF1

import (
	"errors"

	"golang.org/x/sys/windows"
)

var (
	api           = windows.NewLazySystemDLL("wevtapi.dll")
	subscribeProc = api.NewProc("EvtSubscribe")
	queryProc     = api.NewProc("EvtQuery")
	closeProc     = api.NewProc("EvtClose")
)

// errorSuccess is stanza's ErrorSuccess.
var errorSuccess = windows.ERROR_SUCCESS

// subscribe is stanza's evtSubscribe: the handle is dropped when a
// successful call leaves a last error set.
func subscribe(session, channel uintptr) (uintptr, error) { // want subscribe:"owned evt-handle r0"
	handle, _, err := subscribeProc.Call(session, 0, channel, 0, 0, 0, 0, 1) // want `evt-handle from wevtapi.dll!EvtSubscribe is not closed on every path: release it with wevtapi.dll!EvtClose: the call's error is the thread's last error, which a successful call may leave set; decide failure by the call's first result`
	if !errors.Is(err, errorSuccess) {
		return 0, err
	}
	return handle, nil
}

// query compares the last error with ==: the same.
func query(session, path uintptr) (uintptr, error) { // want query:"owned evt-handle r0"
	handle, _, err := queryProc.Call(session, path, 0, 1) // want `the call's error is the thread's last error`
	if err != windows.ERROR_SUCCESS {
		return 0, err
	}
	return handle, nil
}

// queryChecked decides by the handle: quiet.
func queryChecked(session, path uintptr) (uintptr, error) { // want queryChecked:"owned evt-handle r0"
	handle, _, err := queryProc.Call(session, path, 0, 1)
	if handle == 0 {
		return 0, err
	}
	return handle, nil
}

// leakChecked decides by the handle and drops it on a later error: a
// leak, with no word of the last error.
func leakChecked(session, path uintptr, fail bool) (uintptr, error) { // want leakChecked:"owned evt-handle r0"
	handle, _, err := queryProc.Call(session, path, 0, 1) // want `evt-handle from wevtapi.dll!EvtQuery is not closed on every path: release it with wevtapi.dll!EvtClose$`
	if handle == 0 {
		return 0, err
	}
	if fail {
		return 0, errors.New("later")
	}
	return handle, nil
}

// closeEvt is stanza's evtClose.
func closeEvt(h uintptr) error { // want closeEvt:"releases a0 evt-handle"
	_, _, err := closeProc.Call(h)
	if !errors.Is(err, errorSuccess) {
		return err
	}
	return nil
}
