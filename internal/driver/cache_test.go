package driver_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/cache"
	"github.com/handlecheck/handlecheck/internal/driver"
	"github.com/handlecheck/handlecheck/internal/testenv"
)

// cacheRun runs the analyzer over dir's module with cc (nil: no cache),
// and returns the result and the import paths of the root packages that
// it loaded with syntax and analyzed, test variants folded into their
// package's path. Errors and warnings are fatal.
func cacheRun(t *testing.T, dir string, cc *cache.Cache, goos string, cfg analyzer.Config) (*driver.Result, []string) {
	t.Helper()
	res, loaded := cacheRunEnv(t, dir, cc, goos, cfg, nil)
	if len(res.Errors) > 0 || len(res.Warnings) > 0 {
		t.Fatalf("errors %v, warnings %v", res.Errors, res.Warnings)
	}
	return res, loaded
}

// cacheRunEnv is cacheRun with env added to the go command's environment,
// and errors in the result.
func cacheRunEnv(t *testing.T, dir string, cc *cache.Cache, goos string, cfg analyzer.Config, env []string) (*driver.Result, []string) {
	t.Helper()
	var loaded []string
	undo := driver.OnLoad(func(goos string, ids []string) {
		for _, id := range ids {
			path, _, _ := strings.Cut(id, " ")
			path = strings.TrimSuffix(strings.TrimSuffix(path, ".test"), "_test")
			if !slices.Contains(loaded, path) {
				loaded = append(loaded, path)
			}
		}
	})
	defer undo()
	res, err := driver.Run(driver.Options{
		Analyzer: analyzer.New(cfg),
		Patterns: []string{"./..."},
		Dir:      dir,
		GOOS:     goos,
		Tests:    true,
		Env:      append(append(os.Environ(), "GOOS=linux", "GOPROXY=off", "GOFLAGS=-mod=mod"), env...),
		Cache:    cc,
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(loaded)
	return res, loaded
}

func openCache(t *testing.T, dir, salt string) *cache.Cache {
	t.Helper()
	cc, err := cache.Open(dir, []byte(salt))
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCacheInvalidation checks, on a module whose package app leaks a
// token from package lib's function (known only from lib's Summary fact),
// with a suppressed leak and a stale directive in app, that a run with
// the cache reports what a run without it reports, byte for byte, and
// that it analyzes again exactly the packages that an edit can affect: an
// edit of a file its own package (and its importers), an edit of a test
// file the package's test variants, a new configuration everything.
func TestCacheInvalidation(t *testing.T) {
	dir := testenv.CopyDir(t, filepath.Join("testdata", "cachemod"))
	cacheDir := t.TempDir()
	cc := openCache(t, cacheDir, "handlecheck v1")
	const (
		app   = "handlecheck.test/cachemod/app"
		lib   = "handlecheck.test/cachemod/lib"
		other = "handlecheck.test/cachemod/other"
	)
	all := []string{app, lib, other}
	// want is what a run without the cache reports on the tree as it is
	// now; edited says that it must be computed again.
	var want *driver.Result
	edited := true
	step := func(name string, cc *cache.Cache, wantLoaded []string) *driver.Result {
		t.Helper()
		if edited {
			want, _ = cacheRun(t, dir, nil, "windows", analyzer.Config{})
			edited = false
		}
		got, loaded := cacheRun(t, dir, cc, "windows", analyzer.Config{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: with the cache\n%s\nwithout\n%s", name, describeAll(got), describeAll(want))
		}
		if !slices.Equal(loaded, wantLoaded) {
			t.Errorf("%s: loaded %q, want %q", name, loaded, wantLoaded)
		}
		return got
	}
	res := step("cold", cc, all)
	if got := describeAll(res); !strings.Contains(got, "app_windows.go:9:14 leak") || !strings.Contains(got, "app_windows.go:25:2 directive") || !strings.Contains(got, "app_windows_test.go:10:14 leak") {
		t.Fatalf("the fixture's findings changed:\n%s", got)
	}
	step("unchanged", cc, nil)

	// A new line at the top of other moves its finding.
	edit(t, filepath.Join(dir, "other", "other_windows.go"), "package other\n", "package other\n\n")
	edited = true
	step("other edited", cc, []string{other})
	step("other unchanged", cc, nil)

	edit(t, filepath.Join(dir, "app", "app_windows_test.go"), "t.Log(", "t.Logf(\"%v\", ")
	edited = true
	step("app's test edited", cc, []string{app})

	// lib now hands out a borrowed pseudo-token: app's leaks are gone and
	// its suppression is stale.
	edit(t, filepath.Join(dir, "lib", "lib_windows.go"), `var tok windows.Token
	err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY, &tok)
	return tok, err`, `return windows.GetCurrentProcessToken(), nil`)
	edited = true
	res = step("lib edited", cc, []string{app, lib})
	if got := describeAll(res); strings.Contains(got, " leak windows ") || !strings.Contains(got, "app_windows.go:18:2 directive") {
		t.Errorf("lib's new summary did not reach app:\n%s", got)
	}
	step("lib unchanged", cc, nil)

	step("new configuration", openCache(t, cacheDir, "handlecheck v2"), all)
	step("old configuration", cc, nil)
}

// TestCacheBothPlatforms checks that a run without -goos, which analyzes
// this machine's build and the Windows build and merges them (a finding
// in a common file once, a directive stale only if stale in both), reports
// the same warm as cold.
func TestCacheBothPlatforms(t *testing.T) {
	cfg := analyzer.Config{RulesFiles: []string{filepath.Join(mixed, "rules.yaml")}}
	cc := openCache(t, t.TempDir(), "handlecheck v1")
	want, _ := cacheRun(t, mixed, nil, "", cfg)
	for _, name := range []string{"cold", "warm"} {
		got, loaded := cacheRun(t, mixed, cc, "", cfg)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: with the cache\n%s\nwithout\n%s", name, describeAll(got), describeAll(want))
		}
		if name == "warm" && len(loaded) > 0 {
			t.Errorf("warm run loaded %q", loaded)
		}
	}
}

// describeAll lists findings as "file:line:col category goos message".
func describeAll(res *driver.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		b.WriteString(filepath.Base(f.Posn.Filename) + ":" + strings.Join(strings.Split(f.Posn.String(), ":")[1:], ":") + " " + f.Category + " " + strings.Join(f.GOOS, ",") + " " + f.Message + "\n")
	}
	return b.String()
}

// TestCacheCgo checks that the results a cold run stores are found by
// the next run when a dependency uses cgo: net, on linux with cgo on. The
// go command lists the imports that cgo's output adds (runtime/cgo) only
// for a load of the compiled files, as the cold run's; the warm run's
// listing does not, and the keys must not differ by them.
func TestCacheCgo(t *testing.T) {
	needCgo(t)
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/cgouser\n\ngo 1.26\n",
		"app/app.go": `package app

import (
	"net"
	"os"
)

var Local = net.ParseIP("127.0.0.1")

func Leak(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	_, err = f.Stat()
	return err
}
`,
	})
	c := openCache(t, t.TempDir(), "handlecheck v1")
	want, _ := cacheRun(t, dir, nil, "linux", analyzer.Config{})
	if len(want.Findings) != 1 {
		t.Fatalf("want the leak of the file, got %s", describeAll(want))
	}
	for _, name := range []string{"cold", "warm"} {
		got, loaded := cacheRun(t, dir, c, "linux", analyzer.Config{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: with the cache\n%s\nwithout\n%s", name, describeAll(got), describeAll(want))
		}
		if name == "warm" && len(loaded) > 0 {
			t.Errorf("the run after a cold one loaded %q: the cold run's keys differ from the listing's", loaded)
		}
	}
}

// TestCacheCgoUntranslated is TestCacheCgo for a package with cgo files
// that the go command does not translate, because a package it imports
// does not build for this GOOS. Asked for the compiled files, it lists
// the untranslated files and still adds the imports of cgo's output; not
// asked, it does not add them.
func TestCacheCgoUntranslated(t *testing.T) {
	needCgo(t)
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/cgowin\n\ngo 1.26\n",
		"winonly/winonly_windows.go": `package winonly

const N = 1
`,
		"app/app.go": `package app

import "C"

import "example.com/cgowin/winonly"

var N = winonly.N
`,
	})
	c := openCache(t, t.TempDir(), "handlecheck v1")
	cold, loaded := cacheRunEnv(t, dir, c, "linux", analyzer.Config{}, nil)
	if !slices.Equal(loaded, []string{"example.com/cgowin/app"}) || !hasError(cold, "example.com/cgowin/app", "build constraints exclude all Go files in ") {
		t.Fatalf("cold: loaded %q; want app broken by winonly, got errors %v", loaded, cold.Errors)
	}
	warm, loaded := cacheRunEnv(t, dir, c, "linux", analyzer.Config{}, nil)
	if !reflect.DeepEqual(warm, cold) {
		t.Errorf("warm errors %v, cold %v", warm.Errors, cold.Errors)
	}
	if len(loaded) > 0 {
		t.Errorf("the run after a cold one loaded %q: the cold run's keys differ from the listing's", loaded)
	}
}

// TestCacheNoGoFiles checks that a package of which this GOOS builds no
// file (winonly on Linux, which the listing of ./... has for its test) is
// found in the cache by the run after a cold one. Asked for the compiled
// files with an empty build cache, as by a cold run in CI, the go command
// reports "build constraints exclude all Go files" on the package; on the
// next run, with its build cache warm, it does not. The warm run must
// report what the cold one reported, without loading anything, and an
// edit must still count.
func TestCacheNoGoFiles(t *testing.T) {
	dir := testenv.CopyDir(t, filepath.Join("testdata", "nogomod"))
	env := []string{"GOCACHE=" + t.TempDir(), "CGO_ENABLED=0"}
	cc := openCache(t, t.TempDir(), "handlecheck v1")
	const (
		app     = "handlecheck.test/nogomod/app"
		winonly = "handlecheck.test/nogomod/winonly"
	)
	cold, loaded := cacheRunEnv(t, dir, cc, "linux", analyzer.Config{}, env)
	if !slices.Equal(loaded, []string{app, winonly}) || len(cold.Findings) != 1 || !hasError(cold, winonly, "build constraints exclude all Go files in ") {
		t.Fatalf("cold, with an empty build cache: loaded %q; want app's leak and winonly's error, got\n%s%v", loaded, describeAll(cold), cold.Errors)
	}
	warm, loaded := cacheRunEnv(t, dir, cc, "linux", analyzer.Config{}, env)
	if !reflect.DeepEqual(warm, cold) {
		t.Errorf("warm:\n%s%v\ncold:\n%s%v", describeAll(warm), warm.Errors, describeAll(cold), cold.Errors)
	}
	if len(loaded) > 0 {
		t.Errorf("the run after a cold one loaded %q", loaded)
	}

	// app moves its leak down a line; winonly's error stays the cold
	// run's.
	edit(t, filepath.Join(dir, "app", "app.go"), "package app\n", "package app\n\n")
	res, loaded := cacheRunEnv(t, dir, cc, "linux", analyzer.Config{}, env)
	if !slices.Equal(loaded, []string{app}) {
		t.Errorf("app edited: loaded %q, want %q", loaded, []string{app})
	}
	if got, want := describeAll(res), strings.Replace(describeAll(cold), "app.go:8:12 ", "app.go:9:12 ", 1); got != want {
		t.Errorf("app edited: got\n%swant\n%s", got, want)
	}
	if !reflect.DeepEqual(res.Errors, cold.Errors) {
		t.Errorf("app edited: errors %v, want %v", res.Errors, cold.Errors)
	}

	// A file for every platform: winonly builds, without error.
	if err := os.WriteFile(filepath.Join(dir, "winonly", "winonly.go"), []byte("package winonly\n\n// M is two.\nconst M = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, loaded = cacheRunEnv(t, dir, cc, "linux", analyzer.Config{}, env)
	want, _ := cacheRunEnv(t, dir, nil, "linux", analyzer.Config{}, env)
	if !slices.Equal(loaded, []string{winonly}) {
		t.Errorf("winonly.go added: loaded %q, want %q", loaded, []string{winonly})
	}
	if !reflect.DeepEqual(res, want) || len(res.Errors) > 0 {
		t.Errorf("winonly.go added: with the cache\n%s%v\nwithout\n%s%v", describeAll(res), res.Errors, describeAll(want), want.Errors)
	}
}

// hasError reports whether res has an error of package path (or of its
// test variants) that contains msg.
func hasError(res *driver.Result, path, msg string) bool {
	for _, e := range res.Errors {
		id, _, _ := strings.Cut(e.PkgID, " ")
		if (id == path || strings.HasPrefix(id, path+"_test")) && strings.Contains(e.Msg, msg) {
			return true
		}
	}
	return false
}

// needCgo skips the test unless cgo can build for linux here, and turns
// cgo on.
func needCgo(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("cgo on linux")
	}
	t.Setenv("CGO_ENABLED", "1")
	cc, err := exec.Command("go", "env", "CC").Output()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath(strings.TrimSpace(string(cc))); err != nil {
		t.Skipf("no C compiler for cgo: %v", err)
	}
}

// writeModule writes files, by slash-separated name, into a new
// directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
