package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/handlecheck/handlecheck/analyzer"
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

// reportRulesErrorOnce makes a rules error (a rules file that does not
// load, a rule that does not fit the function it names) one error of the go
// vet run, reported in full once, rather than once per package.
//
// go vet runs the tool once per package, dependencies included, does not
// stop at a failing one, and prints each failure under the package's path.
// A rules error must fail the tool's process: go vet caches a package whose
// tool exits 0 (since Go 1.26 even one whose -json output holds an error,
// which the next run then replays as a success). So the first package that
// go vet asked for (not a dependency analyzed only for its facts, whose
// errors go vet does not show) prints the error in full, the others print
// one line that names that package, and all exit 1. The first is the one
// that creates a file named after the error in go vet's work directory
// ($WORK, the parent of each package's output directory), which the go
// command makes for each run and removes after it. A package that imports
// a failed one cannot be type-checked (its facts file is missing) and says
// the same line instead of "could not import". Where the configuration does
// not have that layout (another driver of the vet protocol), every package
// reports the error in full.
func reportRulesErrorOnce(cfgFile string) {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return
	}
	var unit struct {
		ImportPath  string
		VetxOnly    bool
		VetxOutput  string
		PackageFile map[string]string
		PackageVetx map[string]string
	}
	if json.Unmarshal(data, &unit) != nil || unit.VetxOnly {
		return
	}
	work, ok := vetWorkDir(unit.VetxOutput)
	if !ok {
		return
	}
	fail := func(msg string) {
		fmt.Fprintf(os.Stderr, "handlecheck: %s\n", msg)
		os.Exit(1)
	}
	if by := reportedRulesError(work); by != "" {
		for pkg := range unit.PackageFile {
			if vetx, ok := unit.PackageVetx[pkg]; !ok || !exists(vetx) {
				fail(onceMore(by))
			}
		}
	}
	analyzer.OnRulesError = func(err error) error {
		sum := sha256.Sum256([]byte(err.Error()))
		claim := filepath.Join(work, rulesErrorClaim+hex.EncodeToString(sum[:8]))
		// The claim is made whole or not at all: a file with the
		// package's path, linked to the claim's name, which fails if
		// another package linked it first. (Created in place and then
		// written, another process could read it empty.)
		tmp, terr := os.CreateTemp(work, "handlecheck-claim-")
		if terr == nil {
			_, werr := tmp.WriteString(unit.ImportPath)
			if cerr := tmp.Close(); werr == nil {
				werr = cerr
			}
			if werr == nil {
				lerr := os.Link(tmp.Name(), claim)
				os.Remove(tmp.Name())
				switch {
				case lerr == nil:
					fail(err.Error())
				case errors.Is(lerr, fs.ErrExist):
					by, _ := os.ReadFile(claim)
					fail(onceMore(string(by)))
				}
			} else {
				os.Remove(tmp.Name())
			}
		}
		fail(err.Error())
		return err
	}
}

// rulesErrorClaim begins the name of the file in go vet's work directory
// that the package reporting a rules error creates.
const rulesErrorClaim = "handlecheck-rules-error-"

// reportedRulesError returns the package under which a rules error of this
// go vet run was reported, if one was.
func reportedRulesError(work string) string {
	claims, _ := filepath.Glob(filepath.Join(work, rulesErrorClaim+"*"))
	for _, c := range claims {
		if by, err := os.ReadFile(c); err == nil {
			if len(by) == 0 {
				return "another package"
			}
			return string(by)
		}
	}
	return ""
}

// onceMore is the line of a package whose rules error is reported under
// package by.
func onceMore(by string) string {
	if by == "" {
		by = "another package"
	}
	return "the rules have errors, reported once, under " + by
}

// vetPkgDir matches the name of the output directory of one action of the
// go command, b001, in its work directory.
var vetPkgDir = regexp.MustCompile(`^b[0-9]+$`)

// vetWorkDir returns the go command's work directory of a package whose
// facts go vet asks to be written to vetx ($WORK/b001/vet.out).
func vetWorkDir(vetx string) (string, bool) {
	if vetx == "" || !filepath.IsAbs(vetx) {
		return "", false
	}
	pkgDir := filepath.Dir(vetx)
	if !vetPkgDir.MatchString(filepath.Base(pkgDir)) {
		return "", false
	}
	work := filepath.Dir(pkgDir)
	if !strings.HasPrefix(filepath.Base(work), "go-build") {
		return "", false
	}
	return work, true
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}
