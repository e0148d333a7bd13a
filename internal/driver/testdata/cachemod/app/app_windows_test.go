package app

import (
	"testing"

	"handlecheck.test/cachemod/lib"
)

func TestToken(t *testing.T) {
	tok, err := lib.Token() // leaked by the test
	if err != nil {
		t.Fatal(err)
	}
	t.Log(tok.IsElevated())
}
