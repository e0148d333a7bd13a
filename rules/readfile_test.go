package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFile checks that ReadFile reads a regular file, refuses a
// device and a directory before reading, and refuses a file over the
// limit without reading all of it.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("resources: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(ok); err != nil || string(data) != "resources: []\n" {
		t.Errorf("ReadFile(%s) = %q, %v", ok, data, err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", MaxFileSize+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	atLimit := filepath.Join(dir, "limit.yaml")
	if err := os.WriteFile(atLimit, []byte(strings.Repeat("#", MaxFileSize)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(atLimit); err != nil {
		t.Errorf("ReadFile of a file of exactly MaxFileSize bytes: %v", err)
	}
	for _, c := range []struct{ name, want string }{
		{big, big + ": file is too large (limit 262144 bytes)"},
		{"/dev/zero", "/dev/zero: not a regular file (a character device)"},
		{dir, dir + ": not a regular file (a directory)"},
	} {
		_, err := ReadFile(c.name)
		if err == nil || err.Error() != c.want {
			t.Errorf("ReadFile(%s) error = %v, want %q", c.name, err, c.want)
		}
	}
	// Parse says the same of data over the limit.
	_, err := Parse("x.yaml", []byte(strings.Repeat("#", MaxFileSize+1)))
	if err == nil || err.Error() != "x.yaml:1:1: file is too large (limit 262144 bytes)" {
		t.Errorf("Parse of a large file: %v", err)
	}
}

// TestReadFileMissing checks that a missing file is reported as
// os.ReadFile reports it.
func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile("/nonexistent/rules.yaml")
	if err == nil || err.Error() != "open /nonexistent/rules.yaml: no such file or directory" {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}
