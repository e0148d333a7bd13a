package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// version is the version of the module handlecheck was built from, as the
// go command recorded it: a tag (v0.1.0) for go install ...@v0.1.0; for a
// build in a clone, a pseudo-version from the commit, with "+dirty" for
// uncommitted changes; "devel" when the go command recorded none.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "devel"
	}
	return info.Main.Version
}

// longVersion is -version's line: the version, the commit when the go
// command recorded one, and the Go version it was built with.
func longVersion() string {
	s := "handlecheck " + version()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return s
	}
	var rev, modified string
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			modified = kv.Value
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		s += " (commit " + rev
		if modified == "true" {
			s += ", modified"
		}
		s += ")"
	}
	return s + " built with " + info.GoVersion
}

// executableID is a hash of the running executable, for -V=full: go vet
// keys its cache of a vet tool's results on that line, so a rebuilt binary
// must not reuse the old results.
func executableID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
