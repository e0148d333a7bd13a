package driver

import (
	"bufio"
	"go/build/constraint"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// skipUnsupported marks the packages of v, a Windows build, that do not
// support Windows: every type error they have is in a file that every
// platform compiles. Such a package's code compiles only elsewhere (its
// unconstrained code calls unix APIs, say), and its Windows build is all
// stubs at best. A type error in a Windows-only file (*_windows.go, or
// constrained to windows) is a real error: it is code that handlecheck
// could not analyze. It returns the skipped packages with their first
// error, once per package path (not per test variant).
func (v *variant) skipUnsupported() []Error {
	var skipped []Error
	said := map[string]bool{} // package paths, for the test variants
	for _, p := range v.roots {
		errs := v.broken[p.ID]
		if errs == nil || !unsupported(errs) {
			continue
		}
		if v.skipped == nil {
			v.skipped = map[string]bool{}
		}
		v.skipped[p.ID] = true
		path := strings.TrimSuffix(strings.TrimSuffix(p.PkgPath, ".test"), "_test")
		if said[path] {
			continue
		}
		said[path] = true
		first := errs[0]
		for _, e := range errs {
			if e.pos != "" {
				first = e
				break
			}
		}
		skipped = append(skipped, Error{PkgID: path, GOOS: v.goos, Msg: first.String()})
	}
	return skipped
}

// unsupported reports whether errs, the errors of a Windows build, are in
// files that every platform compiles: at least one has a position, and
// none is in a Windows-only file. Errors without a position (such as
// "build constraints exclude all Go files" of an imported Unix package)
// do not count either way.
func unsupported(errs []loadError) bool {
	some := false
	for _, e := range errs {
		m := filePos.FindStringSubmatch(e.pos)
		if m == nil {
			continue
		}
		if windowsOnlyFile(m[1]) {
			return false
		}
		some = true
	}
	return some
}

var filePos = regexp.MustCompile(`^(.+\.go):\d+(?::\d+)?$`)

// windowsOnlyFile reports whether the Go file builds only for Windows: by
// its name (x_windows.go, x_windows_amd64.go) or by its //go:build line.
func windowsOnlyFile(file string) bool {
	name := strings.TrimSuffix(filepath.Base(file), ".go")
	if i := strings.Index(name, "_"); i >= 0 {
		l := strings.Split(name[i:], "_")
		if n := len(l); l[n-1] == "test" {
			l = l[:n-1]
		}
		n := len(l)
		if n >= 2 && knownArch[l[n-1]] {
			l = l[:n-1]
			n--
		}
		if n >= 2 && knownOS[l[n-1]] {
			return l[n-1] == "windows"
		}
	}
	expr := buildConstraint(file)
	if expr == nil {
		return false
	}
	for goos := range ports {
		if goos == "windows" {
			continue
		}
		// Tags that are not GOOS names (GOARCH, cgo, go1.N, custom tags)
		// count as satisfied: only the GOOS decides.
		if expr.Eval(func(tag string) bool {
			switch {
			case tag == goos:
				return true
			case tag == "unix":
				return unixOS[goos]
			case knownOS[tag]:
				return false
			}
			return true
		}) {
			return false
		}
	}
	return true
}

// buildConstraint is the //go:build expression of file, or nil.
func buildConstraint(file string) constraint.Expr {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inBlock := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case inBlock:
			if strings.Contains(line, "*/") {
				inBlock = false
			}
		case line == "":
		case strings.HasPrefix(line, "/*"):
			inBlock = !strings.Contains(line, "*/")
		case constraint.IsGoBuild(line):
			expr, err := constraint.Parse(line)
			if err != nil {
				return nil
			}
			return expr
		case strings.HasPrefix(line, "//"):
		default:
			return nil // the package clause: no constraint above it
		}
	}
	return nil
}

// knownOS and knownArch are go/build's lists of GOOS and GOARCH values
// that file names may end with; ports are the GOOS values that the go
// command builds for (go tool dist list), and unixOS those that satisfy
// the "unix" build tag.
var (
	knownOS = set("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos")
	ports   = set("aix android darwin dragonfly freebsd illumos ios js linux netbsd openbsd plan9 solaris wasip1 windows")
	unixOS  = set("aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris")

	knownArch = set("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
