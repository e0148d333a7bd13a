package apitest_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestWin32 checks the native-procedure rules of rules_win32.yaml and
// rules_win32_overlay.yaml through a third-party mkwinsyscall-style
// zsyscall_windows.go on the real x/sys LazyDLL: crypt32 stores and
// contexts (the previous context passed back into CertFind and CertEnum
// frees it), NCrypt and BCrypt handles, PSS snapshots, LSA connections,
// logon tokens, profile buffers and policies, WTS servers, SetupDi sets,
// window stations and desktops, WinHTTP handles, heaps, and x/sys's own
// procedures (CreateFileW, RegOpenKeyExW) called through other wrappers.
func TestWin32(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./win32api")
}
