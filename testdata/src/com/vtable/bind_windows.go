// Package vtable is a COM binding with no wrapper methods: its callers
// call the vtable slots inline with syscall.SyscallN or syscall.Syscall,
// as generated or hand-written bindings often do. The shipped
// rules/com/founding.yaml, with this package's path, describes the slots.
package vtable

import "unsafe"

// IUnknownVtbl is the vtable of IUnknown, which others embed.
type IUnknownVtbl struct {
	QueryInterface uintptr
	AddRef         uintptr
	Release        uintptr
}

// IWSDSSLClientCertificateVtbl is WSDAPI's IWSDSSLClientCertificate vtable.
type IWSDSSLClientCertificateVtbl struct {
	IUnknownVtbl
	GetClientCertificate uintptr
	GetMappedAccessToken uintptr
}

// IWSDSSLClientCertificate is the object: a pointer to its vtable.
type IWSDSSLClientCertificate struct {
	vtbl *IWSDSSLClientCertificateVtbl
}

// IHttpUserVtbl is IIS's IHttpUser vtable (httpserv.h).
type IHttpUserVtbl struct {
	GetRemoteUserName     uintptr
	GetUserName           uintptr
	GetAuthenticationType uintptr
	GetPassword           uintptr
	GetImpersonationToken uintptr
	GetPrimaryToken       uintptr
	ReferenceUser         uintptr
	DereferenceUser       uintptr
	SupportsIsInRole      uintptr
	IsInRole              uintptr
	GetUserVariable       uintptr
}

// IHttpUser is go-ole's shape: the vtable is a raw pointer, converted
// where it is used.
type IHttpUser struct {
	RawVTable *any
}

// VTable returns the object's vtable, as go-ole's VTable methods do.
func (u *IHttpUser) VTable() *IHttpUserVtbl {
	return (*IHttpUserVtbl)(unsafe.Pointer(u.RawVTable))
}

const (
	S_OK    = 0
	S_FALSE = 1
)
