package vtable

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Owned: GetMappedAccessToken's token must be closed, when the HRESULT is
// S_OK.

func mappedLeak(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	hr, _, _ := syscall.SyscallN(c.vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(&h))) // want `token from \(vtable.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken is not closed on every path`
	if hr != S_OK {
		return false
	}
	return windows.Token(h).IsElevated()
}

func mappedRight(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	hr, _, _ := syscall.SyscallN(c.vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(&h)))
	if hr != S_OK {
		return false
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated()
}

// S_FALSE: no token, nothing to close.
func mappedSFalse(c *IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	hr, _, _ := syscall.SyscallN(c.vtbl.GetMappedAccessToken, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(&h)))
	if hr == S_FALSE {
		return false, nil
	}
	if int32(hr) < 0 {
		return false, syscall.Errno(hr)
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated(), nil
}

// Through windows.Errno, with syscall.Syscall.
func mappedErrno(c *IWSDSSLClientCertificate) error {
	var h windows.Handle
	r, _, _ := syscall.Syscall(c.vtbl.GetMappedAccessToken, 2, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(&h)), 0)
	if e := windows.Errno(r); e != windows.ERROR_SUCCESS {
		return e
	}
	return windows.CloseHandle(h)
}

func mappedErrnoLeak(c *IWSDSSLClientCertificate) error {
	var h windows.Handle
	r, _, _ := syscall.Syscall(c.vtbl.GetMappedAccessToken, 2, uintptr(unsafe.Pointer(c)), uintptr(unsafe.Pointer(&h)), 0) // want `token from \(vtable.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken is not closed on every path`
	if e := windows.Errno(r); e != windows.ERROR_SUCCESS {
		return e
	}
	return nil
}

// Borrowed: IIS's tokens must not be closed.

func impersonateClose(u *IHttpUser) error { // want impersonateClose:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	r, _, _ := syscall.SyscallN(u.VTable().GetImpersonationToken, uintptr(unsafe.Pointer(u)))
	tok := windows.Token(r)
	defer tok.Close() // want `the deferred \(windows.Token\).Close closes a borrowed handle from \(vtable.IHttpUserVtbl\).GetImpersonationToken \(IIS owns the token; clients must not call CloseHandle on it\)`
	return windows.SetThreadToken(nil, tok)
}

func primaryClose(u *IHttpUser) bool {
	r, _, _ := syscall.SyscallN((*IHttpUserVtbl)(unsafe.Pointer(u.RawVTable)).GetPrimaryToken, uintptr(unsafe.Pointer(u)))
	ok := windows.Token(r).IsElevated()
	windows.CloseHandle(windows.Handle(r)) // want `windows.CloseHandle closes a borrowed handle from \(vtable.IHttpUserVtbl\).GetPrimaryToken`
	return ok
}

func impersonateRight(u *IHttpUser) error { // want impersonateRight:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	r, _, _ := syscall.SyscallN(u.VTable().GetImpersonationToken, uintptr(unsafe.Pointer(u)))
	return windows.SetThreadToken(nil, windows.Token(r))
}
