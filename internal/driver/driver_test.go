package driver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/driver"
)

// mixed is the command's test module: Linux, Windows and common files, a
// Windows-only package, a package that imports x/sys/windows without a
// build constraint, and a suppressed leak in a common file that only the
// Linux build has.
var mixed, _ = filepath.Abs(filepath.Join("..", "..", "cmd", "handlecheck", "testdata", "mixed"))

func run(t *testing.T, goos string) *driver.Result {
	t.Helper()
	a := analyzer.New(analyzer.Config{RulesFiles: []string{filepath.Join(mixed, "rules.yaml")}})
	res, err := driver.Run(driver.Options{
		Analyzer: a,
		Patterns: []string{"./..."},
		Dir:      mixed,
		GOOS:     goos,
		Tests:    true,
		Env:      append(os.Environ(), "GOOS=linux", "GOPROXY=off", "GOFLAGS=-mod=mod"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 || len(res.Warnings) > 0 {
		t.Fatalf("errors %v, warnings %v", res.Errors, res.Warnings)
	}
	return res
}

// describe lists findings as "file func category goos".
func describe(res *driver.Result) []string {
	var out []string
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(mixed, f.Posn.Filename)
		out = append(out, fmt.Sprintf("%s %s %s %s", filepath.ToSlash(rel), f.Func, f.Category, strings.Join(f.GOOS, ",")))
	}
	return out
}

func TestHostAndWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("this machine is windows")
	}
	res := run(t, "")
	want := []string{
		"both/common.go Forget leak linux,windows",
		"both/fd_linux.go ReadConfig leak linux",
		"both/tok_windows.go Elevated leak windows",
		"winimport/reg.go Key wrong-releaser windows",
		"winonly/svc_windows.go Process leak windows",
	}
	if got := describe(res); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Variants) != 2 || res.Variants[0].GOOS != "linux" || res.Variants[1].GOOS != "windows" || res.Variants[1].OnlyFiles != 3 {
		t.Errorf("variants = %+v, want linux, then windows with 3 Windows-only files", res.Variants)
	}
	for _, f := range res.Findings {
		if f.Category == "leak" && (len(f.Related) == 0 || f.URL != "https://github.com/handlecheck/handlecheck#leak") {
			t.Errorf("%s: related %v, URL %q", f.Posn, f.Related, f.URL)
		}
	}
}

// TestOneGOOS checks a run for windows alone. There, the directive in
// perplatform/common.go suppresses nothing: the leak it is for is Linux's.
// (TestHostAndWindows checks that a run for both does not report it.)
func TestOneGOOS(t *testing.T) {
	res := run(t, "windows")
	want := []string{
		"both/common.go Forget leak windows",
		"both/tok_windows.go Elevated leak windows",
		"perplatform/common.go Use directive windows",
		"winimport/reg.go Key wrong-releaser windows",
		"winonly/svc_windows.go Process leak windows",
	}
	if got := describe(res); len(res.Variants) != 1 || !slices.Equal(got, want) {
		t.Errorf("variants %+v, findings:\n%s\nwant:\n%s", res.Variants, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
