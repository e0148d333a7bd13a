package driver

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck/internal/cache"
)

// testLoaded, when set by tests, learns which root packages were loaded
// with syntax and analyzed.
var testLoaded func(goos string, roots []*packages.Package)

// A result is what the analysis of one root package produced, before the
// variants are merged: what merge needs, and what the cache stores.
// Suppressions were applied by the analyzer; stale directives are among
// the findings, and merge decides across platforms which to keep.
type result struct {
	ID string
	// Broken holds the package's load errors; it was not analyzed then.
	Broken []LoadError
	// Files are the package's compiled Go files.
	Files []string
	// Errors are the analyzer's errors.
	Errors []Error
	// Findings are its diagnostics, in the order the analyzer reported
	// them, with GOOS unset.
	Findings []Finding
	// GivenUp are the handles the analyzer did not follow (see
	// Result.GivenUp), with GOOS unset.
	GivenUp []Finding
}

// liveResults collects the results of the roots of v, which were
// analyzed in this run: acts are the root actions, in the order of
// v.roots.
func (v *variant) liveResults(acts []*action) []*result {
	var out []*result
	for i, p := range v.roots {
		r := &result{ID: p.ID, Broken: exportErrors(v.broken[p.ID])}
		out = append(out, r)
		if r.Broken != nil {
			continue
		}
		r.Files = slices.Clone(p.CompiledGoFiles)
		act := acts[i]
		if act.err != nil {
			for _, c := range causes(act) {
				r.Errors = append(r.Errors, Error{PkgID: c.pkg.p.ID, GOOS: v.goos, Analyzer: c.a.Name, Msg: c.err.Error()})
			}
			continue
		}
		r.Findings = act.pkg.findings
		r.GivenUp = act.pkg.givenUp
	}
	return out
}

// analyzeCached is analyze with a cache. It lists the packages without
// loading them, and computes each one's key from its files and its
// dependencies' keys. The roots whose results are in the cache are not
// loaded at all; the others are loaded and analyzed as without a cache
// (their dependencies from source), and their results stored.
func analyzeCached(opts Options, goos string, patterns []string) (*variant, error) {
	run := runKey(opts, goos, patterns)
	var seen bool
	if !opts.Cache.Get(run, &seen) && needFacts(opts.Analyzer) {
		return analyzeCold(opts, goos, patterns, run)
	}
	list, err := load(opts, goos, packages.NeedName|packages.NeedFiles|packages.NeedImports|packages.NeedDeps|packages.NeedModule|packages.NeedForTest, patterns)
	if err != nil {
		return nil, err
	}
	keys := packageKeys(opts, goos, list)
	v := &variant{goos: goos, roots: list, broken: map[string][]loadError{}, files: map[string]bool{}}
	byID := map[string]*result{}
	var miss []*packages.Package
	for _, p := range list {
		r := new(result)
		if k, ok := keys[p]; ok && opts.Cache.Get(k, r) && r.ID == p.ID {
			byID[p.ID] = r
			continue
		}
		miss = append(miss, p)
	}
	if len(miss) > 0 {
		live, err := analyzeMisses(opts, goos, patterns, miss)
		if err != nil {
			return nil, err
		}
		for _, r := range live {
			if _, root := byID[r.ID]; root || !slices.ContainsFunc(miss, func(p *packages.Package) bool { return p.ID == r.ID }) {
				continue // a hit after all, or no root of this run
			}
			byID[r.ID] = r
		}
		for _, p := range miss {
			r := byID[p.ID]
			if k, ok := keys[p]; ok && r != nil && len(r.Errors) == 0 {
				opts.Cache.Put(k, r) // a failed write costs the next run time, nothing else
			}
		}
	}
	for _, p := range list {
		r := byID[p.ID]
		if r == nil {
			// Listed, but not among the roots of the load: as if it had
			// not loaded.
			r = &result{ID: p.ID, Broken: []LoadError{{Msg: p.ID + ": not loaded"}}}
		}
		if r.Broken != nil {
			v.broken[p.ID] = importErrors(r.Broken)
		}
		for _, f := range r.Files {
			v.files[f] = true
		}
		v.results = append(v.results, r)
	}
	return v, nil
}

// analyzeCold is a first run with these patterns and configuration: it
// loads and analyzes everything without listing first, computes the keys
// from the packages it loaded and stores the results. The listing would
// cost a cold run a tenth of its time.
func analyzeCold(opts Options, goos string, patterns []string, run cache.Key) (*variant, error) {
	cc := opts.Cache
	opts.Cache = nil
	v, err := analyze(opts, goos, patterns)
	if err != nil {
		return nil, err
	}
	opts.Cache = cc
	keys := packageKeys(opts, goos, v.roots)
	for i, p := range v.roots {
		if k, ok := keys[p]; ok && len(v.results[i].Errors) == 0 {
			cc.Put(k, v.results[i])
		}
	}
	cc.Put(run, true)
	return v, nil
}

// runKey names a run's patterns, directory and options, so that a run can
// tell that it is the first of its kind.
func runKey(opts Options, goos string, patterns []string) cache.Key {
	h := opts.Cache.NewHash("run")
	h.String(goos)
	h.String(goenv(opts.Env, "GOARCH", runtime.GOARCH))
	h.String(opts.Dir)
	if opts.Dir == "" {
		wd, _ := os.Getwd()
		h.String(wd)
	}
	h.String(fmt.Sprint(opts.Tests, patterns, opts.BuildFlags))
	return h.Sum()
}

// analyzeMisses loads and analyzes the roots that missed the cache, by
// their import paths when it can (with tests, a package's path brings its
// test variants too), or else by the original patterns.
func analyzeMisses(opts Options, goos string, patterns []string, miss []*packages.Package) ([]*result, error) {
	opts.Cache = nil
	if paths := missPaths(miss); paths != nil {
		v, err := analyze(opts, goos, paths)
		if err != nil {
			return nil, err
		}
		if covers(v.results, miss) {
			return v.results, nil
		}
	}
	v, err := analyze(opts, goos, patterns)
	if err != nil {
		return nil, err
	}
	return v.results, nil
}

// missPaths are the import paths that load the packages miss, or nil when
// some cannot be loaded by path (file patterns, packages outside a module).
func missPaths(miss []*packages.Package) []string {
	var paths []string
	for _, p := range miss {
		path := p.PkgPath
		switch {
		case p.ForTest != "":
			path = p.ForTest
		case isTestMain(p):
			path = strings.TrimSuffix(path, ".test")
		}
		if path == "" || path == "command-line-arguments" || strings.HasPrefix(path, "_") || strings.ContainsAny(path, " \t") {
			return nil
		}
		if !slices.Contains(paths, path) {
			paths = append(paths, path)
		}
	}
	return paths
}

// covers reports whether results hold a result for each package of pkgs.
func covers(results []*result, pkgs []*packages.Package) bool {
	for _, p := range pkgs {
		if !slices.ContainsFunc(results, func(r *result) bool { return r.ID == p.ID }) {
			return false
		}
	}
	return true
}

// packageKeys computes the cache key of each package of the listing that
// has one. A package's key covers its identity, the platform, the
// contents of its files and the keys of the packages it imports.
// Whatever else decides which files a package has and which packages it
// imports (go.mod, build tags, GOFLAGS) shows in the listing, and so in
// the keys; so do the listing's errors. A package has no key when one of
// its files cannot be read.
//
// A cold run computes the keys from the packages it loaded with their
// compiled files, a warm run from a listing without them: the keys take
// only what both say alike (see noGoFiles and sourceImports).
func packageKeys(opts Options, goos string, list []*packages.Package) map[*packages.Package]cache.Key {
	goarch := goenv(opts.Env, "GOARCH", runtime.GOARCH)
	keys := map[*packages.Package]cache.Key{}
	packages.Visit(list, nil, func(p *packages.Package) {
		h := opts.Cache.NewHash("package")
		h.String(goos)
		h.String(goarch)
		h.String(p.ID)
		h.String(p.PkgPath)
		h.String(p.Name)
		h.String(p.Dir)
		h.String(fmt.Sprint(opts.BuildFlags))
		if p.Module != nil {
			h.String(p.Module.Path)
			h.String(p.Module.GoVersion)
			if p.Module.Error != nil {
				h.String(p.Module.Error.Err)
			}
		}
		// The listing's errors (an import no module provides, a package
		// with no file for this GOOS) are all that the files do not say.
		h.String("errors")
		for _, e := range p.Errors {
			if e.Kind != packages.ListError {
				continue // found by loading, not by listing: not in a listing's keys
			}
			if noGoFiles(p, e) {
				continue // the names below say it
			}
			h.String(e.Pos)
			h.String(e.Msg)
		}
		if len(p.GoFiles) == 0 {
			// What a package without Go files is told (see noGoFiles).
			h.String("ignored")
			for _, f := range p.IgnoredFiles {
				h.String(f)
			}
		}
		for _, f := range p.GoFiles {
			if h.File(f) != nil {
				return
			}
		}
		h.String("other")
		for _, f := range p.OtherFiles {
			// C files and headers may change what cgo generates;
			// assembly and object files change no types.
			if strings.HasSuffix(f, ".s") || strings.HasSuffix(f, ".syso") {
				continue
			}
			if h.File(f) != nil {
				return
			}
		}
		h.String("imports")
		src, err := sourceImports(p)
		if err != nil {
			return
		}
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			if src == nil || src[path] {
				paths = append(paths, path)
			}
		}
		slices.Sort(paths)
		for _, path := range paths {
			k, ok := keys[p.Imports[path]]
			if !ok {
				return
			}
			h.String(path)
			h.Key(k)
		}
		keys[p] = h.Sum()
	})
	return keys
}

// noGoFiles reports whether e is the go command's error for p having no
// Go file to build: "build constraints exclude all Go files in DIR", "no
// non-test Go files in DIR" or "no Go files in DIR". On a package that the
// patterns match and a test imports (a Windows-only package listed for
// GOOS=linux for its test), the go command reports it only when asked for
// the compiled files, as a cold run's loading asks, and then only if its
// build cache has not met the package yet: not in a warm run's listing,
// and not in a load that follows the cold one. The error is left out of
// the keys; what decides which of the three it is, the package's
// directory and ignored files, is in them. The cold run's result, error
// included, is what later runs report.
func noGoFiles(p *packages.Package, e packages.Error) bool {
	if len(p.GoFiles) > 0 || p.Dir == "" || e.Pos != "" {
		return false
	}
	for _, prefix := range []string{"build constraints exclude all Go files in ", "no non-test Go files in ", "no Go files in "} {
		if e.Msg == prefix+p.Dir {
			return true
		}
	}
	return false
}

// sourceImports returns, for a package loaded with its compiled files
// that has cgo files, the import paths of its Go files; nil for any other
// package. The go command lists among such a package's imports those that
// cgo's output adds (runtime/cgo, and syscall and unsafe when the source
// does not import them) only when asked for the compiled files, as a cold
// run's loading does and the listing of a warm run does not: the keys
// take the imports of the source, the same in both. It does so whether it
// translated the cgo files or not (it does not when a dependency has
// errors, and then lists the files untranslated, or none).
func sourceImports(p *packages.Package) (map[string]bool, error) {
	// Translated files are cgo's output, in the build cache. Untranslated,
	// a package with cgo files shows by the import of runtime/cgo (which a
	// listing without the compiled files has only when the source has it:
	// parsing then finds it).
	cgo := p.Imports["runtime/cgo"] != nil
	for _, f := range p.CompiledGoFiles {
		if !slices.Contains(p.GoFiles, f) {
			cgo = true
			break
		}
	}
	if !cgo {
		return nil, nil
	}
	src := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, spec := range f.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err == nil {
				src[path] = true
			}
		}
	}
	return src, nil
}

// A LoadError is a loadError as the cache stores it.
type LoadError struct{ Pos, Msg string }

func exportErrors(errs []loadError) []LoadError {
	var out []LoadError
	for _, e := range errs {
		out = append(out, LoadError{e.pos, e.msg})
	}
	return out
}

func importErrors(errs []LoadError) []loadError {
	var out []loadError
	for _, e := range errs {
		out = append(out, loadError{e.Pos, e.Msg})
	}
	return out
}
