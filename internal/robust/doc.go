// Package robust holds no code: its test runs the command over all of the
// standard library and golang.org/x/sys, for windows and linux. It is a
// package of its own so that this, the heaviest test, is a test binary of
// its own, with go test's timeout to itself, and not one more test in the
// analyzer's binary.
package robust
