// Package comtest holds no code: its tests are the analyzer's tests of COM
// interfaces, wrappers, vtables and HRESULTs (the analyzer's own package
// tests the rest). It is a package of its own so that its tests are a test
// binary of their own, with go test's timeout to themselves; together with
// the analyzer's they came near it on a loaded 2-core machine.
package comtest
