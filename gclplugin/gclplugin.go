// Package gclplugin registers handlecheck as a golangci-lint v2 module
// plugin named "handlecheck". Build a custom golangci-lint with it (see
// docs/golangci-lint.md) and configure it under
// linters.settings.custom.handlecheck:
//
//	settings:
//	  rules: [handlecheck-rules.yaml]   # relative to where golangci-lint runs
//	  inline-rules: |
//	    owned: ...
//	  no-default-rules: false
//
// golangci-lint makes an issue of each related position of a diagnostic,
// so that one finding would count as several. The plugin's analyzer folds
// a finding's related positions into its message instead: "... is not
// closed on every path: release it with ... (line 14: the token ... is
// still held when the function returns here)". One finding is one issue,
// and a //nolint:handlecheck on the finding's line suppresses all of it.
//
// golangci-lint caches results on its configuration's text, not on the
// contents of the files it names. So that editing a rules file takes
// effect, the plugin adds to handlecheck's analyzer a second one that does
// nothing and whose name holds a hash of the rules files' contents:
// golangci-lint keys its cache on the analyzers' names.
package gclplugin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/rules"
)

// Name is the plugin's name: the key of its settings under
// linters.settings.custom and the linter name //nolint comments use.
const Name = "handlecheck"

func init() { register.Plugin(Name, New) }

// Settings are the plugin's settings. Unknown keys are errors.
type Settings struct {
	// Rules are rules files added on top of the defaults, in order. A
	// relative path is relative to the directory golangci-lint runs in.
	Rules []string `json:"rules"`
	// InlineRules are rules written in the configuration, added after the
	// files.
	InlineRules string `json:"inline-rules"`
	// NoDefaultRules drops the embedded default rules.
	NoDefaultRules bool `json:"no-default-rules"`
}

// New is the plugin's constructor, called by golangci-lint with the
// settings as decoded from its configuration file.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("handlecheck settings: %w", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return newPlugin(s, wd)
}

type plugin struct {
	analyzers []*analysis.Analyzer
}

// newPlugin configures handlecheck, with relative rules paths relative to
// dir, and reads the rules files to fingerprint them.
func newPlugin(s Settings, dir string) (*plugin, error) {
	cfg := analyzer.Config{NoDefaults: s.NoDefaultRules}
	h := sha256.New()
	for _, f := range s.Rules {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		data, err := rules.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("handlecheck settings: rules: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
		h.Write(data)
		cfg.RulesFiles = append(cfg.RulesFiles, f)
	}
	if s.InlineRules != "" {
		cfg.Rules = []byte(s.InlineRules)
		cfg.RulesName = "inline-rules"
	}
	p := &plugin{analyzers: []*analysis.Analyzer{oneIssue(analyzer.New(cfg))}}
	if len(cfg.RulesFiles) > 0 {
		p.analyzers = append(p.analyzers, cacheKey(hex.EncodeToString(h.Sum(nil)[:8])))
	}
	return p, nil
}

// oneIssue returns a copy of a whose diagnostics carry their related
// positions in their message, not as Related.
func oneIssue(a *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	w.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			d.Message = foldRelated(pass.Fset, d)
			d.Related = nil
			pass.Report(d)
		}
		return a.Run(&p)
	}
	return &w
}

// foldRelated is d's message followed by its related positions and their
// messages: "msg (line 14: the token is still held here; other.go:3: ...)".
// A position in the finding's own file is given by its line.
func foldRelated(fset *token.FileSet, d analysis.Diagnostic) string {
	if len(d.Related) == 0 {
		return d.Message
	}
	file := fset.Position(d.Pos).Filename
	var parts []string
	for _, r := range d.Related {
		posn := fset.Position(r.Pos)
		where := fmt.Sprintf("line %d", posn.Line)
		if posn.Filename != file {
			where = fmt.Sprintf("%s:%d", filepath.Base(posn.Filename), posn.Line)
		}
		parts = append(parts, where+": "+r.Message)
	}
	return d.Message + " (" + strings.Join(parts, "; ") + ")"
}

// cacheKey is an analyzer that does nothing, named after hash. golangci-lint
// keys its cache of results on its configuration text and the names of a
// linter's analyzers, so the name makes an edit of a rules file invalidate
// the results cached for the old contents.
func cacheKey(hash string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: "handlecheck_rules_" + hash,
		Doc:  "a fingerprint of handlecheck's rules files, for golangci-lint's cache; it reports nothing",
		Run:  func(*analysis.Pass) (any, error) { return nil, nil },
	}
}

func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p.analyzers, nil }

// GetLoadMode asks for type information: handlecheck builds SSA.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
