// Package nativeout holds out-parameter handles that rules_win32.yaml
// gave CloseHandle (the metadata types them as HANDLE) where the
// procedure's page names another releaser, in the shapes real Go code
// calls them through LazyProc.Call:
//
//   - pdh.dll!PdhAddEnglishCounterW: the counter is its query's. MS
//     PdhCloseQuery: "Closes all counters contained in the specified
//     query". The common shape (open the query, defer PdhCloseQuery, add a
//     counter, never PdhRemoveCounter) was a false leak of the counter.
//   - kernel32.dll!RegisterWaitForSingleObject: MS (phNewWaitObject):
//     "Note that a wait handle cannot be used in functions that require an
//     object handle, such as CloseHandle." UnregisterWait(Ex) ends it.
//   - mqrt.dll!MQOpenQueue: closed by MQCloseQueue.
//   - ntdsapi.dll!DsBindW: released by DsUnBindW through a pointer to the
//     handle, which no rule can name (excluded).
//   - fwpuclnt.dll!FwpmNetEventSubscribe0: the subscription is its engine
//     session's. MS FwpmNetEventUnsubscribe0: "It is not necessary to
//     unsubscribe before closing a session; all subscriptions are
//     automatically canceled when the subscribing session terminates."
//     (excluded); the session itself is FwpmEngineClose0's.
package nativeout

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	pdh                  = windows.NewLazySystemDLL("pdh.dll")
	procOpenQuery        = pdh.NewProc("PdhOpenQueryW")
	procAddEnglish       = pdh.NewProc("PdhAddEnglishCounterW")
	procCollect          = pdh.NewProc("PdhCollectQueryData")
	procCloseQuery       = pdh.NewProc("PdhCloseQuery")
	kernel32             = windows.NewLazySystemDLL("kernel32.dll")
	procRegisterWait     = kernel32.NewProc("RegisterWaitForSingleObject")
	procUnregisterWait   = kernel32.NewProc("UnregisterWait")
	procUnregisterWaitEx = kernel32.NewProc("UnregisterWaitEx")
	procCloseHandle      = kernel32.NewProc("CloseHandle")
	mqrt                 = windows.NewLazySystemDLL("mqrt.dll")
	procMQOpenQueue      = mqrt.NewProc("MQOpenQueue")
	procMQCloseQueue     = mqrt.NewProc("MQCloseQueue")
	ntdsapi              = windows.NewLazySystemDLL("ntdsapi.dll")
	procDsBind           = ntdsapi.NewProc("DsBindW")
	procDsUnBind         = ntdsapi.NewProc("DsUnBindW")
	fwpuclnt             = windows.NewLazySystemDLL("fwpuclnt.dll")
	procEngineOpen       = fwpuclnt.NewProc("FwpmEngineOpen0")
	procEngineClose      = fwpuclnt.NewProc("FwpmEngineClose0")
	procNetEventSub      = fwpuclnt.NewProc("FwpmNetEventSubscribe0")
)

// netEvents subscribes to net events and closes only the engine session,
// which cancels the subscription: quiet.
func netEvents(callback uintptr) bool {
	var engine uintptr
	if r, _, _ := procEngineOpen.Call(0, 10, 0, 0, uintptr(unsafe.Pointer(&engine))); r != 0 {
		return false
	}
	defer procEngineClose.Call(engine)
	var sub uintptr
	r, _, _ := procNetEventSub.Call(engine, 0, callback, 0, uintptr(unsafe.Pointer(&sub)))
	return r == 0
}

// engineLeaked never closes its session: reported, naming FwpmEngineClose0.
func engineLeaked() bool {
	var engine uintptr
	r, _, _ := procEngineOpen.Call(0, 10, 0, 0, uintptr(unsafe.Pointer(&engine))) // want `fwpm-engine-handle from fwpuclnt.dll!FwpmEngineOpen0 is not closed on every path: release it with fwpuclnt.dll!FwpmEngineClose0`
	return r == 0
}

// counter opens a query, closes it on return and adds a counter it never
// removes: the counter goes with the query. Quiet.
func counter(path *uint16) bool {
	var query uintptr
	if r, _, _ := procOpenQuery.Call(0, 0, uintptr(unsafe.Pointer(&query))); r != 0 {
		return false
	}
	defer procCloseQuery.Call(query)
	var c uintptr
	if r, _, _ := procAddEnglish.Call(query, uintptr(unsafe.Pointer(path)), 0, uintptr(unsafe.Pointer(&c))); r != 0 {
		return false
	}
	r, _, _ := procCollect.Call(query)
	return r == 0
}

// queryLeaked never closes the query: reported, naming PdhCloseQuery.
func queryLeaked() bool {
	var query uintptr
	r, _, _ := procOpenQuery.Call(0, 0, uintptr(unsafe.Pointer(&query))) // want `pdh-hquery from pdh.dll!PdhOpenQueryW is not closed on every path: release it with pdh.dll!PdhCloseQuery`
	return r == 0
}

// watch registers a wait and unregisters it: quiet.
func watch(process windows.Handle, callback uintptr) error {
	var wait uintptr
	r, _, e := procRegisterWait.Call(uintptr(unsafe.Pointer(&wait)), uintptr(process), callback, 0, windows.INFINITE, 8)
	if r == 0 {
		return e
	}
	procUnregisterWait.Call(wait)
	return nil
}

// watchEx waits for the callbacks to finish: quiet.
func watchEx(process windows.Handle, callback uintptr) error {
	var wait uintptr
	if r, _, e := procRegisterWait.Call(uintptr(unsafe.Pointer(&wait)), uintptr(process), callback, 0, windows.INFINITE, 8); r == 0 {
		return e
	}
	procUnregisterWaitEx.Call(wait, uintptr(windows.InvalidHandle))
	return nil
}

// watchLeaked never unregisters the wait: reported, naming UnregisterWait.
func watchLeaked(process windows.Handle, callback uintptr) bool {
	var wait uintptr
	r, _, _ := procRegisterWait.Call(uintptr(unsafe.Pointer(&wait)), uintptr(process), callback, 0, windows.INFINITE, 8) // want `wait-registration from kernel32.dll!RegisterWaitForSingleObject is not closed on every path: release it with kernel32.dll!UnregisterWait`
	return r != 0
}

// watchClosed closes the wait handle with CloseHandle, which the page
// says it cannot be used with: reported.
func watchClosed(process windows.Handle, callback uintptr) {
	var wait uintptr
	if r, _, _ := procRegisterWait.Call(uintptr(unsafe.Pointer(&wait)), uintptr(process), callback, 0, windows.INFINITE, 8); r == 0 {
		return
	}
	procCloseHandle.Call(wait) // want `wrong releaser: kernel32.dll!CloseHandle does not release a wait-registration from kernel32.dll!RegisterWaitForSingleObject: release it with kernel32.dll!UnregisterWait or kernel32.dll!UnregisterWaitEx`
}

// queue opens a queue and closes it: quiet.
func queue(name *uint16) error {
	var q uintptr
	if r, _, _ := procMQOpenQueue.Call(uintptr(unsafe.Pointer(name)), 1, 0, uintptr(unsafe.Pointer(&q))); r != 0 {
		return windows.Errno(r)
	}
	procMQCloseQueue.Call(q)
	return nil
}

// queueLeaked never closes it: reported, naming MQCloseQueue.
func queueLeaked(name *uint16) bool {
	var q uintptr
	r, _, _ := procMQOpenQueue.Call(uintptr(unsafe.Pointer(name)), 1, 0, uintptr(unsafe.Pointer(&q))) // want `mq-queue from mqrt.dll!MQOpenQueue is not closed on every path: release it with mqrt.dll!MQCloseQueue`
	return r == 0
}

// bind binds to a domain controller and unbinds through a pointer to the
// handle, as DsUnBind takes it: quiet.
func bind(dc *uint16) error {
	var h windows.Handle
	if r, _, _ := procDsBind.Call(uintptr(unsafe.Pointer(dc)), 0, uintptr(unsafe.Pointer(&h))); r != 0 {
		return windows.Errno(r)
	}
	procDsUnBind.Call(uintptr(unsafe.Pointer(&h)))
	return nil
}
