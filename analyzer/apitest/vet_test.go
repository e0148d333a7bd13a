package apitest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestVetFacts runs the real command under go vet on packages whose leaks
// come from a wrapper or an owner type in another package: the summaries
// must travel as facts through go vet's vetx files.
func TestVetFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go vet")
	}
	bin := buildCommand(t)
	vet := exec.Command("go", "vet", "-vettool="+bin, "./summaries/app", "./owners/app", "./parts", "./recall5pass")
	vet.Dir = testdata
	vet.Env = append(os.Environ(), "GOOS=windows", "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := vet.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet reported nothing; output:\n%s", out)
	}
	for _, want := range []string{
		"app_windows.go:11:14: token from lib.OpenToken (windows.OpenProcessToken) is not closed on every path",
		"lib.CloseHandle closes a borrowed handle from windows.CurrentProcess",
		"double release: lib.CloseHandle releases the handle from windows.OpenProcess already released by lib.CloseHandle",
		// An owner type's constructor and closer, as facts.
		"app_windows.go:7:12: lib.File from lib.Open (windows.CreateFile) is not closed on every path",
		// A goos: windows rule: under go vet, imports come from export
		// data, and GOOS is read from syscall's file names.
		"handle from syscall.StartProcess is not closed on every path",
		// A generic pass-through helper of another package (util.Must),
		// as a fact.
		"pass.go:180:17: file from os.Open is not closed on every path",
		"pass_windows.go:88:18: handle from windows.CreateEvent is not closed on every path",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet output lacks %q; output:\n%s", want, out)
		}
	}
}

// TestVetErrTest runs the command under go vet on an error test of
// another package that has no other handle code (netknownfa/errhelper):
// its fact must travel through the vetx files, so that only the leak
// behind a test that is true for a nil error is reported.
func TestVetErrTest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go vet")
	}
	bin := buildCommand(t)
	vet := exec.Command("go", "vet", "-vettool="+bin, "./netknownfa/errhelper")
	vet.Dir = testdata
	vet.Env = append(os.Environ(), "GOOS=linux", "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, _ := vet.CombinedOutput()
	if got, want := strings.Count(string(out), "is not closed on every path"), 1; got != want {
		t.Errorf("go vet reported %d leaks, want %d; output:\n%s", got, want, out)
	}
	if want := "errhelper.go:51:12: file from os.Open is not closed on every path"; !strings.Contains(string(out), want) {
		t.Errorf("go vet output lacks %q; output:\n%s", want, out)
	}
}
