package driver

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWindowsOnlyFile checks which files count as Windows-only: a type
// error there is an error, elsewhere in a Windows build it means that the
// package does not support Windows.
func TestWindowsOnlyFile(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, header string
		want         bool
	}{
		{"svc_windows.go", "", true},
		{"svc_windows_test.go", "", true},
		{"svc_windows_amd64.go", "", true},
		{"windows.go", "", false},
		{"windows_test.go", "", false},
		{"fd_linux.go", "", false},
		{"common.go", "", false},
		{"tag.go", "//go:build windows\n", true},
		{"tagarch.go", "// Copyright\n\n//go:build windows && (amd64 || arm64)\n", true},
		{"cgo.go", "//go:build windows && cgo\n", true},
		{"notlinux.go", "//go:build !linux\n", false},
		{"other.go", "//go:build !unix\n", false},
		{"winordarwin.go", "//go:build windows || darwin\n", false},
		{"notunix.go", "//go:build !unix && !js && !wasip1 && !plan9\n", true},
		{"block.go", "/* a\nblock */\n//go:build windows\n", true},
		{"late.go", "package p\n//go:build windows\n", false},
	} {
		file := filepath.Join(dir, c.name)
		if err := os.WriteFile(file, []byte(c.header+"\npackage p\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := windowsOnlyFile(file); got != c.want {
			t.Errorf("%s with %q: Windows-only = %v, want %v", c.name, c.header, got, c.want)
		}
	}
}
