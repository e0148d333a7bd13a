// Package handedon holds owned handles that every path releases or hands on:
// handlecheck must stay silent on all of it.
package handedon

import (
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/windows"
)

type proc struct{ h windows.Handle }

var global windows.Handle

func deferred(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	_, err = windows.WaitForSingleObject(h, windows.INFINITE)
	return err
}

func tokenClose() error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return err
	}
	defer tok.Close()
	_, err := tok.GetTokenUser()
	return err
}

func returned(pid uint32) (windows.Handle, error) { // want returned:"owned handle r0"
	return windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
}

func returnedLater(pid uint32) (windows.Handle, error) { // want returnedLater:"owned handle r0"
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return 0, err
	}
	return h, nil
}

func field(pid uint32) (*proc, error) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return nil, err
	}
	return &proc{h: h}, nil
}

// reopen acquires into its receiver's field: a source of the handle there,
// for callers that allocated the proc.
func (p *proc) reopen(pid uint32) error { // want reopen:"owned handle recv field h"
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	p.h = h
	return nil
}

func toGlobal() {
	h, err := windows.CreateEvent(nil, 1, 0, nil)
	if err == nil {
		global = h
	}
}

func toMap(m map[uint32]windows.Handle, pid uint32) {
	if h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid); err == nil {
		m[pid] = h
	}
}

func toSlice(pids []uint32) []windows.Handle {
	var hs []windows.Handle
	for _, pid := range pids {
		h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
		if err != nil {
			continue
		}
		hs = append(hs, h)
	}
	return hs
}

func toChan(c chan<- windows.Handle) {
	h, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return
	}
	c <- h
}

func goroutine() {
	h, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return
	}
	go func() {
		windows.WaitForSingleObject(h, windows.INFINITE)
		windows.CloseHandle(h)
	}()
}

func closureStored() func() {
	h, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return nil
	}
	return func() { windows.CloseHandle(h) }
}

func unknownCallee(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	register(h) // a function no rule knows: assumed to take it
	return nil
}

func register(windows.Handle) {}

func adopted(name string) (*os.File, error) { // want adopted:"owned file r0"
	p, _ := windows.UTF16PtrFromString(name)
	h, err := windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(h), name), nil
}

func adoptedThenUsed(name string) *os.File { // want adoptedThenUsed:"owned file r0"
	p, _ := windows.UTF16PtrFromString(name)
	h, err := windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil
	}
	f := os.NewFile(uintptr(h), name)
	fmt.Println(h) // only formats the number
	return f
}

func fatal(pid uint32) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return
	}
	if pid == 0 {
		log.Fatal("no pid") // never returns
	}
	if pid == 1 {
		os.Exit(2)
	}
	if pid == 2 {
		panic("bad pid")
	}
	windows.CloseHandle(h)
}

// The handle is tested instead of the error.
func invalidTest(name string) {
	p, _ := windows.UTF16PtrFromString(name)
	h, _ := windows.CreateFile(p, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if h == windows.InvalidHandle {
		return
	}
	windows.CloseHandle(h)
}

func zeroTest(pid uint32) {
	h, _ := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if h != 0 {
		windows.CloseHandle(h)
	}
}

// The error is kept in a variable shared by two acquisitions.
func sharedErr(useThread bool) error {
	var tok windows.Token
	var err error
	if useThread {
		err = windows.OpenThreadToken(windows.CurrentThread(), windows.TOKEN_QUERY, true, &tok)
	} else {
		err = windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok)
	}
	if err != nil {
		return err
	}
	defer tok.Close()
	return nil
}

// Closed on the error path of a later step, returned on success.
func closeOnLaterError(pid uint32) (windows.Handle, error) { // want closeOnLaterError:"owned handle r0"
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return 0, err
	}
	if _, err := windows.WaitForSingleObject(h, 0); err != nil {
		windows.CloseHandle(h)
		return 0, err
	}
	return h, nil
}

// A deferred closure that closes on every path.
func deferredClosure(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := windows.CloseHandle(h); cerr != nil {
			log.Print(cerr)
		}
	}()
	return nil
}

// A deferred closure that closes only on failure: the success path returns
// the handle.
func closeOnFailure(pid uint32) (h windows.Handle, err error) { // want closeOnFailure:"owned handle r0"
	h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			windows.CloseHandle(h)
		}
	}()
	_, err = windows.WaitForSingleObject(h, 0)
	return h, err
}

// The previous iteration's handle is closed through a loop-carried variable.
func rolling(pids []uint32) {
	var last windows.Handle
	for _, pid := range pids {
		h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
		if err != nil {
			continue
		}
		if last != 0 {
			windows.CloseHandle(last)
		}
		last = h
	}
	if last != 0 {
		windows.CloseHandle(last)
	}
}

// A method value called later.
func methodValue() error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok); err != nil {
		return err
	}
	closeTok := tok.Close
	defer closeTok()
	return nil
}

// A named cleanup closure.
func namedCleanup(pid uint32) error {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return err
	}
	cleanup := func() { windows.CloseHandle(h) }
	defer cleanup()
	return nil
}

// The error is tested with errors.Is before the nil test (gopsutil's
// PidExists, windows_exporter's getProcessOwner): errors.Is is true only
// for a non-nil error, so no handle is held on those returns.
func errorsIsFirst(pid uint32) (bool, error) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, syscall.Errno(0x57)) {
		return true, nil
	}
	if err == windows.ERROR_INVALID_PARAMETER {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer windows.CloseHandle(h)
	return true, nil
}

// A module pinned for the life of the process (hcsshim's cimwriter,
// wireguard's msftedit.dll): the module resource has `leak: false`.
func pinModule() error {
	_, err := windows.LoadLibraryEx("msftedit.dll", 0, windows.LOAD_LIBRARY_SEARCH_SYSTEM32)
	return err
}

func pinDLL() *windows.Proc {
	return windows.MustLoadDLL("kernel32.dll").MustFindProc("GetTickCount64")
}

type runtimeFunc struct {
	once sync.Once
	err  error
}

// The error is kept in a field of a captured receiver (go-winio's
// runtimeFunc.Load): every f.err loads f anew.
func (f *runtimeFunc) load() error {
	f.once.Do(func() {
		var s windows.Handle
		s, f.err = windows.CreateFile(windows.StringToUTF16Ptr("x"), 0, 0, nil, windows.OPEN_EXISTING, 0, 0)
		if f.err != nil {
			return
		}
		defer windows.CloseHandle(s)
	})
	return f.err
}

// The error is tested by a type assertion before the nil test (the
// standard library's net.lookupCNAME): ok is true only for a non-nil error.
func typeAssertFirst() (string, error) {
	var rec *syscall.DNSRecord
	e := syscall.DnsQuery("example.com", syscall.DNS_TYPE_CNAME, 0, nil, &rec, nil)
	if errno, ok := e.(syscall.Errno); ok && errno == syscall.DNS_INFO_NO_RECORDS {
		return "", nil
	}
	if e != nil {
		return "", e
	}
	defer syscall.DnsRecordListFree(rec, 1)
	return "", nil
}
