// Package lib hands out a process token: its Summary fact tells the
// packages that import it that the caller owns the token.
package lib

import "golang.org/x/sys/windows"

// Token opens the token of this process; the caller must close it.
func Token() (windows.Token, error) {
	var tok windows.Token
	err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok)
	return tok, err
}
