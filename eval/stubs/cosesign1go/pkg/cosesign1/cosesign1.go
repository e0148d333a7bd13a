// Package cosesign1 is a type-only stand-in for
// github.com/Microsoft/cosesign1go/pkg/cosesign1: the declarations that
// github.com/Microsoft/hcsshim v0.15.0 uses, with bodies that do nothing
// useful. See ../../README.md.
package cosesign1

import (
	"crypto"
	"errors"
)

// COSE_Header_CWTClaims is the COSE header label of the CWT claims.
const COSE_Header_CWTClaims = 15

var errStub = errors.New("cosesign1 stub: not implemented")

// ParsedCOSEReceipt is a transparency receipt of a COSE_Sign1 envelope.
type ParsedCOSEReceipt struct {
	Issuer string
	Kid    string
}

// Validate checks the receipt against the ledger keys.
func (r ParsedCOSEReceipt) Validate(keys map[string]crypto.PublicKey) error { return errStub }

// UnpackedCoseSign1 is an unpacked COSE_Sign1 envelope.
type UnpackedCoseSign1 struct {
	Issuer      string
	Feed        string
	ContentType string
	Pubkey      string
	Pubcert     string
	ChainPem    string
	Payload     []byte
	CertChain   [][]byte
	Protected   map[any]any
	Receipts    []ParsedCOSEReceipt
}

// UnpackAndValidateCOSE1CertChain unpacks and validates an envelope.
func UnpackAndValidateCOSE1CertChain(raw []byte) (*UnpackedCoseSign1, error) {
	return nil, errStub
}

// ParseTTLPayload parses a transparency trust list.
func ParseTTLPayload(payload []byte) (map[string]map[string]crypto.PublicKey, error) {
	return nil, errStub
}
