package apitest_test

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestOSFile checks the rules for *os.File, *os.Root and *os.Process on
// the real os and net: os.Open and its kin, os.Pipe, os.NewFile, the
// methods of *os.Root, the dup of (*net.conn).File, os.StartProcess, and
// os.FindProcess, which holds a pidfd on Linux and a process handle on
// Windows and nothing on darwin; and the writers that log and log/slog keep.
func TestOSFile(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./osfile")
	run(t, "windows", analyzer.Analyzer, "./osfile/win")
	run(t, "darwin", analyzer.Analyzer, "./osfile/darwin")
}

// TestAdoptedRawRelease checks a direct release of the descriptor that
// os.NewFile adopted, on the real syscall and x/sys/unix (and a Windows
// handle, on x/sys/windows): with a release
// of the File on the same path it is a double release, in either order,
// deferred or not (xray-core's FakeUDP); the File used after it is a use
// after release. The shapes real code uses (a nil File, the descriptor
// closed where no File owns it, the File handed on) are quiet.
func TestAdoptedRawRelease(t *testing.T) {
	run(t, "linux", analyzer.Analyzer, "./adopted")
	run(t, "windows", analyzer.Analyzer, "./adopted/win")
}

// TestOSFileFalseAlarms holds correct code, found on the corpus, that
// was reported once: each package is quiet by intent, but for a neighbour
// marked with a want comment that must stay reported. A case with a skip
// reason is still reported today, for that reason; drop the skip once its
// fix lands: the package must then pass.
func TestOSFileFalseAlarms(t *testing.T) {
	for _, tc := range []struct{ pkg, skip string }{
		// Fixed by `double-release: false` on the file, root and process
		// resources, and by os.IsExist and kin as error tests.
		{"doubleclose", ""},
		{"errtest", ""},
		{"deferbefore", ""},
		// Fixed: a handle released, or released by a deferred call, when
		// it is returned is no export (hcsshim ext4/dmverity tests).
		{"closedreturn", ""},
		// Fixed: a helper of the package that is true only for a non-nil
		// error is an error test (std os/root_test.go errEndsTest).
		{"errhelper", ""},
		// Fixed: a closure that closes two captured files is applied to
		// each, and one that closes them where the named error result is
		// not nil is decided at each return (runc notify_socket.go:180).
		{"onerror", ""},
		// Fixed: the error of (*os.File).SyscallConn is not nil only for
		// a nil File (mdlayher/raw raw_linux.go:86, recall benchmark).
		{"syscallconn", ""},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip("known false alarm: " + tc.skip)
			}
			run(t, "linux", analyzer.Analyzer, "./osfile/knownfa/"+tc.pkg)
		})
	}
}

// TestOSErrorTestsInsideOS analyzes the real package os, as built for
// linux: os.IsNotExist and os.IsExist are error tests inside os too,
// where they are called unqualified (removeAll and CreateTemp open a file
// and return without closing it when the test is true, with a non-nil
// error). Its other findings are not this test's business.
func TestOSErrorTestsInsideOS(t *testing.T) {
	t.Setenv("GOOS", "linux")
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: testdata, Env: append(os.Environ(), "GOOS=linux", "GOFLAGS=-mod=mod")}, "os")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("load os: %v %v", err, pkgs)
	}
	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The functions whose error tests are os's own, by file.
	quiet := map[string]string{"removeall_at.go": "removeAll", "tempfile.go": "CreateTemp"}
	seen := make(map[string]bool)
	for act := range g.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act.Package.PkgPath, act.Err)
		}
		if act.Package.PkgPath != "os" || act.Analyzer != analyzer.Analyzer {
			continue
		}
		for _, f := range act.Package.Syntax {
			name := filepath.Base(act.Package.Fset.File(f.Pos()).Name())
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && quiet[name] == fd.Name.Name && fd.Recv == nil {
					seen[name] = true
				}
			}
		}
		for _, d := range act.Diagnostics {
			posn := act.Package.Fset.Position(d.Pos)
			if fn, ok := quiet[filepath.Base(posn.Filename)]; ok && enclosing(act.Package, d.Pos) == fn {
				t.Errorf("%s: %s", posn, d.Message)
			}
		}
	}
	for name, fn := range quiet {
		if !seen[name] {
			t.Errorf("os has no function %s in %s: the test no longer checks it", fn, name)
		}
	}
}

// enclosing returns the name of the top-level function of pkg that holds
// pos, or "".
func enclosing(pkg *packages.Package, pos token.Pos) string {
	for _, f := range pkg.Syntax {
		if pos < f.Pos() || pos > f.End() {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos <= fd.End() {
				return fd.Name.Name
			}
		}
	}
	return ""
}
