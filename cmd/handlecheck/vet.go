package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// resolveVetRules makes a's -rules flag resolve relative paths against the
// root of the module being vetted (the directory of the nearest go.mod
// above the working directory).
//
// go vet runs its tool in each package's directory, so a relative path
// would otherwise mean a different file in each package; run from the
// module root, as go vet ./... usually is, the path means what it says.
func resolveVetRules(a *analysis.Analyzer) {
	f := a.Flags.Lookup("rules")
	if f == nil {
		return
	}
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	f.Value = rulesInModule{f.Value, moduleRoot(wd)}
}

// rulesInModule is a -rules flag whose relative paths are relative to root.
type rulesInModule struct {
	flag.Value
	root string
}

func (r rulesInModule) Set(s string) error {
	files := strings.Split(s, ",")
	for i, f := range files {
		if f = strings.TrimSpace(f); f != "" && !filepath.IsAbs(f) {
			files[i] = filepath.Join(r.root, f)
		}
	}
	return r.Value.Set(strings.Join(files, ","))
}

// moduleRoot is the directory of the nearest go.mod at or above dir, or
// dir itself when there is none.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
