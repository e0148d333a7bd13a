// Package app uses the wrapper binding from another package: the wrappers'
// summaries travel as facts.
package app

import (
	"golang.org/x/sys/windows"

	"handlecheck.test/com/wrapper"
)

func mappedLeak(c *wrapper.IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil { // want `token from \(\*wrapper.IWSDSSLClientCertificate\).GetMappedAccessToken \(\(wrapper.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken\) is not closed on every path`
		return false, err
	}
	return windows.Token(h).IsElevated(), nil
}

func mappedRight(c *wrapper.IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	if err := c.GetMappedAccessToken(&h); err != nil {
		return false, err
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated(), nil
}

func mappedResultLeak(c *wrapper.IWSDSSLClientCertificate) bool {
	tok, err := c.MappedToken() // want `token from \(\*wrapper.IWSDSSLClientCertificate\).MappedToken \(\(wrapper.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken\) is not closed on every path`
	return err == nil && tok.IsElevated()
}

func mappedResultRight(c *wrapper.IWSDSSLClientCertificate) bool {
	tok, err := c.MappedToken()
	if err != nil {
		return false
	}
	defer tok.Close()
	return tok.IsElevated()
}

func impersonateClose(u *wrapper.IHttpUser) error { // want impersonateClose:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	tok := u.GetImpersonationToken()
	defer windows.CloseHandle(tok) // want `the deferred windows.CloseHandle closes a borrowed handle from \(\*wrapper.IHttpUser\).GetImpersonationToken \(\(wrapper.IHttpUserVtbl\).GetImpersonationToken\)`
	return windows.SetThreadToken(nil, windows.Token(tok))
}

func primaryClose(u *wrapper.IHttpUser) bool {
	tok := u.GetPrimaryToken()
	ok := tok.IsElevated()
	tok.Close() // want `\(windows.Token\).Close closes a borrowed handle from \(\*wrapper.IHttpUser\).GetPrimaryToken`
	return ok
}

func impersonateRight(u *wrapper.IHttpUser) error { // want impersonateRight:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	return windows.SetThreadToken(nil, windows.Token(u.GetImpersonationToken()))
}
