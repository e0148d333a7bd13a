package gclplugin_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck/gclplugin"
)

// newPlugin builds the registered plugin from settings as golangci-lint
// decodes them from YAML.
func newPlugin(t *testing.T, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	ctor, err := register.GetPlugin(gclplugin.Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ctor(settings)
	if err != nil {
		return nil, err
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", mode, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func TestNoSettings(t *testing.T) {
	as, err := newPlugin(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Name != "handlecheck" {
		t.Errorf("analyzers = %v, want just handlecheck", as)
	}
}

func TestUnknownSetting(t *testing.T) {
	_, err := newPlugin(t, map[string]any{"rule": []any{"x.yaml"}})
	if err == nil || !strings.Contains(err.Error(), `unknown field "rule"`) {
		t.Errorf("err = %v, want an unknown field error", err)
	}
}

func TestMissingRulesFile(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := newPlugin(t, map[string]any{"rules": []any{"missing.yaml"}})
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("err = %v, want one naming missing.yaml", err)
	}
}

// TestRulesFiles checks that a relative rules path is relative to the
// working directory and that the cache-key analyzer's name follows the
// file's contents.
func TestRulesFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("cfg", 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "cfg", "rules.yaml"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	settings := map[string]any{"rules": []any{"cfg/rules.yaml"}, "no-default-rules": false}
	names := func() string {
		as, err := newPlugin(t, settings)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 2 || as[0].Name != "handlecheck" || !strings.HasPrefix(as[1].Name, "handlecheck_rules_") {
			t.Fatalf("analyzers = %v, want handlecheck and a handlecheck_rules_ key", as)
		}
		if err := analysis.Validate(as); err != nil {
			t.Fatal(err)
		}
		return as[1].Name
	}
	write("noreturn:\n  - func: os.Exit\n")
	first := names()
	if again := names(); again != first {
		t.Errorf("same contents, different keys: %s, %s", first, again)
	}
	write("noreturn:\n  - func: log.Fatal\n")
	if edited := names(); edited == first {
		t.Errorf("the key %s did not change when the rules file did", edited)
	}
}

// TestInlineRules checks that inline rules reach the analyzer: a bad one
// stops the analysis with a position in "inline-rules".
func TestInlineRules(t *testing.T) {
	as, err := newPlugin(t, map[string]any{"inline-rules": "owned:\n  - func: os.Open\n    resorce: handle\n"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 {
		t.Fatalf("analyzers = %v, want one", as)
	}
	err = runOn(t, as[0])
	if err == nil || !strings.Contains(err.Error(), "inline-rules:3:5") {
		t.Errorf("err = %v, want one at inline-rules:3:5", err)
	}
}

// runOn runs a on a small standard package and returns the first error
// that is not only a failed prerequisite.
func runOn(t *testing.T, a *analysis.Analyzer) error {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax}, "errors")
	if err != nil {
		t.Fatal(err)
	}
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for act := range g.All() {
		if act.Err != nil && !strings.HasPrefix(act.Err.Error(), "failed prerequisites") {
			return act.Err
		}
	}
	return nil
}

// TestOneIssuePerFinding runs the plugin's analyzer on the fixture as
// built for Windows: each finding comes with its related positions folded
// into its message and none left as Related, which golangci-lint would
// turn into issues of their own.
func TestOneIssuePerFinding(t *testing.T) {
	as, err := newPlugin(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join("testdata", "fixture"),
		Env:  append(os.Environ(), "GOOS=windows", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./svc")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 || len(pkgs[0].GoFiles) == 0 || slices.ContainsFunc(pkgs[0].GoFiles, func(f string) bool { return !strings.HasSuffix(f, "_windows.go") }) {
		t.Fatalf("the fixture did not load as built for Windows: %v", pkgs)
	}
	g, err := checker.Analyze(as, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Fatal(act.Err)
		}
		for _, d := range act.Diagnostics {
			if len(d.Related) > 0 {
				t.Errorf("%s: %d related positions left", d.Message, len(d.Related))
			}
			got = append(got, fmt.Sprintf("%d: %s", pkgs[0].Fset.Position(d.Pos).Line, d.Message))
		}
	}
	want := []string{
		"11: token from windows.OpenProcessToken is not closed on every path: release it with (windows.Token).Close or windows.CloseHandle (line 14: the token from windows.OpenProcessToken is still held when the function returns here)",
		"23: token from windows.OpenProcessToken is not closed on every path: release it with (windows.Token).Close or windows.CloseHandle (line 26: the token from windows.OpenProcessToken is still held when the function returns here)",
		"49: token from windows.OpenProcessToken is not closed on every path: release it with (windows.Token).Close or windows.CloseHandle (line 52: the token from windows.OpenProcessToken is still held when the function returns here)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
