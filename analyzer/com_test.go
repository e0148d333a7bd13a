package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
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
	data, err := os.ReadFile(filepath.Join("..", "rules", "com", name))
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
