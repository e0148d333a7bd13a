// Package apitest holds no code: its tests are the analyzer's tests of
// real APIs and real-world shapes (os.File descriptors, Win32 procedures
// through zsyscall_windows.go files and raw addresses, the recall cases,
// the engine shapes of issue 12, the first-contact cases, facts under go
// vet). It is a package of its own so that its tests are a test binary of
// their own, with go test's timeout to themselves; together with the
// analyzer's they came near it on a loaded 2-core machine.
package apitest
