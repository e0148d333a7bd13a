// Package analyzer defines handlecheck's analysis.Analyzer: it reports
// leaked owned handles, releases of borrowed handles, double releases,
// releases by the wrong function, changes of borrowed handles' objects,
// uses after release, impersonation on goroutines that may move, and
// descriptors of *os.File used after the file's last use, following the
// rules in rules.yaml (the embedded defaults) and in the user's own rules
// files.
//
// The package is the Analyzer's configuration (flags, Config, New) and
// rule loading; the run over a package's functions, callees before
// callers, with the ownership engine (package internal/ownership) asking
// package internal/effects what each call does; the export of the
// functions' Summary facts; and reporting: report.go is the only code that
// words diagnostics (and impersonation.go those of package thread,
// keepalive.go those of package keepalive, which they also run), directives.go the //handlecheck:ignore suppressions,
// fix.go the suggested fixes.
package analyzer

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"go/types"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/internal/thread"
	"github.com/handlecheck/handlecheck/rules"
)

const doc = `report misuse of owned and borrowed OS handles

handlecheck follows every handle that a rule says a call hands out:
owned handles (CloseHandle, RegCloseKey, unix.Close... must release them)
and borrowed ones (pseudo-handles, (*os.File).Fd: must never be released).
It reports, by category:

  leak              an owned handle not released or handed on on some path
  borrowed-release  a release of a borrowed handle
  double-release    a handle released twice on one path
  wrong-releaser    an owned handle released by another resource's releaser
  borrowed-change   a borrowed handle passed to a call that changes its object
  use-after-release a handle used after its release on some path
  impersonation     impersonating without runtime.LockOSThread, unlocking
                    the thread while impersonating, or after a revert whose
                    error is ignored
  keepalive         a descriptor of f.Fd() used in a system call after the
                    last use of f, whose finalizer may close it first

The default rules are embedded; -rules adds files of your own on top.`

// URL is the documentation of the categories, by anchor.
const URL = "https://github.com/handlecheck/handlecheck#categories"

// Config selects the rules an analyzer uses.
type Config struct {
	// RulesFiles are rules files added on top of the defaults, in order.
	RulesFiles []string
	// Rules are rules given inline (as by a golangci-lint setting), added
	// after RulesFiles. RulesName names them in error positions.
	Rules     []byte
	RulesName string
	// NoDefaults drops the embedded default rules.
	NoDefaults bool
	// Roots, when set, reports whether the package with the given path is
	// one the user asked for rather than a dependency analyzed only for
	// its facts. Only then are the platform packages (the `uses` packages
	// of the rules: x/sys/windows, syscall, x/sys/unix...) analyzed. A
	// driver that knows its root packages sets it (cmd/handlecheck does);
	// under go vet the vet configuration says it instead (not VetxOnly);
	// with neither, platform packages are skipped.
	Roots func(pkgPath string) bool
}

// Analyzer is handlecheck configured by its flags: -rules and
// -no-default-rules.
var Analyzer = newFlagged()

// New returns an analyzer configured by cfg rather than by flags.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{cfg: cfg}
	return c.analyzer()
}

func newFlagged() *analysis.Analyzer {
	c := &checker{}
	a := c.analyzer()
	a.Flags.Func("rules", "comma-separated rules `files` added on top of the default rules", func(s string) error {
		return c.cfg.SetFlag("rules", s)
	})
	a.Flags.BoolVar(&c.cfg.NoDefaults, "no-default-rules", false, "do not use the embedded default rules")
	return a
}

// SetFlag sets what the analyzer's flag name sets: -rules adds files to
// RulesFiles, -no-default-rules sets NoDefaults. A command that parses
// the flags itself builds its Config with it, then calls New.
func (cfg *Config) SetFlag(name, value string) error {
	switch name {
	case "rules":
		for _, f := range strings.Split(value, ",") {
			if f = strings.TrimSpace(f); f != "" {
				cfg.RulesFiles = append(cfg.RulesFiles, f)
			}
		}
	case "no-default-rules":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("invalid boolean value %q", value)
		}
		cfg.NoDefaults = b
	default:
		return fmt.Errorf("no such flag -%s", name)
	}
	return nil
}

// checker is one configured analyzer. Its rules are loaded once, on the
// first package, and shared by all.
type checker struct {
	cfg   Config
	once  sync.Once
	rules *rules.Set
	err   error
	// beforeFunc, when set (by tests), runs before each function is
	// analyzed, inside the panic guard.
	beforeFunc func(*ssa.Function)
}

func (c *checker) analyzer() *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       "handlecheck",
		Doc:        doc,
		URL:        URL,
		Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
		Run:        func(pass *analysis.Pass) (any, error) { return c.run(pass) },
		ResultType: reflect.TypeFor[*Result](),
		FactTypes:  []analysis.Fact{new(effects.Summary), new(effects.RuleErrors), new(thread.Summary)},
	}
}

// load reads and merges the configured rules.
func (c *checker) load() (*rules.Set, error) {
	c.once.Do(func() { c.rules, c.err = loadRules(c.cfg) })
	return c.rules, c.err
}

func loadRules(cfg Config) (*rules.Set, error) {
	var files []*rules.File
	add := func(name string, data []byte, parse func(string, []byte) (*rules.File, error)) error {
		f, err := parse(name, data)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	}
	if !cfg.NoDefaults {
		for _, f := range handlecheck.DefaultFiles {
			if err := add(f.Name, f.Data, rules.ParseBuiltin); err != nil {
				return nil, fmt.Errorf("default rules: %w", err)
			}
		}
	}
	for _, name := range cfg.RulesFiles {
		data, err := rules.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if err := add(name, data, rules.Parse); err != nil {
			return nil, err
		}
	}
	if len(cfg.Rules) > 0 {
		name := cfg.RulesName
		if name == "" {
			name = "inline rules"
		}
		if err := add(name, cfg.Rules, rules.Parse); err != nil {
			return nil, err
		}
	}
	return rules.Merge(files...)
}

// OnRulesError, when set, turns the error of rules that do not load, or
// that do not fit the functions they name, into the error a pass returns. Under go vet, where each package is analyzed by
// a process of its own, cmd/handlecheck sets it to report the error in
// full once for the whole run, and in the other packages only where it is.
var OnRulesError func(error) error

func onRulesError(err error) error {
	if OnRulesError != nil {
		return OnRulesError(err)
	}
	return err
}

// Result is the analyzer's result on a package: what it did not follow.
type Result struct {
	// GivenUp are the acquisitions the engine gave up on (it exceeded a
	// budget of its function, or the handle went a way the engine does
	// not follow), as diagnostics of category "given-up" at the
	// acquiring call that are not reported: nothing is reported about
	// those handles, neither a leak nor a double release. A driver shows
	// them on request (cmd/handlecheck: -json, -given-up).
	GivenUp []analysis.Diagnostic
}

// GivenUpDiagnostics returns r.GivenUp; nil for a nil r.
func (r *Result) GivenUpDiagnostics() []analysis.Diagnostic {
	if r == nil {
		return nil
	}
	return r.GivenUp
}

func (c *checker) run(pass *analysis.Pass) (*Result, error) {
	rs, err := c.load()
	if err != nil {
		return nil, onRulesError(err)
	}
	o := effects.New(rs, pass)
	// A default rule that does not fit this version of its package is
	// left out (Effects skips it), not an error: the user did not write it.
	if err := rules.User(o.CheckDeclared()); err != nil {
		pass.ExportPackageFact(&effects.RuleErrors{Msg: err.Error()})
		return nil, onRulesError(err)
	}
	if err := importedRuleErrors(pass); err != nil {
		return nil, onRulesError(err)
	}
	if _, platform := rs.UsePackages[pass.Pkg.Path()]; platform && !c.askedFor(pass.Pkg.Path()) {
		// The rules describe this package's API (x/sys/windows, syscall,
		// unix...): as a dependency, its summaries would add nothing. It
		// is checked only when it is among the packages asked for.
		return nil, nil
	}
	handles := effects.Relevant(pass, rs)
	threads := effects.ThreadRelevant(pass, rs, func(fn *types.Func) bool { return pass.ImportObjectFact(fn, new(thread.Summary)) })
	if !handles && !threads {
		// No handle can be acquired or released here, and no thread
		// impersonated: skip SSA, but for the error tests the package
		// exports, whose facts tell importers that a branch has no
		// handle. Any suppression here suppresses nothing.
		if effects.ExportsErrTest(pass.Pkg) {
			exportErrTests(pass, o)
		}
		newReporter(pass, nil).flush()
		return nil, nil
	}
	funcs := buildSSA(pass)
	results := make(map[*ssa.Function]ownership.Result)
	var panics []string
	if handles {
		panics = c.runHandles(funcs, o, results)
	}
	rep := newReporter(pass, o)
	res := new(Result)
	if threads {
		panics = append(panics, runThread(pass, o, funcs, rep)...)
	}
	if handles {
		runKeepAlive(o, funcs, rep)
	}
	for _, fn := range funcs {
		if sum, _ := o.Local(fn); sum != nil && !sum.Empty() {
			if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() == pass.Pkg {
				if sum = o.Fact(fn, obj, sum); !sum.Empty() {
					pass.ExportObjectFact(obj, sum)
				}
			}
		}
		for _, f := range results[fn].Findings {
			rep.report(f, f.Kind == ownership.Leak && !f.WithErr && lastErrorOnly(o, f.Source))
		}
		for _, g := range results[fn].GivenUp {
			src := o.Source(g.Source.Acquire.Rule)
			origin := cmp.Or(src.Origin, src.Func)
			what := g.Source.Acquire.Resource
			if src.Part != "" {
				what += " (" + src.Part + ")"
			}
			res.GivenUp = append(res.GivenUp, analysis.Diagnostic{
				Pos:      g.Source.Pos(),
				Category: "given-up",
				Message: fmt.Sprintf("%s from %s in %s is not followed (%s): no leak or double release of it is reported",
					what, rules.ShortName(origin), fn.Name(), g.Reason),
			})
		}
		for _, pl := range o.ParamLeaks(fn) {
			rep.paramLeak(pl)
		}
	}
	rep.flush()
	if len(panics) > 0 {
		return nil, errors.New(strings.Join(panics, "\n"))
	}
	return res, nil
}

// exportErrTests exports the facts of the package's error tests
// (effects.Oracle.ErrTest), in a package with no other handle code.
func exportErrTests(pass *analysis.Pass, o *effects.Oracle) {
	for _, fn := range buildSSA(pass) {
		if sum := o.ErrTest(fn); sum != nil {
			pass.ExportObjectFact(fn.Object(), sum)
		}
	}
}

// runHandles runs the ownership engine over funcs, callees first,
// recording their summaries in o and their results in results. It returns
// the internal errors of the functions that panicked.
func (c *checker) runHandles(funcs []*ssa.Function, o *effects.Oracle, results map[*ssa.Function]ownership.Result) []string {
	o.SetFuncs(funcs)
	o.FindLent(funcs)
	o.FindOwners(funcs)
	res, panics := c.summarize(funcs, o)
	if o.FindOwners(funcs) {
		// Closers found through the summaries: once more, with them.
		res, panics = c.summarize(funcs, o)
	}
	for fn, r := range res {
		results[fn] = r
	}
	return panics
}

// askedFor reports whether the package is one the user asked for: by
// Config.Roots, else by go vet's configuration (the package vetted, not
// only for its facts).
func (c *checker) askedFor(path string) bool {
	if c.cfg.Roots != nil {
		return c.cfg.Roots(path)
	}
	vet := vetConfig()
	return vet != nil && !vet.VetxOnly && vet.ImportPath == path
}

// vetUnit is what handlecheck reads of go vet's configuration file.
type vetUnit struct {
	ImportPath string
	VetxOnly   bool // analyzed only for its facts: a dependency
}

// vetConfig returns the configuration go vet passed this process (the
// last argument, a .cfg file, as unitchecker reads it), or nil when the
// process is not go vet's tool.
var vetConfig = sync.OnceValue(func() *vetUnit {
	if len(os.Args) < 2 || !strings.HasSuffix(os.Args[len(os.Args)-1], ".cfg") {
		return nil
	}
	data, err := os.ReadFile(os.Args[len(os.Args)-1])
	if err != nil {
		return nil
	}
	var u vetUnit
	if json.Unmarshal(data, &u) != nil {
		return nil
	}
	return &u
})

// importedRuleErrors returns the rules errors of the packages this one
// imports, directly or not: a driver that analyzes dependencies only for
// their facts (go vet) shows them here. Drivers that show a dependency's
// own error never run this pass.
func importedRuleErrors(pass *analysis.Pass) error {
	var msgs []string
	for _, f := range pass.AllPackageFacts() {
		if e, ok := f.Fact.(*effects.RuleErrors); ok && !slices.Contains(msgs, e.Msg) {
			msgs = append(msgs, e.Msg)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	slices.Sort(msgs)
	return errors.New(strings.Join(msgs, "\n"))
}

// maxRounds bounds the fixed point over a group of mutually recursive
// functions.
const maxRounds = 4

// analyzeFunc runs the engine on one function and summarizes it. A panic
// becomes an error that names the function; the other functions are still
// analyzed.
func (c *checker) analyzeFunc(fn *ssa.Function, o *effects.Oracle) (res ownership.Result, sum *effects.Summary, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error analyzing %s: %v", fn, r)
		}
	}()
	if c.beforeFunc != nil {
		c.beforeFunc(fn)
	}
	res = ownership.Analyze(fn, o)
	return res, o.Summarize(fn, res), nil
}

// summarize analyzes the package's functions and sets their summaries,
// bottom-up: callees before callers; a recursive group is iterated until
// its summaries settle (at most maxRounds times). It returns each
// function's result, and the panics met (one per function).
func (c *checker) summarize(funcs []*ssa.Function, o *effects.Oracle) (map[*ssa.Function]ownership.Result, []string) {
	results := make(map[*ssa.Function]ownership.Result)
	var panics []string
	for _, scc := range sccs(funcs) {
		seedRecursive(scc, o)
		for round := 0; round < maxRounds; round++ {
			changed := false
			for _, fn := range scc {
				res, sum, err := c.analyzeFunc(fn, o)
				if err != nil {
					if round == 0 {
						panics = append(panics, err.Error())
					}
					continue
				}
				results[fn] = res
				if old, ok := o.Local(fn); (ok || !sum.Empty()) && (!ok || !old.Equal(sum)) {
					o.SetLocal(fn, sum)
					changed = true
				}
			}
			if !changed || (len(scc) == 1 && !slices.Contains(callees(scc[0]), scc[0])) {
				break
			}
		}
	}
	return results, panics
}
