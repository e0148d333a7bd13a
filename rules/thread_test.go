package rules

import (
	"go/types"
	"strings"
	"testing"
)

const threadRules = `resources:
  - name: token
    release:
      - func: golang.org/x/sys/windows.CloseHandle
impersonates:
  - func: golang.org/x/sys/windows.ImpersonateSelf
  - func: golang.org/x/sys/windows.SetThreadToken
    when: [{arg: 0, equals: nil}, {arg: 1, not-equals: 0}]
  - func: rpcrt4.dll!RpcImpersonateClient
    success: zero
reverts:
  - func: golang.org/x/sys/windows.RevertToSelf
  - func: golang.org/x/sys/windows.SetThreadToken
    when: [{arg: 0, equals: nil}, {arg: 1, equals: 0}]
locks-thread:
  - func: runtime.LockOSThread
unlocks-thread:
  - func: runtime.UnlockOSThread
changes:
  - func: golang.org/x/sys/windows.AdjustTokenPrivileges
  - func: golang.org/x/sys/windows.SetHandleInformation
    resource: token
  - func: (example.com/tok.T).Set
  - func: advapi32.dll!SetTokenInformation
    arg: 0
`

func TestParseThread(t *testing.T) {
	s := mustMerge(t, mustParse(t, "rules.yaml", threadRules))
	stt := s.Thread["golang.org/x/sys/windows.SetThreadToken"]
	if len(stt) != 2 || stt[0].Op != Impersonates || stt[1].Op != Reverts || len(stt[1].When) != 2 {
		t.Errorf("SetThreadToken rules = %+v, want an impersonates and a reverts rule with conditions", stt)
	}
	if r := s.Thread["rpcrt4.dll!RpcImpersonateClient"]; len(r) != 1 || r[0].Success != SuccessZero || r[0].Pos != at(9, 11) {
		t.Errorf("RpcImpersonateClient = %+v", r)
	}
	if r := s.Thread["runtime.LockOSThread"]; len(r) != 1 || r[0].Op != LocksThread {
		t.Errorf("LockOSThread = %+v", r)
	}
	if s.Knows("runtime.UnlockOSThread")&KnownThread == 0 || s.Knows("golang.org/x/sys/windows.AdjustTokenPrivileges")&KnownChange == 0 {
		t.Errorf("Knows misses the thread or changes rules")
	}
	if c := s.Changes["golang.org/x/sys/windows.SetHandleInformation"]; len(c) != 1 || c[0].Resource != "token" || c[0].Arg != 0 {
		t.Errorf("SetHandleInformation = %+v", c)
	}
	if c := s.Changes["(example.com/tok.T).Set"]; len(c) != 1 || c[0].Arg != Receiver {
		t.Errorf("a method's changes rule = %+v, want the receiver", c)
	}

	// A later file's rules of one kind for a function replace the earlier
	// ones of that kind, and leave the other kinds.
	user := mustParse(t, "user.yaml", "reverts:\n  - func: golang.org/x/sys/windows.SetThreadToken\n    when: [{arg: 1, equals: 0}]\nchanges:\n  - func: golang.org/x/sys/windows.AdjustTokenPrivileges\n    resource: token\n")
	s = mustMerge(t, mustParse(t, "rules.yaml", threadRules), user)
	stt = s.Thread["golang.org/x/sys/windows.SetThreadToken"]
	if len(stt) != 2 || stt[0].Op != Impersonates || stt[1].Op != Reverts || stt[1].Pos.File != "user.yaml" || len(stt[1].When) != 1 {
		t.Errorf("merged SetThreadToken rules = %+v", stt)
	}
	if c := s.Changes["golang.org/x/sys/windows.AdjustTokenPrivileges"]; len(c) != 1 || c[0].Resource != "token" {
		t.Errorf("merged AdjustTokenPrivileges = %+v", c)
	}
}

func TestParseThreadErrors(t *testing.T) {
	tests := []struct {
		name, data, pos, msg string
	}{
		{"unknown key", "impersonates:\n  - func: runtime.LockOSThread\n    arg: 0\n", "3:5",
			`unknown key "arg" in impersonates rule (want func, when, goos, success)`},
		{"not a list", "reverts: x\n", "1:10", "reverts: want a list"},
		{"missing func", "locks-thread:\n  - when: [{arg: 0, equals: 0}]\n", "2:5", "missing func in locks-thread rule"},
		{"success on Go func", "impersonates:\n  - func: golang.org/x/sys/windows.ImpersonateSelf\n    success: zero\n", "3:14",
			"success: only for a native procedure"},
		{"bad success", "impersonates:\n  - func: ole32.dll!CoImpersonateClient\n    success: negative\n", "3:14",
			`success: want zero (0 is success: an RPC_STATUS, an HRESULT whose one success is S_OK) or nonzero (a BOOL), got "negative"`},
		{"duplicate", "unlocks-thread:\n  - func: runtime.UnlockOSThread\n  - func: runtime.UnlockOSThread\n", "3:11",
			"duplicate unlocks-thread rule for runtime.UnlockOSThread (first at line 2)"},
		{"native constant", "reverts:\n  - func: advapi32.dll!SetThreadToken\n    when: [{arg: 1, equals: NO_TOKEN}]\n", "3:29",
			"equals: \"NO_TOKEN\" is not an integer literal"},
		{"changes unknown key", "changes:\n  - func: golang.org/x/sys/windows.AdjustTokenPrivileges\n    out: 0\n", "3:5",
			`unknown key "out" in changes rule (want func, arg, resource, when, goos)`},
		{"changes bad arg", "changes:\n  - func: golang.org/x/sys/windows.AdjustTokenPrivileges\n    arg: -1\n", "3:10",
			`arg: want a non-negative integer, got "-1"`},
		{"changes native arg", "changes:\n  - func: advapi32.dll!AdjustTokenPrivileges\n    arg: 50\n", "3:10",
			"arg: 50 is beyond the arguments of a native procedure"},
		{"changes duplicate", "changes:\n  - func: golang.org/x/sys/windows.AdjustTokenGroups\n  - func: golang.org/x/sys/windows.AdjustTokenGroups\n", "3:11",
			"duplicate changes rule for golang.org/x/sys/windows.AdjustTokenGroups (arg 0) (first at line 2)"},
		{"changes bad resource", "changes:\n  - func: golang.org/x/sys/windows.AdjustTokenGroups\n    resource: \"a b\"\n", "3:15",
			"resource name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("rules.yaml", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %s: %s", tt.pos, tt.msg)
			}
			first := strings.SplitN(err.Error(), "\n", 2)[0]
			if !strings.HasPrefix(first, "rules.yaml:"+tt.pos) || !strings.Contains(first, tt.msg) {
				t.Errorf("error:\n%v\nwant rules.yaml:%s: ...%s...", err, tt.pos, tt.msg)
			}
		})
	}
}

func TestMergeThreadErrors(t *testing.T) {
	user := mustParse(t, "user.yaml", "changes:\n  - func: golang.org/x/sys/windows.AdjustTokenGroups\n    resource: tokn\n")
	_, err := Merge(mustParse(t, "rules.yaml", threadRules), user)
	if want := `user.yaml:3:15: unknown resource "tokn"`; err == nil || err.Error() != want {
		t.Errorf("Merge error = %v, want %s", err, want)
	}
}

func TestCheckThread(t *testing.T) {
	sigs := signatures(t)
	s := mustMerge(t, mustParse(t, "rules.yaml", `changes:
  - func: golang.org/x/sys/windows.OpenProcessToken
    arg: 7
impersonates:
  - func: golang.org/x/sys/windows.OpenProcessToken
    when: [{arg: 9, equals: 0}]
`))
	sig := sigs["OpenProcessToken"]
	if sig == nil {
		t.Fatal("no signature of OpenProcessToken")
	}
	wantCheck(t, s.Changes["golang.org/x/sys/windows.OpenProcessToken"][0].Check(sig), at(2, 11), "arg: 7 is not a parameter of golang.org/x/sys/windows.OpenProcessToken")
	wantCheck(t, s.Thread["golang.org/x/sys/windows.OpenProcessToken"][0].Check(sig), at(6, 29), "when: arg 9 is not a parameter")
	var none *types.Signature
	wantCheck(t, (&Changer{Func: "advapi32.dll!X"}).Check(none), Pos{}, "")
}
