package rules

import "testing"

func TestResourceLeakKey(t *testing.T) {
	defaults := mustParse(t, "rules.yaml", "resources:\n  - name: module\n    leak: false\n    release:\n      - func: golang.org/x/sys/windows.FreeLibrary\n  - name: handle\n    release:\n      - func: golang.org/x/sys/windows.CloseHandle\n")
	s := mustMerge(t, defaults)
	if !s.Resources["module"].NoLeak || s.Resources["handle"].NoLeak {
		t.Errorf("NoLeak: module %v, handle %v; want true, false", s.Resources["module"].NoLeak, s.Resources["handle"].NoLeak)
	}
	// A user file can turn leak reports back on; saying nothing keeps them off.
	on := mustParse(t, "user.yaml", "resources:\n  - name: module\n    leak: true\n    release:\n      - func: golang.org/x/sys/windows.FreeLibrary\n")
	if mustMerge(t, defaults, on).Resources["module"].NoLeak {
		t.Error("leak: true in a later file did not turn leak reports back on")
	}
	quiet := mustParse(t, "user.yaml", "resources:\n  - name: module\n    release:\n      - func: syscall.FreeLibrary\n")
	if !mustMerge(t, defaults, quiet).Resources["module"].NoLeak {
		t.Error("a later file without leak: changed it")
	}
	if _, err := Parse("bad.yaml", []byte("resources:\n  - name: module\n    leak: sometimes\n    release:\n      - func: os.Exit\n")); err == nil || err.Error()[:len("bad.yaml:3:11")] != "bad.yaml:3:11" {
		t.Errorf("leak: sometimes: got %v, want an error at bad.yaml:3:11", err)
	}
}
