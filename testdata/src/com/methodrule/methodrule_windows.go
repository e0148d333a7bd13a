// Package methodrule is a COM binding described by rules on its wrapper
// methods (rules.yaml here), not on its vtable slots: the wrappers call
// through function values the analysis cannot see into.
package methodrule

import "golang.org/x/sys/windows"

type HRESULT uint32

const (
	S_OK    HRESULT = 0
	S_FALSE HRESULT = 1
)

type IWSDSSLClientCertificate struct {
	getMappedAccessToken func(*windows.Handle) HRESULT
}

func (c *IWSDSSLClientCertificate) GetMappedAccessToken(h *windows.Handle) HRESULT {
	return c.getMappedAccessToken(h)
}

type IHttpUser struct {
	getImpersonationToken func() windows.Handle
}

func (u *IHttpUser) GetImpersonationToken() windows.Handle { return u.getImpersonationToken() }

func mappedRight(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	if c.GetMappedAccessToken(&h) != S_OK {
		return false
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated()
}

func mappedSFalse(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	switch c.GetMappedAccessToken(&h) {
	case S_OK:
		defer windows.CloseHandle(h)
		return windows.Token(h).IsElevated()
	case S_FALSE:
		return false
	}
	return false
}

func mappedLeak(c *IWSDSSLClientCertificate) bool {
	var h windows.Handle
	if c.GetMappedAccessToken(&h) != S_OK { // want `token from \(\*methodrule.IWSDSSLClientCertificate\).GetMappedAccessToken is not closed on every path`
		return false
	}
	return windows.Token(h).IsElevated()
}

func impersonateClose(u *IHttpUser) error { // want impersonateClose:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	tok := u.GetImpersonationToken()
	defer windows.CloseHandle(tok) // want `the deferred windows.CloseHandle closes a borrowed handle from \(\*methodrule.IHttpUser\).GetImpersonationToken`
	return windows.SetThreadToken(nil, windows.Token(tok))
}

func impersonateRight(u *IHttpUser) error { // want impersonateRight:`thread: impersonates \(needs lock, error gate\) golang.org/x/sys/windows.SetThreadToken`
	return windows.SetThreadToken(nil, windows.Token(u.GetImpersonationToken()))
}

// Certificate is the interface spelling, the method returning the HRESULT.
type Certificate interface {
	GetMappedAccessToken(h *windows.Handle) HRESULT
}

func ifaceRight(c Certificate) bool {
	var h windows.Handle
	if hr := c.GetMappedAccessToken(&h); hr == S_FALSE || hr != S_OK {
		return false
	}
	defer windows.CloseHandle(h)
	return windows.Token(h).IsElevated()
}

func ifaceLeak(c Certificate) bool {
	var h windows.Handle
	if c.GetMappedAccessToken(&h) != S_OK { // want `token from \(methodrule.Certificate\).GetMappedAccessToken is not closed on every path`
		return false
	}
	return windows.Token(h).IsElevated()
}
