// Package recall5 calls sources of its own through generic functions,
// method values and method expressions (issue 18, pattern 5): their
// summaries cover the generic origin and each instantiation, and calls
// through bound method values and method expressions.
package recall5

import (
	"golang.org/x/sys/windows"
)

// findCert is generic and wraps a source: CertOpenStore.
func findCert[T any](name string, match func(T) bool) (windows.Handle, error) { // want findCert:"owned cert-store r0"
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	return windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM, 0, 0, windows.CERT_SYSTEM_STORE_CURRENT_USER, uintptr(unsafePointer(p)))
}

func checkStore[T any](v T, name string) error {
	store, err := findCert(name, func(T) bool { return true }) // want `cert-store from recall5.findCert \(windows.CertOpenStore\) is not closed on every path`
	if err != nil {
		return err
	}
	if name == "" {
		return windows.ERROR_INVALID_PARAMETER // leaks store
	}
	return windows.CertCloseStore(store, 0)
}

func checkStoreFixed(name string) error {
	store, err := findCert(name, func(int) bool { return true })
	if err != nil {
		return err
	}
	defer windows.CertCloseStore(store, 0)
	if name == "" {
		return windows.ERROR_INVALID_PARAMETER
	}
	return nil
}

func checkStoreInt(name string) error {
	store, err := findCert(name, func(int) bool { return true }) // want `cert-store from recall5.findCert \(windows.CertOpenStore\) is not closed on every path`
	if err != nil {
		return err
	}
	if name == "" {
		return windows.ERROR_INVALID_PARAMETER // leaks store
	}
	return windows.CertCloseStore(store, 0)
}

type proc struct{ pid uint32 }

// open is a method that wraps a source: OpenProcess.
func (p *proc) open() (windows.Handle, error) { // want open:"owned handle r0"
	return windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, p.pid)
}

func exitCodeValue(p *proc) (uint32, error) {
	f := p.open
	h, err := f() // want `handle from \(\*recall5.proc\).open \(windows.OpenProcess\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return 0, err // leaks h
	}
	windows.CloseHandle(h)
	return code, nil
}

func exitCodeValueFixed(p *proc) (uint32, error) {
	f := p.open
	h, err := f()
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(h)
	var code uint32
	err = windows.GetExitCodeProcess(h, &code)
	return code, err
}

func exitCodeExpr(p *proc) (uint32, error) {
	h, err := (*proc).open(p) // want `handle from \(\*recall5.proc\).open \(windows.OpenProcess\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return 0, err // leaks h
	}
	windows.CloseHandle(h)
	return code, nil
}

func exitCodeExprFixed(p *proc) (uint32, error) {
	h, err := (*proc).open(p)
	if err != nil {
		return 0, err
	}
	defer windows.CloseHandle(h)
	var code uint32
	err = windows.GetExitCodeProcess(h, &code)
	return code, err
}

// A method value of a closer: the handle passed is released.
type closer struct{}

func (closer) close(h windows.Handle) error { return windows.CloseHandle(h) } // want close:"releases a0 handle"

func closeThroughValue(pid uint32) error {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return err
	}
	var c closer
	release := c.close
	return release(h)
}
