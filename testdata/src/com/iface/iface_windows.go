// Package iface is a COM binding as Go interfaces whose methods return an
// error, and code that uses it. The shipped rules/com/founding-iface.yaml,
// with this package's path, describes the methods.
package iface

import "golang.org/x/sys/windows"

// IWSDSSLClientCertificate is WSDAPI's interface.
type IWSDSSLClientCertificate interface {
	GetClientCertificate() (uintptr, error)
	GetMappedAccessToken(phToken *windows.Handle) error
}

// IHttpUser is IIS's interface.
type IHttpUser interface {
	GetUserName() *uint16
	GetImpersonationToken() windows.Handle
	GetPrimaryToken() windows.Handle
}

func mappedLeak(c IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil { // want `token from \(iface.IWSDSSLClientCertificate\).GetMappedAccessToken is not closed on every path`
		return false, err
	}
	return windows.Token(h).IsElevated(), nil
}

func mappedRight(c IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil {
		return false, err
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated(), nil
}

func impersonateClose(u IHttpUser) error { // want impersonateClose:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	tok := u.GetImpersonationToken()
	defer windows.CloseHandle(tok) // want `the deferred windows.CloseHandle closes a borrowed handle from \(iface.IHttpUser\).GetImpersonationToken \(IIS owns the token; clients must not call CloseHandle on it\)`
	return windows.SetThreadToken(nil, windows.Token(tok))
}

func primaryClose(u IHttpUser) bool {
	tok := windows.Token(u.GetPrimaryToken())
	defer tok.Close() // want `the deferred \(windows.Token\).Close closes a borrowed handle from \(iface.IHttpUser\).GetPrimaryToken`
	return tok.IsElevated()
}

func impersonateRight(u IHttpUser) error { // want impersonateRight:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	return windows.SetThreadToken(nil, windows.Token(u.GetImpersonationToken()))
}
