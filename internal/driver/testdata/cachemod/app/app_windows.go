// Package app uses lib's token: whether it leaks depends on lib's
// summary.
package app

import "handlecheck.test/cachemod/lib"

// Elevated leaks the token from lib.Token.
func Elevated() bool {
	tok, err := lib.Token()
	if err != nil {
		return false
	}
	return tok.IsElevated()
}

// Accepted leaks it too, and says why that is fine.
func Accepted() bool {
	//handlecheck:ignore leak the process exits right after
	tok, _ := lib.Token()
	return tok.IsElevated()
}

// Stale suppresses a leak that is not there.
func Stale() {
	//handlecheck:ignore leak nothing leaks here any more
	println("no token")
}
