// Package freshE1 holds the false alarms of set E's first contact
// (eval/fresh/triage-E.yaml) that a rule got wrong, from
// github.com/tailscale/certstore (certstore_windows.go:194 and :564).
package freshE1

import (
	"golang.org/x/sys/windows"
)

type identity struct{ chain []*windows.CertContext }

// newIdentity is certstore's newWinIdentity: the duplicate is the same
// context with one more reference, which Close frees through chain.
func newIdentity(chain []*windows.CertContext) *identity {
	for _, ctx := range chain {
		windows.CertDuplicateCertificateContext(ctx)
	}
	return &identity{chain: chain}
}

func (i *identity) Close() {
	for _, ctx := range i.chain {
		windows.CertFreeCertificateContext(ctx)
	}
}

// keptDup keeps the duplicate and never frees it: a leak.
func keptDup(ctx *windows.CertContext) bool {
	dup := windows.CertDuplicateCertificateContext(ctx) // want `cert-context from windows.CertDuplicateCertificateContext is not closed on every path`
	return dup.EncodingType != 0
}

// freedDup keeps the duplicate and frees it.
func freedDup(ctx *windows.CertContext) bool {
	dup := windows.CertDuplicateCertificateContext(ctx)
	defer windows.CertFreeCertificateContext(dup)
	return dup.EncodingType != 0
}

// deleteKeySet is certstore's Delete: with CRYPT_DELETEKEYSET the call
// deletes the container and hands out no provider.
func deleteKeySet(container, provider *uint16, provType uint32) error {
	var prov windows.Handle
	if err := windows.CryptAcquireContext(&prov, container, provider, provType, windows.CRYPT_DELETEKEYSET); err != nil {
		return err
	}
	return nil
}

// silentDelete adds CRYPT_SILENT: still no provider.
func silentDelete(container, provider *uint16, provType uint32) error {
	var prov windows.Handle
	return windows.CryptAcquireContext(&prov, container, provider, provType, windows.CRYPT_DELETEKEYSET|windows.CRYPT_SILENT)
}

// verifyContext acquires a provider and never releases it: a leak.
func verifyContext(provType uint32) error {
	var prov windows.Handle
	if err := windows.CryptAcquireContext(&prov, nil, nil, provType, windows.CRYPT_VERIFYCONTEXT); err != nil { // want `crypt-provider from windows.CryptAcquireContext is not closed on every path`
		return err
	}
	return nil
}
