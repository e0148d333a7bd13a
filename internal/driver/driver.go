// Package driver runs an analyzer over packages it loads itself, as
// handlecheck's standalone command does, and returns the diagnostics as
// findings that outputs and baselines can use.
//
// Windows code hides from a Linux run: files named *_windows.go or
// constrained to windows are not built for GOOS=linux. Unless Options.GOOS
// fixes one platform, Run analyzes the packages as built for this machine
// and, where they hold files that only Windows builds (or do not build here
// at all), as built for Windows too, and merges the two.
package driver

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck/internal/cache"
)

// Options say what Run analyzes.
type Options struct {
	Analyzer *analysis.Analyzer
	Patterns []string
	// Dir is the directory the patterns are relative to; "" means the
	// current one.
	Dir string
	// GOOS fixes the platform. When empty, Run analyzes this machine's
	// GOOS and, for packages with Windows-only files, windows.
	GOOS string
	// Tests analyzes test files too.
	Tests bool
	// BuildFlags are passed to the go command, such as "-tags=a,b".
	BuildFlags []string
	// Env is the environment of the go command; nil means os.Environ().
	Env []string
	// Cache, when set, holds the results of earlier runs with the same
	// configuration: a root package whose files and dependencies have not
	// changed is not loaded again.
	Cache *cache.Cache
	// Roots, when set, is told the paths of the root packages of each
	// platform's load before they are analyzed.
	Roots func(paths []string)
}

// A Result is what one Run found.
type Result struct {
	// Findings are the diagnostics, de-duplicated across platforms and test
	// variants, in file and line order.
	Findings []Finding
	// Errors are the packages that did not load or analyze, on every
	// platform that was tried.
	Errors []Error
	// Variants are the platforms analyzed, this machine's first.
	Variants []Variant
	// Warnings are problems that did not stop the run, such as a Windows
	// listing that failed.
	Warnings []string
	// Skipped are the Windows builds of packages that do not support
	// Windows: they fail to type-check for windows only in files that
	// every platform compiles. They are no errors; see Run.
	Skipped []Error
	// GivenUp are the handles the analyzer gave up following in the root
	// packages (an analyzer whose result has a GivenUpDiagnostics method
	// says which: handlecheck's engine, past a budget of a function), as
	// findings that are not reported: nothing is reported about them. In
	// file order, once each although several platforms meet them.
	GivenUp []Finding
}

// An Error is a package that could not be loaded or analyzed.
type Error struct {
	PkgID string
	GOOS  string
	// Analyzer names the analyzer that failed; it is empty when the
	// package did not load.
	Analyzer string
	// Msg is the analyzer's error, or the package's errors as
	// "position: message" lines.
	Msg string
}

// String is the error as singlechecker prints it (without go list's "-"
// position for errors that have none).
func (e Error) String() string {
	if e.Analyzer != "" {
		return e.Analyzer + ": " + e.Msg
	}
	return e.Msg
}

// A Variant is one platform the packages were analyzed for.
type Variant struct {
	GOOS string
	// Packages is the number of packages analyzed as built for GOOS.
	Packages int
	// OnlyFiles is the number of files analyzed only as built for GOOS,
	// for every variant but the first.
	OnlyFiles int
}

// Run loads the packages and analyzes them. It returns an error only when
// nothing could be loaded at all, or when the patterns match no package on
// any platform tried.
//
// Without Options.GOOS, on a machine that is not Windows, it analyzes the
// host's build and the Windows build of the packages that Windows builds
// from files the host does not build (or that do not load here). A pattern
// that matches only Windows packages is fine then. In that Windows build,
// a package whose type errors are all in files that every platform
// compiles (not *_windows.go, not constrained to windows) does not support
// Windows: its Windows build is skipped (Result.Skipped), not an error. A
// type error in a Windows-only file stays an error.
func Run(opts Options) (*Result, error) {
	if len(opts.Patterns) == 0 {
		opts.Patterns = []string{"."}
	}
	host := opts.GOOS
	if host == "" {
		host = goenv(opts.Env, "GOOS", runtime.GOOS)
	}
	first, err := analyze(opts, host, opts.Patterns)
	if err != nil {
		return nil, err
	}
	res := &Result{Variants: []Variant{{GOOS: host, Packages: first.analyzed()}}}
	variants := []*variant{first}
	if opts.GOOS == "" && host != "windows" {
		paths, files, err := windowsOnly(opts, first)
		switch {
		case err != nil:
			res.Warnings = append(res.Warnings, fmt.Sprintf("Windows-only files were not analyzed: listing the packages for GOOS=windows failed (%v); run again with -goos=windows", err))
		case len(paths) > 0:
			win, err := analyze(opts, "windows", paths)
			if err != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%d Windows-only files were not analyzed: loading the packages for GOOS=windows failed (%v); run again with -goos=windows", files, err))
				break
			}
			res.Skipped = win.skipUnsupported()
			variants = append(variants, win)
			res.Variants = append(res.Variants, Variant{GOOS: "windows", Packages: win.analyzed(), OnlyFiles: files})
		}
	}
	if len(variants) == 1 && len(first.roots) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(opts.Patterns, " "))
	}
	merge(res, variants)
	return res, nil
}

// A variant is the analysis of the packages as built for one GOOS.
type variant struct {
	goos  string
	roots []*packages.Package
	// broken holds the root packages that did not load cleanly, with their
	// errors.
	broken map[string][]loadError
	// files holds the files of the root packages that were analyzed.
	files map[string]bool
	// skipped holds the broken root packages whose errors are no errors:
	// Windows builds of packages that do not support Windows.
	skipped map[string]bool
	// results are the roots' results, from this run or from the cache.
	results []*result
}

func (v *variant) analyzed() int {
	n := 0
	for _, p := range v.roots {
		if v.broken[p.ID] == nil {
			n++
		}
	}
	return n
}

// analyze loads patterns as built for goos and runs the analyzer on them.
func analyze(opts Options, goos string, patterns []string) (*variant, error) {
	if opts.Cache != nil {
		return analyzeCached(opts, goos, patterns)
	}
	roots, err := load(opts, goos, listMode, patterns)
	if err != nil {
		return nil, err
	}
	if testLoaded != nil {
		testLoaded(goos, roots)
	}
	if opts.Roots != nil {
		var paths []string
		for _, p := range roots {
			paths = append(paths, p.PkgPath)
		}
		opts.Roots(paths)
	}
	if err := analysis.Validate([]*analysis.Analyzer{opts.Analyzer}); err != nil {
		return nil, err
	}
	acts := analyzeSource(opts.Analyzer, roots)
	v := &variant{goos: goos, roots: roots, broken: map[string][]loadError{}, files: map[string]bool{}}
	for _, p := range roots {
		if errs := loadErrors(p); len(errs) > 0 {
			v.broken[p.ID] = errs
			continue
		}
		for _, f := range p.CompiledGoFiles {
			v.files[f] = true
		}
	}
	v.results = v.liveResults(acts)
	return v, nil
}

func load(opts Options, goos string, mode packages.LoadMode, patterns []string) ([]*packages.Package, error) {
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	cfg := &packages.Config{
		Mode:       mode,
		Dir:        opts.Dir,
		Env:        append(env[:len(env):len(env)], "GOOS="+goos),
		Tests:      opts.Tests,
		BuildFlags: opts.BuildFlags,
	}
	return packages.Load(cfg, patterns...)
}

// A loadError is an error of a package or of a package it imports.
type loadError struct {
	pos string // "file:line:col", or "" when the error has no position
	msg string
}

func (e loadError) String() string {
	if e.pos == "" {
		return e.msg
	}
	return e.pos + ": " + e.msg
}

// loadErrors lists the errors of p and of the packages it imports, as
// packages.PrintErrors would print them, but without the position "-"
// that go list gives errors that have none.
func loadErrors(p *packages.Package) []loadError {
	var errs []loadError
	packages.Visit([]*packages.Package{p}, nil, func(q *packages.Package) {
		for _, err := range q.Errors {
			e := loadError{pos: err.Pos, msg: err.Msg}
			if e.pos == "-" {
				e.pos = ""
			}
			if !slices.Contains(errs, e) {
				errs = append(errs, e)
			}
		}
		if q.Module != nil && q.Module.Error != nil {
			errs = append(errs, loadError{msg: q.Module.Error.Err})
		}
	})
	return errs
}

// joinErrors is errs as lines.
func joinErrors(errs []loadError) string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.String()
	}
	return strings.Join(lines, "\n")
}

// windowsOnly lists, by import path, the packages of opts.Patterns that
// Windows builds from files this machine does not build, or that did not
// load here. It also counts those files.
func windowsOnly(opts Options, host *variant) (paths []string, files int, err error) {
	win, err := load(opts, "windows", packages.NeedName|packages.NeedFiles, opts.Patterns)
	if err != nil {
		return nil, 0, err
	}
	built := map[string]bool{}
	broken := map[string]bool{}
	for _, p := range host.roots {
		for _, f := range p.GoFiles {
			built[f] = true
		}
		if host.broken[p.ID] != nil {
			broken[p.PkgPath] = true
		}
	}
	need := map[string]bool{}
	counted := map[string]bool{}
	for _, p := range win {
		if p.PkgPath == "" || p.PkgPath == "command-line-arguments" || isTestMain(p) {
			continue // file patterns and generated test mains
		}
		path := strings.TrimSuffix(p.PkgPath, "_test")
		if broken[p.PkgPath] || broken[path] {
			need[path] = true
		}
		for _, f := range p.GoFiles {
			if !built[f] && !counted[f] {
				counted[f] = true
				files++
				need[path] = true
			}
		}
	}
	for path := range need {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	return paths, files, nil
}

// needFacts reports whether a or an analyzer it requires uses facts, so
// that dependencies must be analyzed from source too.
func needFacts(a *analysis.Analyzer) bool {
	if len(a.FactTypes) > 0 {
		return true
	}
	for _, req := range a.Requires {
		if needFacts(req) {
			return true
		}
	}
	return false
}

// goenv is the value of name in env (os.Environ() when nil), or the go
// command's default.
func goenv(env []string, name, def string) string {
	if env == nil {
		env = os.Environ()
	}
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok && v != "" {
			return v
		}
	}
	return def
}

// isTestMain reports whether p is the generated main package of a test
// binary, whose only file is in the build cache.
func isTestMain(p *packages.Package) bool {
	return p.Name == "main" && strings.HasSuffix(p.ID, ".test")
}
