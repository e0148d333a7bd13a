// Package firstcontact holds no code: its tests are a new user's first
// contact with the handlecheck command (issue 16), run on the binary: the
// default run on single-platform code, the command line and the text
// output. They are a package of their own, apart from cmd/handlecheck's
// other end-to-end tests, so that each test binary stays well within go
// test's default timeout on a loaded machine.
package firstcontact
