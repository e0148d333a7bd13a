package rules

import "testing"

// TestRejectImpossible checks the rules that cannot be right and that
// Parse can tell without the code: absurd indices, native arguments beyond
// what a procedure can take, constants in a native rule's tests, a DLL
// with no name; and that an integer too large for 64 bits is called too
// large whether YAML tags it !!int or !!float. Each error is reported once.
func TestRejectImpossible(t *testing.T) {
	const owned = "owned:\n  - func: golang.org/x/sys/windows.CreatePipe\n    resource: handle\n"
	for _, c := range []struct{ name, yaml, want string }{
		{"absurd index", owned + "    out: 0\n    index: 99999999999\n",
			`x.yaml:5:12: index: "99999999999" is too large (at most 1024)`},
		{"too large as float", owned + "    out: 99999999999999999999\n",
			`x.yaml:4:10: out: "99999999999999999999" is too large (at most 1024)`},
		{"too large as int", owned + "    out: !!int 99999999999999999999\n",
			`x.yaml:4:10: out: "99999999999999999999" is too large (at most 1024)`},
		{"native out", "owned:\n  - func: kernel32.dll!CreateFileW\n    resource: handle\n    out: 50\n    success: nonzero\n",
			"x.yaml:4:10: out: 50 is beyond the arguments of a native procedure (at most 42)"},
		{"native arg", "resources:\n  - name: handle\n    release:\n      - func: kernel32.dll!CloseHandle\n        arg: 42\n",
			"x.yaml:5:14: arg: 42 is beyond the arguments of a native procedure (at most 42)"},
		{"native when arg", "resources:\n  - name: handle\n    release:\n      - func: kernel32.dll!CloseHandle\n        when:\n          - {arg: 100, equals: 0}\n",
			"x.yaml:6:32: when: arg 100 is beyond the arguments of a native procedure (at most 42)"},
		{"native when constant", "resources:\n  - name: handle\n    release:\n      - func: kernel32.dll!CloseHandle\n        when:\n          - {arg: 0, equals: INVALID}\n",
			`x.yaml:6:30: equals: "INVALID" is not an integer literal; a native procedure has no package to look up constants in`},
		{"dll without a name", "resources:\n  - name: handle\n    release:\n      - func: .dll!CloseHandle\n",
			`x.yaml:4:15: invalid native procedure ".dll!CloseHandle": missing DLL name before '!'`},
		{"release alias", "resources:\n  - name: handle\n    release: &r [{func: golang.org/x/sys/windows.CloseHandle}]\n  - name: other\n    release: *r\n",
			"x.yaml:5:14: release: aliases are not supported"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(c.yaml))
			if err == nil || err.Error() != c.want {
				t.Errorf("Parse error:\n got %v\nwant %s", err, c.want)
			}
		})
	}
}
