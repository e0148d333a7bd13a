// Package analyzer defines handlecheck's analysis.Analyzer: it reports
// leaked owned handles, releases of borrowed handles, double releases and
// releases by the wrong function, following the rules in rules.yaml (the
// embedded defaults) and in the user's own rules files.
package analyzer

import (
	"errors"
	"fmt"
	"go/types"
	"os"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/internal/ownership"
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
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				c.cfg.RulesFiles = append(c.cfg.RulesFiles, f)
			}
		}
		return nil
	})
	a.Flags.BoolVar(&c.cfg.NoDefaults, "no-default-rules", false, "do not use the embedded default rules")
	return a
}

// checker is one configured analyzer. Its rules are loaded once, on the
// first package, and shared by all.
type checker struct {
	cfg   Config
	once  sync.Once
	rules *rules.Set
	err   error
}

func (c *checker) analyzer() *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     "handlecheck",
		Doc:      doc,
		URL:      URL,
		Requires: []*analysis.Analyzer{ctrlflow.Analyzer},
		Run:      c.run,
	}
}

// load reads and merges the configured rules.
func (c *checker) load() (*rules.Set, error) {
	c.once.Do(func() { c.rules, c.err = loadRules(c.cfg) })
	return c.rules, c.err
}

func loadRules(cfg Config) (*rules.Set, error) {
	var files []*rules.File
	add := func(name string, data []byte) error {
		f, err := rules.Parse(name, data)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	}
	if !cfg.NoDefaults {
		if err := add(handlecheck.DefaultRulesName, handlecheck.DefaultRules); err != nil {
			return nil, fmt.Errorf("default rules: %w", err)
		}
	}
	for _, name := range cfg.RulesFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if err := add(name, data); err != nil {
			return nil, err
		}
	}
	if len(cfg.Rules) > 0 {
		name := cfg.RulesName
		if name == "" {
			name = "inline rules"
		}
		if err := add(name, cfg.Rules); err != nil {
			return nil, err
		}
	}
	return rules.Merge(files...)
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	rs, err := c.load()
	if err != nil {
		return nil, err
	}
	if !mentionsSource(pass, rs) {
		return nil, nil // no handle can be acquired here: skip building SSA
	}
	o := newOracle(rs)
	rep := newReporter(pass)
	var panics []string
	for _, fn := range buildSSA(pass) {
		findings, err := analyzeFunc(fn, o)
		if err != nil {
			panics = append(panics, err.Error())
			continue
		}
		for _, f := range findings {
			rep.report(f)
		}
	}
	if o.err != nil {
		return nil, o.err
	}
	if len(panics) > 0 {
		return nil, errors.New(strings.Join(panics, "\n"))
	}
	return nil, nil
}

// mentionsSource reports whether the package refers to a function that a
// rule says hands out a handle.
func mentionsSource(pass *analysis.Pass, rs *rules.Set) bool {
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok {
			if _, ok := rs.Sources[fn.Origin().FullName()]; ok {
				return true
			}
		}
	}
	return false
}

// analyzeFunc runs the engine on one function. A panic in the engine
// becomes an error that names the function; the other functions are still
// analyzed.
func analyzeFunc(fn *ssa.Function, o *oracle) (findings []ownership.Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error analyzing %s: %v", fn, r)
		}
	}()
	return ownership.Analyze(fn, o), nil
}
