package gclplugin_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/handlecheck/handlecheck/internal/testenv"
)

// golangciVersion is the golangci-lint the test builds with the plugin.
const golangciVersion = "v2.15.0"

// doc is the page that documents the build without git: the test builds
// the go.mod and main.go that it gives.
var doc = filepath.Join("..", "docs", "golangci-lint.md")

// docFile is the fenced block that follows the comment <!-- name --> on
// the page.
func docFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- " + regexp.QuoteMeta(name) + " -->\n```[a-z]*\n(.*?)```\n").FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s has no %s block", doc, name)
	}
	return string(m[1])
}

// buildFiles are the go.mod and main.go of the golangci-lint to build, from
// the page: handlecheck replaced by the repository at root, and the
// version that golangci-lint salts its cache with made version.
func buildFiles(t *testing.T, root, version string) map[string]string {
	t.Helper()
	gomod := docFile(t, "go.mod")
	for _, want := range []string{"github.com/golangci/golangci-lint/v2 " + golangciVersion + "\n", "replace github.com/handlecheck/handlecheck => ../handlecheck\n"} {
		if !strings.Contains(gomod, want) {
			t.Fatalf("the go.mod of %s lacks %q:\n%s", doc, want, gomod)
		}
	}
	gomod = strings.Replace(gomod, "=> ../handlecheck", "=> "+filepath.ToSlash(root), 1)
	main := docFile(t, "main.go")
	versionField := regexp.MustCompile(`(?m)^(\s*Version:\s*)"[^"]*"`)
	if !versionField.MatchString(main) || !strings.Contains(main, `_ "github.com/handlecheck/handlecheck/gclplugin"`) {
		t.Fatalf("the main.go of %s lacks the Version field or the plugin import:\n%s", doc, main)
	}
	main = versionField.ReplaceAllString(main, fmt.Sprintf("${1}%q", version))
	return map[string]string{"go.mod": gomod, "main.go": main}
}

// TestGolangciLint builds a real golangci-lint with the plugin from the
// module proxy and runs it, as GOOS=windows, on testdata/fixture: a
// module with a leak in a _windows.go file, reported as one issue with its
// related position in the message; a second one in a function under
// //nolint:handlecheck and a third under a //nolint:handlecheck on its
// own line, both not reported; and a fourth that only its rules file
// (named by a path relative to the directory golangci-lint runs in) makes
// a leak, as it makes one of a COM method called through its vtable (a
// vtable rule).
// Then it edits the rules file and checks that golangci-lint's cache does
// not serve the old result.
func TestGolangciLint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds golangci-lint (minutes when cold): skipped with -short")
	}
	bin := golangciLint(t)
	dir := testenv.CopyDir(t, filepath.Join("testdata", "fixture"))
	cache := t.TempDir()

	findings := runGolangciLint(t, bin, dir, cache)
	// One finding, one issue: the related position (the return on line
	// 14) is in the message, not an issue of its own.
	wantIssue(t, findings, "svc/svc_windows.go", 11, "token from windows.OpenProcessToken is not closed on every path: release it with (windows.Token).Close or windows.CloseHandle (line 14: the token from windows.OpenProcessToken is still held")
	wantIssue(t, findings, "svc/svc_windows.go", 37, "handle from (svc.Source).Open is not closed on every path")
	wantIssue(t, findings, "svc/com_windows.go", 28, "token from (svc.IWSDSSLClientCertificateVtbl).GetMappedAccessToken is not closed on every path")
	for _, is := range findings {
		if strings.Contains(is.Text, "related information") {
			t.Errorf("a related position was reported as an issue of its own: %+v", is)
		}
		if strings.HasSuffix(is.Pos.Filename, "svc_windows.go") && 20 <= is.Pos.Line && is.Pos.Line <= 27 {
			t.Errorf("an issue in the function under //nolint:handlecheck was reported: %+v", is)
		}
		if strings.HasSuffix(is.Pos.Filename, "svc_windows.go") && is.Pos.Line >= 43 {
			t.Errorf("an issue of the leak under a //nolint:handlecheck on its line was reported: %+v", is)
		}
	}
	if len(findings) != 3 {
		t.Errorf("got %d issues, want 3: %+v", len(findings), findings)
	}

	// Same settings text, new rules: the cached result must not be used.
	rules := filepath.Join(dir, "handlecheck-rules.yaml")
	if err := os.WriteFile(rules, []byte("# no rules of the fixture's own\nnoreturn:\n  - func: os.Exit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	findings = runGolangciLint(t, bin, dir, cache)
	if len(findings) != 1 || !strings.Contains(findings[0].Text, "windows.OpenProcessToken") {
		t.Errorf("after the rules file lost its owned rules, got %+v, want only the OpenProcessToken leak", findings)
	}
}

type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
}

func wantIssue(t *testing.T, issues []issue, file string, line int, text string) {
	t.Helper()
	for _, is := range issues {
		if filepath.ToSlash(is.Pos.Filename) == file && is.Pos.Line == line && strings.Contains(is.Text, text) {
			if is.FromLinter != "handlecheck" {
				t.Errorf("%s:%d: reported by %q, want handlecheck", file, line, is.FromLinter)
			}
			return
		}
	}
	t.Errorf("no issue %s:%d %q in %+v", file, line, text, issues)
}

// runGolangciLint runs golangci-lint on dir as built for Windows and
// returns its issues.
func runGolangciLint(t *testing.T, bin, dir, cache string) []issue {
	t.Helper()
	cmd := exec.Command(bin, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOFLAGS=-mod=mod", "GOWORK=off", "GOLANGCI_LINT_CACHE="+cache)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: issues found
		t.Fatalf("golangci-lint: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
	}
	var out struct{ Issues []issue }
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("golangci-lint output: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
	}
	return out.Issues
}

// golangciLint returns a golangci-lint binary built with the plugin. It is
// kept under the user cache directory, keyed by a hash of everything it is
// built from, so only the first run (or one after a change) builds it.
func golangciLint(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..")) // the repository root
	if err != nil {
		t.Fatal(err)
	}
	key := sourceKey(t, root)
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	bin := filepath.Join(cacheDir, "handlecheck-test", "golangci-lint-"+key, "golangci-lint")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	testenv.NeedProxy(t, "github.com/golangci/golangci-lint/v2", golangciVersion)

	mod := t.TempDir()
	version := strings.TrimPrefix(golangciVersion, "v") + "-custom-gcl-" + key
	for name, data := range buildFiles(t, root, version) {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A cold build takes minutes. Stop it before the test binary's own
	// deadline, so that a slow machine skips rather than panics; the
	// packages already compiled stay in Go's build cache for the next run.
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
		defer cancel()
	}
	tmp := bin + ".tmp"
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", tmp, ".")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "CGO_ENABLED=0", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Skipf("building golangci-lint %s did not finish before the test deadline (%s spent); the next run goes on from Go's build cache, or run: go test -timeout 30m -run TestGolangciLint ./gclplugin", golangciVersion, time.Since(start).Round(time.Second))
	}
	if err != nil {
		t.Fatalf("go build golangci-lint: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	// Binaries built from older sources are of no more use.
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(bin)), "golangci-lint-*"))
	for _, dir := range old {
		if dir != filepath.Dir(bin) {
			os.RemoveAll(dir)
		}
	}
	t.Logf("built golangci-lint %s with the plugin in %s: %s", golangciVersion, time.Since(start).Round(time.Second), bin)
	return bin
}

// sourceKey hashes what the golangci-lint binary is built from: the
// golangci-lint and Go versions, this module's go.mod and go.sum, the page
// with the go.mod and main.go, and the files of the packages of this
// module that the plugin imports.
func sourceKey(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	goVersion, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatalf("go env GOVERSION: %v", err)
	}
	fmt.Fprintf(h, "%s %s %s/%s\n", golangciVersion, bytes.TrimSpace(goVersion), runtime.GOOS, runtime.GOARCH)
	list := exec.Command("go", "list", "-deps", "-f",
		`{{if and .Module (eq .Module.Path "github.com/handlecheck/handlecheck")}}{{range .GoFiles}}{{$.Dir}}/{{.}}
{{end}}{{range .EmbedFiles}}{{$.Dir}}/{{.}}
{{end}}{{end}}`, "./gclplugin")
	list.Dir = root
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	files := append([]string{filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"), filepath.Join(root, "docs", "golangci-lint.md")}, strings.Fields(string(out))...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// TestDocBuildFiles checks, without building, that the go.mod and main.go
// of docs/golangci-lint.md are what TestGolangciLint needs: a main package
// that parses, and a go.mod whose replace line it can point at a clone.
func TestDocBuildFiles(t *testing.T) {
	files := buildFiles(t, "/src/handlecheck", "2.15.0-test")
	if _, err := parser.ParseFile(token.NewFileSet(), "main.go", files["main.go"], 0); err != nil {
		t.Errorf("main.go: %v", err)
	}
	if !strings.Contains(files["main.go"], `Version:   "2.15.0-test"`) {
		t.Errorf("main.go's version was not set:\n%s", files["main.go"])
	}
	if !strings.Contains(files["go.mod"], "replace github.com/handlecheck/handlecheck => /src/handlecheck\n") {
		t.Errorf("go.mod's replace was not set:\n%s", files["go.mod"])
	}
}
