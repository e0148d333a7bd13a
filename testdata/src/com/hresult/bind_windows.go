// Package hresult is a COM binding whose wrapper methods return the raw
// HRESULT, as a named type or as the uintptr SyscallN returns, with
// FAILED and SUCCEEDED helpers, and code that uses it. The shipped
// rules/com/founding.yaml, with this package's path, describes the vtable
// slots; the wrappers are sources through their summaries, which carry
// the slot's success test (S_OK) on their result 0.
package hresult

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// HRESULT is a COM status.
type HRESULT int32

const (
	S_OK    HRESULT = 0
	S_FALSE HRESULT = 1
	E_FAIL  HRESULT = -2147467259 // 0x80004005
)

func FAILED(hr HRESULT) bool    { return hr < 0 }
func SUCCEEDED(hr HRESULT) bool { return !(hr < 0) }

type IWSDSSLClientCertificateVtbl struct {
	QueryInterface       uintptr
	AddRef               uintptr
	Release              uintptr
	GetClientCertificate uintptr
	GetMappedAccessToken uintptr
}

type IWSDSSLClientCertificate struct {
	vtbl *IWSDSSLClientCertificateVtbl
}

func (c *IWSDSSLClientCertificate) GetMappedAccessToken(h *windows.Handle) HRESULT { // want GetMappedAccessToken:"owned token out0 if r0 == 0"
	r, _, _ := syscall.SyscallN(c.vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(h)))
	return HRESULT(r)
}

// GetMappedAccessTokenRaw returns the HRESULT as SyscallN does.
func (c *IWSDSSLClientCertificate) GetMappedAccessTokenRaw(h *windows.Handle) uintptr { // want GetMappedAccessTokenRaw:"owned token out0 if r0 == 0"
	r, _, _ := syscall.SyscallN(c.vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(h)))
	return r
}

type IHttpUserVtbl struct {
	GetRemoteUserName     uintptr
	GetUserName           uintptr
	GetAuthenticationType uintptr
	GetPassword           uintptr
	GetImpersonationToken uintptr
	GetPrimaryToken       uintptr
}

type IHttpUser struct {
	vtbl *IHttpUserVtbl
}

func (u *IHttpUser) GetImpersonationToken() windows.Handle { // want GetImpersonationToken:"borrowed token r0"
	r, _, _ := syscall.SyscallN(u.vtbl.GetImpersonationToken, uintptr(unsafe.Pointer(u)))
	return windows.Handle(r)
}

func (u *IHttpUser) GetPrimaryToken() windows.Handle { // want GetPrimaryToken:"borrowed token r0"
	r, _, _ := syscall.SyscallN(u.vtbl.GetPrimaryToken, uintptr(unsafe.Pointer(u)))
	return windows.Handle(r)
}

const E_POINTER HRESULT = -2147467261 // 0x80004003

// MappedAccessToken checks its receiver first: E_POINTER, a failure, is
// no status of the call, and leaves the summary's success test as it is.
func (c *IWSDSSLClientCertificate) MappedAccessToken(h *windows.Handle) HRESULT { // want MappedAccessToken:"owned token out0 if r0 == 0"
	if c == nil || c.vtbl == nil {
		return E_POINTER
	}
	r, _, _ := syscall.SyscallN(c.vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(h)))
	return HRESULT(r)
}
