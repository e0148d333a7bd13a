package rulescheck

import (
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/rules"
)

// badRules has one mistake per rule that only the real packages reveal;
// TestResolveErrors checks that resolveErrors finds each.
const badRules = `resources:
  - name: handle
    release:
      - func: golang.org/x/sys/windows.CloseHandle
      - func: golang.org/x/sys/windows.DuplicateHandle
        arg: 1
        when: [{arg: 9, has-bits: DUPLICATE_CLOSE_SOURCE}]
      - func: golang.org/x/sys/windows.DuplicateHandle
        arg: 1
        when: [{arg: 6, has-bits: CloseHandle}]
      - func: kernel32.dll!CloseHandle
  - name: fd
    release:
      - func: golang.org/x/sys/unix.Close
owned:
  - {func: golang.org/x/sys/windows.CreateProcess, resource: handle, out: 9, field: Proces}
  - {func: golang.org/x/sys/windows.CreateProcess, resource: handle, out: 9, field: ProcessId}
  - {func: golang.org/x/sys/windows.GetModuleHandleEx, resource: handle, out: 2, when: [{arg: 0, has-bits: NO_SUCH_FLAG}]}
  - {func: golang.org/x/sys/windows.DuplicateHandle, resource: handle, out: 3, when: [{arg: 2, from: [golang.org/x/sys/windows.NoSuchProcess]}]}
  - {func: golang.org/x/sys/windows.CreateEvent, resource: handle, also-valid-with: [golang.org/x/sys/windows.ERROR_NO_SUCH_ERROR]}
  - {func: golang.org/x/sys/windows.CreateMutex, resource: handle, also-valid-with: [golang.org/x/sys/windows.CloseHandle]}
  - {func: golang.org/x/sys/unix.Open, resource: fd, goos: windows}
  - {func: syscall.Open, resource: fd, goos: darwin}
  - {func: golang.org/x/sys/unix.Socketpair, resource: fd, result: 0, index: 2}
  - {func: syscall.StartProcess, resource: handle, result: 1}
  - {func: golang.org/x/sys/windows.CreateIoCompletionPort, resource: handle, when: [{arg: 1, equals: golang.org/x/sys/windows.NoSuch}]}
  - {func: advapi32.dll!LogonUserW, resource: handle, out: 5, success: nonzero}
  - {func: golang.org/x/sys/windows.UTF16ToString, resource: handle, out: 0, index: 0}
`

func TestResolveErrors(t *testing.T) {
	f, err := rules.Parse("bad.yaml", []byte(badRules))
	if err != nil {
		t.Fatal(err)
	}
	s, err := rules.Merge(f)
	if err != nil {
		t.Fatal(err)
	}
	errs := resolveErrors(both(t), s)
	want := []string{
		"bad.yaml:7:35: GOOS=windows: when: arg 9 is not a parameter of golang.org/x/sys/windows.DuplicateHandle (it has 7 parameters)",
		"bad.yaml:10:35: GOOS=windows: has-bits: CloseHandle is a function, not a constant",
		"bad.yaml:16:12: GOOS=windows: field: Proces is not a field of windows.ProcessInformation, which out 9 points to",
		"bad.yaml:17:12: GOOS=windows: golang.org/x/sys/windows.CreateProcess: field ProcessId is uint32, not handle-typed",
		"bad.yaml:18:108: GOOS=windows: has-bits: NO_SUCH_FLAG is not declared in package golang.org/x/sys/windows",
		"bad.yaml:19:102: GOOS=windows: from: golang.org/x/sys/windows.NoSuchProcess does not exist",
		"bad.yaml:20:12: GOOS=windows: golang.org/x/sys/windows.CreateEvent: also-valid-with: golang.org/x/sys/windows.ERROR_NO_SUCH_ERROR does not exist",
		"bad.yaml:21:12: GOOS=windows: golang.org/x/sys/windows.CreateMutex: also-valid-with: golang.org/x/sys/windows.CloseHandle is not a constant or variable",
		"bad.yaml:22:12: golang.org/x/sys/unix.Open does not exist under GOOS=windows",
		"bad.yaml:23:12: syscall.Open: goos darwin is not checked here",
		"bad.yaml:24:12: GOOS=linux: index: 2 is out of bounds of [2]int (length 2), which result 0 names",
		"bad.yaml:25:12: GOOS=linux: syscall.StartProcess: the rule's result 1 is not handle-typed",
		"bad.yaml:26:103: GOOS=windows: equals: golang.org/x/sys/windows.NoSuch is not declared in package golang.org/x/sys/windows or the packages it imports",
		"bad.yaml:28:12: GOOS=windows: golang.org/x/sys/windows.UTF16ToString: the elements of the rule's out 0 are uint16, not handle-typed",
	}
	for _, w := range want {
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e, w)
		}
		if !found {
			t.Errorf("no error %q", w)
		}
	}
	if len(errs) != len(want) || t.Failed() {
		t.Errorf("got %d errors, want %d:\n%s", len(errs), len(want), strings.Join(errs, "\n"))
	}
}

// TestCoveredByGOOS checks that a rule with a goos covers its function
// under that GOOS only.
func TestCoveredByGOOS(t *testing.T) {
	f, err := rules.Parse("goos.yaml", []byte(`resources:
  - name: handle
    release: [{func: syscall.CloseHandle}]
owned:
  - {func: syscall.StartProcess, resource: handle, result: 1, goos: windows}
  - {func: syscall.Open, resource: handle}
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := rules.Merge(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fn, goos string
		want     bool
	}{
		{"syscall.StartProcess", "windows", true},
		{"syscall.StartProcess", "linux", false},
		{"syscall.Open", "linux", true},
		{"syscall.Close", "windows", false},
	} {
		if got := covered(s, tc.fn, tc.goos); got != tc.want {
			t.Errorf("covered(%s, %s) = %v, want %v", tc.fn, tc.goos, got, tc.want)
		}
	}
	if errs := resolveErrors(both(t), s); len(errs) > 0 {
		t.Errorf("resolveErrors: %s", strings.Join(errs, "\n"))
	}
}
