// Package leakrelated holds leaks whose handle goes out of use before the
// function returns: each report names, as its related position, a return
// that still holds the handle (the line marked "held"), not the
// acquisition itself. TestLeakRelated checks the positions.
package leakrelated

import (
	"os"

	"golang.org/x/sys/windows"
)

// user is the README's example: the token of an out parameter, used by a
// method, never closed.
func user(session uint32) (string, error) {
	var tok windows.Token
	if err := windows.WTSQueryUserToken(session, &tok); err != nil { // want `token from windows.WTSQueryUserToken is not closed on every path`
		return "", err
	}
	u, err := tok.GetTokenUser()
	if err != nil {
		return "", err // held
	}
	return u.User.Sid.String(), nil
}

// check: the token's last use is in the condition.
func check(session uint32) error {
	var tok windows.Token
	if err := windows.WTSQueryUserToken(session, &tok); err != nil { // want `token from windows.WTSQueryUserToken is not closed on every path`
		return err
	}
	if _, err := tok.GetTokenUser(); err != nil {
		return err // held
	}
	return nil
}

// stat: a File from a result, for comparison.
func stat(p string) error {
	f, err := os.Open(p) // want `file from os.Open is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := f.Stat(); err != nil {
		return err // held
	}
	return nil
}
