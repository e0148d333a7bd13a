package comtest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/handlecheck/handlecheck/analyzer"
	"github.com/handlecheck/handlecheck/internal/testenv"
)

// The COM tests describe the two APIs handlecheck was founded on, WSDAPI's
// IWSDSSLClientCertificate::GetMappedAccessToken (an owned token written
// through an out parameter, with an HRESULT: S_OK or S_FALSE) and IIS's
// IHttpUser::GetImpersonationToken and GetPrimaryToken (borrowed tokens),
// in the four ways Go bindings call them, with the shipped rules files
// under rules/com as a user adopts them: the binding's package path
// changed, nothing else.

// placeholder is the package path the shipped COM rules files name, which
// a user replaces with their binding's.
const placeholder = "example.com/yourmodule/com"

// shippedRules returns a copy of the shipped rules file name, in
// rules/com, with the binding's package path pkgPath in place of the
// placeholder.
func shippedRules(t *testing.T, name, pkgPath string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "rules", "com", name))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), placeholder) {
		t.Fatalf("%s does not name %s", name, placeholder)
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(data), placeholder, pkgPath)), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func runCOM(t *testing.T, rulesFile, bindingPath string, pkgs ...string) {
	t.Helper()
	a := analyzer.New(analyzer.Config{RulesFiles: []string{shippedRules(t, rulesFile, bindingPath)}})
	run(t, "windows", a, pkgs...)
}

// TestCOMInterface: the binding is a Go interface whose methods return an
// error.
func TestCOMInterface(t *testing.T) {
	runCOM(t, "founding-iface.yaml", "handlecheck.test/com/iface", "./com/iface")
}

// TestCOMWrapper: the binding is a struct with a vtable and wrapper
// methods on *T that call syscall.SyscallN and return an error; the
// wrappers are sources through their summaries, in an importing package.
func TestCOMWrapper(t *testing.T) {
	runCOM(t, "founding.yaml", "handlecheck.test/com/wrapper", "./com/wrapper", "./com/wrapper/app")
}

// TestCOMHRESULT: the same wrappers return the raw HRESULT, as a uintptr
// or a named type, tested by the callers against S_OK, S_FALSE and through
// FAILED and SUCCEEDED helpers.
func TestCOMHRESULT(t *testing.T) {
	runCOM(t, "founding.yaml", "handlecheck.test/com/hresult", "./com/hresult")
}

// TestCOMVtable: the vtable slots are called inline.
func TestCOMVtable(t *testing.T) {
	runCOM(t, "founding.yaml", "handlecheck.test/com/vtable", "./com/vtable")
}

// TestCOMMethodRule: rules on a binding's pointer-receiver wrapper methods,
// the owned one returning the raw HRESULT with success: zero.
func TestCOMMethodRule(t *testing.T) {
	rulesFile, err := filepath.Abs(filepath.Join(testdata, "com", "methodrule", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	run(t, "windows", analyzer.New(analyzer.Config{RulesFiles: []string{rulesFile}}), "./com/methodrule")
}

// TestCOMRulesChecked checks vtable rules and success on Go functions
// against the packages that declare them: a slot that is not a field, a
// field promoted from an embedded vtable, a field that is not a uintptr,
// a constant, and success on a method whose result 0 is an error.
func TestCOMRulesChecked(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rules.yaml")
	rules := `owned:
  - vtable: (handlecheck.test/com/vtable.IWSDSSLClientCertificateVtbl).GetMapedAccessToken
    resource: token
    out: 0
    success: zero
  - vtable: (handlecheck.test/com/vtable.IWSDSSLClientCertificateVtbl).QueryInterface
    resource: token
    out: 1
    success: zero
  - vtable: (handlecheck.test/com/vtable.IWSDSSLClientCertificate).vtbl
    resource: token
  - vtable: (handlecheck.test/com/vtable.S_OK).X
    resource: token
  - func: (*handlecheck.test/com/wrapper.IWSDSSLClientCertificate).GetMappedAccessToken
    resource: token
    out: 0
    success: zero
borrowed:
  - func: (handlecheck.test/com/vtable.IHttpUserVtbl).GetPrimaryToken
    resource: token
`
	if err := os.WriteFile(file, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOS", "windows")
	var rec testenv.Recorder
	analysistest.Run(&rec, testdata, analyzer.New(analyzer.Config{RulesFiles: []string{file}}), "./com/vtable", "./com/wrapper")
	for _, want := range []string{
		file + ":2:13: vtable: GetMapedAccessToken is not a field of vtable.IWSDSSLClientCertificateVtbl\n" +
			file + ":6:13: vtable: QueryInterface of vtable.IWSDSSLClientCertificateVtbl is promoted from the embedded vtable.IUnknownVtbl: name (handlecheck.test/com/vtable.IUnknownVtbl).QueryInterface\n" +
			file + ":10:13: vtable: field vtbl of vtable.IWSDSSLClientCertificate is *vtable.IWSDSSLClientCertificateVtbl, not a procedure's address (uintptr)\n" +
			file + ":12:13: vtable: handlecheck.test/com/vtable.S_OK is a constant, not a struct type",
		file + ":19:11: (handlecheck.test/com/vtable.IHttpUserVtbl).GetPrimaryToken is a vtable slot (a uintptr field), not a method: name it with vtable: in place of func:",
		file + ":14:11: success: result 0 of (*handlecheck.test/com/wrapper.IWSDSSLClientCertificate).GetMappedAccessToken is a result of type error, not an integer status",
	} {
		if !containsAll(rec.Errs, want) {
			t.Errorf("want the error\n%s\ngot %q", want, rec.Errs)
		}
	}
}

// TestCOMVet runs the real command under go vet with the shipped
// founding.yaml on the wrapper binding and its importing package: the
// wrappers' summaries, sources through the vtable rules, travel as facts.
func TestCOMVet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go vet")
	}
	bin := buildCommand(t)
	rulesFile := shippedRules(t, "founding.yaml", "handlecheck.test/com/wrapper")
	vet := exec.Command("go", "vet", "-vettool="+bin, "-rules="+rulesFile, "./com/wrapper/...")
	vet.Dir = testdata
	vet.Env = append(os.Environ(), "GOOS=windows", "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := vet.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet reported nothing; output:\n%s", out)
	}
	for _, want := range []string{
		"app_windows.go:13:12: token from (*wrapper.IWSDSSLClientCertificate).GetMappedAccessToken ((wrapper.IWSDSSLClientCertificateVtbl).GetMappedAccessToken) is not closed on every path",
		"app_windows.go:29:14: token from (*wrapper.IWSDSSLClientCertificate).MappedToken ((wrapper.IWSDSSLClientCertificateVtbl).GetMappedAccessToken) is not closed on every path",
		"app_windows.go:44:8: the deferred windows.CloseHandle closes a borrowed handle from (*wrapper.IHttpUser).GetImpersonationToken ((wrapper.IHttpUserVtbl).GetImpersonationToken) (IIS owns the token; clients must not call CloseHandle on it)",
		"app_windows.go:51:2: (windows.Token).Close closes a borrowed handle from (*wrapper.IHttpUser).GetPrimaryToken",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet output lacks %q; output:\n%s", want, out)
		}
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "app_windows.go:") && !strings.Contains(line, ": \t") {
			n++ // a finding, not its related information
		}
	}
	if n != 4 {
		t.Errorf("go vet reported %d findings in app_windows.go, want 4; output:\n%s", n, out)
	}
}

// TestCOMGoOle: the shipped rules/com/goole.yaml on code that calls the
// real github.com/go-ole/go-ole: COM references, VARIANTs and BSTRs, a
// Release promoted from the embedded ole.IUnknown, and the IDispatch a
// VARIANT lends.
func TestCOMGoOle(t *testing.T) {
	rulesFile, err := filepath.Abs(filepath.Join("..", "..", "rules", "com", "goole.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	run(t, "windows", analyzer.New(analyzer.Config{RulesFiles: []string{rulesFile}}), "./com/goole")
}
