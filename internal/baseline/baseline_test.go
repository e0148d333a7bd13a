package baseline_test

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/baseline"
	"github.com/handlecheck/handlecheck/internal/driver"
)

const dir = "/src/repo"

func finding(line int, fn, msg string) driver.Finding {
	return driver.Finding{
		Category: "double-release",
		Message:  msg,
		Posn:     token.Position{Filename: filepath.Join(dir, "pkg", "a_windows.go"), Line: line, Column: 2},
		Func:     fn,
	}
}

const msg = "double release: windows.CloseHandle releases the handle from windows.OpenProcess, and the deferred windows.CloseHandle on line %d releases it again"

func at(line int) driver.Finding {
	return finding(line, "(*Svc).Stop", fmt.Sprintf(msg, line-2))
}

func TestKeyIgnoresLines(t *testing.T) {
	a, b := baseline.KeyOf(at(20), dir), baseline.KeyOf(at(35), dir)
	if a != b {
		t.Errorf("keys differ when the finding moves:\n%+v\n%+v", a, b)
	}
	if a.File != "pkg/a_windows.go" || a.Func != "(*Svc).Stop" || strings.ContainsAny(a.Message, "0123456789") {
		t.Errorf("key = %+v", a)
	}
	if a.Hash() != b.Hash() || len(a.Hash()) != 32 {
		t.Errorf("hashes %s, %s", a.Hash(), b.Hash())
	}
}

func TestFilter(t *testing.T) {
	b := baseline.New([]driver.Finding{at(20), finding(40, "Other", "x")}, dir)
	if len(b.Findings) != 2 || b.Findings[0].Count != 1 {
		t.Fatalf("baseline = %+v", b.Findings)
	}
	// moved, plus a second finding with the same key, plus one elsewhere
	got := b.Filter([]driver.Finding{at(25), at(60), finding(45, "Other", "x"), finding(50, "New", "x")}, dir)
	if len(got) != 2 || got[0].Posn.Line != 60 || got[1].Func != "New" {
		t.Errorf("new findings = %+v, want the second in (*Svc).Stop and the one in New", got)
	}
}

func TestReadWrite(t *testing.T) {
	name := filepath.Join(t.TempDir(), "baseline.json")
	want := baseline.New([]driver.Finding{at(20), at(30)}, dir)
	if err := want.Write(name); err != nil {
		t.Fatal(err)
	}
	got, err := baseline.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 1 || got.Findings[0].Count != 2 || got.Findings[0].Key != want.Findings[0].Key {
		t.Errorf("read back %+v, want %+v", got.Findings, want.Findings)
	}
	for _, bad := range []string{`{"version": 2, "findings": []}`, `{"version": 1, "finding": []}`, `[`} {
		if err := os.WriteFile(name, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := baseline.Read(name); err == nil {
			t.Errorf("%s: read without error", bad)
		}
	}
}
