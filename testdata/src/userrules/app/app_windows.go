// Package app uses the user's COM bindings.
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/userrules/iis"
	"handlecheck.test/userrules/wsd"
)

func impersonate(u iis.IHttpUser) error { // want impersonate:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	tok := u.GetImpersonationToken()
	defer windows.CloseHandle(tok) // want `the deferred windows.CloseHandle closes a borrowed handle from \(iis.IHttpUser\).GetImpersonationToken \(IIS owns the token: clients must not call CloseHandle on it\)`
	return windows.SetThreadToken(nil, windows.Token(tok))
}

func impersonateRight(u iis.IHttpUser) error { // want impersonateRight:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	tok := u.GetImpersonationToken()
	return windows.SetThreadToken(nil, windows.Token(tok))
}

func mappedToken(c wsd.IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil { // want `token from \(wsd.IWSDSSLClientCertificate\).GetMappedAccessToken is not closed on every path: release it with`
		return false, err
	}
	return windows.Token(h).IsElevated(), nil
}

func mappedTokenRight(c wsd.IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil {
		return false, err
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated(), nil
}
