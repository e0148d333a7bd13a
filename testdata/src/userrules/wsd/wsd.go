// Package wsd is a user's Go binding of WSDAPI's IWSDSSLClientCertificate.
// GetMappedAccessToken writes a token "the caller must free ... by calling
// CloseHandle"; handlecheck knows that only from a user rule.
package wsd

import "golang.org/x/sys/windows"

// IWSDSSLClientCertificate is the binding of the WSDAPI interface.
type IWSDSSLClientCertificate interface {
	GetClientCertificate() (uintptr, error)
	GetMappedAccessToken(phToken *windows.Handle) error
}
