package hresult

import "golang.org/x/sys/windows"

// The false alarm: the token is held only for S_OK.
func mappedRight(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	if hr := c.GetMappedAccessToken(&h); hr != S_OK {
		return false
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated()
}

func mappedLeak(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	if hr := c.GetMappedAccessToken(&h); hr != S_OK { // want `token from \(\*hresult.IWSDSSLClientCertificate\).GetMappedAccessToken \(\(hresult.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken\) is not closed on every path`
		return false
	}
	return windows.Token(h).IsElevated()
}

// S_FALSE holds no token.
func mappedSFalse(c *IWSDSSLClientCertificate) (bool, error) {
	var h windows.Handle
	hr := c.GetMappedAccessToken(&h)
	if FAILED(hr) {
		return false, windows.Errno(hr)
	}
	if hr == S_FALSE {
		return false, nil
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated(), nil
}

// SUCCEEDED is not enough: S_FALSE succeeded too, and then no token was
// written, but S_OK's is left open here.
func mappedSucceededLeak(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	hr := c.GetMappedAccessToken(&h) // want `token from \(\*hresult.IWSDSSLClientCertificate\).GetMappedAccessToken \(\(hresult.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken\) is not closed on every path`
	if !SUCCEEDED(hr) {
		return false
	}
	return windows.Token(h).IsElevated()
}

func mappedFailedRight(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	hr := c.GetMappedAccessToken(&h)
	if FAILED(hr) || hr == S_FALSE {
		return false
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated()
}

// The raw uintptr, through windows.Errno.
func mappedRawRight(c *IWSDSSLClientCertificate) error {
	var h windows.Handle
	if e := windows.Errno(c.GetMappedAccessTokenRaw(&h)); e != windows.ERROR_SUCCESS {
		return e
	}
	return windows.CloseHandle(h)
}

func mappedRawLeak(c *IWSDSSLClientCertificate) error {
	var h windows.Handle
	r := c.GetMappedAccessTokenRaw(&h) // want `token from \(\*hresult.IWSDSSLClientCertificate\).GetMappedAccessTokenRaw \(\(hresult.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken\) is not closed on every path`
	// 1 is S_FALSE.
	if r == 1 {
		return nil
	}
	if int32(r) < 0 {
		return windows.Errno(r)
	}
	return nil
}

func impersonateClose(u *IHttpUser) error { // want impersonateClose:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	tok := u.GetImpersonationToken()
	defer windows.CloseHandle(tok) // want `the deferred windows.CloseHandle closes a borrowed handle from \(\*hresult.IHttpUser\).GetImpersonationToken`
	return windows.SetThreadToken(nil, windows.Token(tok))
}

func primaryClose(u *IHttpUser) bool {
	tok := windows.Token(u.GetPrimaryToken())
	ok := tok.IsElevated()
	tok.Close() // want `\(windows.Token\).Close closes a borrowed handle from \(\*hresult.IHttpUser\).GetPrimaryToken`
	return ok
}

func impersonateRight(u *IHttpUser) error { // want impersonateRight:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	return windows.SetThreadToken(nil, windows.Token(u.GetImpersonationToken()))
}

func checkedRight(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	if c.MappedAccessToken(&h) != S_OK {
		return false
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated()
}

func checkedLeak(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	if c.MappedAccessToken(&h) != S_OK { // want `token from \(\*hresult.IWSDSSLClientCertificate\).MappedAccessToken \(\(hresult.IWSDSSLClientCertificateVtbl\).GetMappedAccessToken\) is not closed on every path`
		return false
	}
	return windows.Token(h).IsElevated()
}
