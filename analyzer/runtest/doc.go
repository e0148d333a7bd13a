// Package runtest holds no code: its tests are the analyzer's heaviest
// runs over whole packages (the Windows cases, determinism over three
// runs, a rule that does not fit under each driver). It is a package of its
// own so that its tests are a test binary of their own, with go test's
// timeout to themselves: in the analyzer's binary they took it to 500 s of
// the 600 on a loaded 2-core machine.
package runtest
