// Package constloop holds a loop of constant bounds, which runs at least
// once, that releases the handle (std net/error_test.go:782, server_test.go:63
// and :145 with the net rules). The engine takes the path where the loop
// never runs, and reports a leak there.
package constloop

import "os"

// closeEach closes f in the first iteration of a loop that runs three
// times: later Closes only return errors.
func closeEach(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	for i := 0; i < 3; i++ {
		f.Close()
	}
}
