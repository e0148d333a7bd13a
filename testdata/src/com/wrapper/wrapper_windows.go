// Package wrapper is a COM binding as structs with a vtable, and wrapper
// methods on *T that call syscall.SyscallN and return an error, as the
// wmi and shell bindings in public modules do. The shipped
// rules/com/founding.yaml, with this package's path, describes the vtable
// slots; the wrappers are sources through their summaries.
package wrapper

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

type IUnknownVtbl struct {
	QueryInterface uintptr
	AddRef         uintptr
	Release        uintptr
}

type IWSDSSLClientCertificateVtbl struct {
	IUnknownVtbl
	GetClientCertificate uintptr
	GetMappedAccessToken uintptr
}

type IWSDSSLClientCertificate struct {
	Vtbl *IWSDSSLClientCertificateVtbl
}

// GetMappedAccessToken returns the token mapped to the client's
// certificate; the error is nil only for S_OK.
func (c *IWSDSSLClientCertificate) GetMappedAccessToken(h *windows.Handle) error { // want GetMappedAccessToken:"owned token out0"
	hr, _, _ := syscall.SyscallN(c.Vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(h)))
	if hr != 0 {
		return syscall.Errno(hr)
	}
	return nil
}

// MappedToken is the same, the token as its result.
func (c *IWSDSSLClientCertificate) MappedToken() (windows.Token, error) { // want MappedToken:"owned token r0"
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil {
		return 0, err
	}
	return windows.Token(h), nil
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
	Vtbl *IHttpUserVtbl
}

func (u *IHttpUser) GetImpersonationToken() windows.Handle { // want GetImpersonationToken:"borrowed token r0"
	r, _, _ := syscall.SyscallN(u.Vtbl.GetImpersonationToken, uintptr(unsafe.Pointer(u)))
	return windows.Handle(r)
}

func (u *IHttpUser) GetPrimaryToken() windows.Token { // want GetPrimaryToken:"borrowed token r0"
	r, _, _ := syscall.SyscallN(u.Vtbl.GetPrimaryToken, uintptr(unsafe.Pointer(u)))
	return windows.Token(r)
}
