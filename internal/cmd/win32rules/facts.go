package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/handlecheck/handlecheck/rules"
)

// facts are what the generator takes from win32metadata, committed as
// win32api.txt so that rules_win32.yaml can be regenerated (and its
// freshness tested) without the snapshot:
//
//	source github.com/microsoft/win32metadata <commit> <date>
//	type HANDLE CloseHandle autoTypes
//	closer CloseHandle kernel32.dll 0
//	func kernel32.dll CreateFileW HANDLE return:HANDLE=CloseHandle
//	func kernel32.dll GetStdHandle HANDLE return:HANDLE!
//	func advapi32.dll RegOpenKeyExW LSTATUS out4:HKEY=RegCloseKey
//
// A slot is where the function hands out a handle: its return value or
// out parameter N, the handle's type, and then "=Close" (owned, released
// by Close) or "!" (borrowed: [DoNotRelease]).
type facts struct {
	origin, commit, date string
	headers              int // headers read
	missingHeaders       int // headers the snapshot lacks
	prototypes           int // prototypes found of exported functions
	exports              int // functions libMappings names
	types                []*handleType
	closers              []*closer
	funcs                []*fact
}

type fact struct {
	dll, name string
	ret       string // the return type as declared (resolved through typedefs), * for pointers
	slots     []handleSlot
}

type handleSlot struct {
	where    string // "return" or "outN"
	typ      string
	close    string
	borrowed bool
	ignoreIf string
}

type closer struct {
	name, dll string
	arg       rules.Param
	found     bool // its prototype was found
}

func (s handleSlot) String() string {
	t := s.where + ":" + s.typ
	if s.borrowed {
		t += "!"
	} else {
		t += "=" + s.close
	}
	return t
}

// out returns the out parameter index of the slot, or -1 for the return value.
func (s handleSlot) out() rules.Param {
	n, ok := strings.CutPrefix(s.where, "out")
	if !ok {
		return rules.NoParam
	}
	i, _ := strconv.Atoi(n)
	return rules.ParamAt(i)
}

const factsHeader = `# win32api.txt: the facts internal/cmd/win32rules takes from Microsoft's
# Win32 metadata (MIT), written by
#   go run ./internal/cmd/win32rules -metadata=/path/to/win32metadata.git -extract
# and read by every run of the generator (rules_win32.yaml is made from it,
# rules.yaml and x/sys). Do not edit: rerun the command. See the
# generator's doc comment for the format.
`

func (ft *facts) format() []byte {
	var b bytes.Buffer
	b.WriteString(factsHeader)
	fmt.Fprintf(&b, "source %s %s %s\n", ft.origin, ft.commit, ft.date)
	fmt.Fprintf(&b, "stats headers=%d missing-headers=%d exports=%d prototypes=%d\n", ft.headers, ft.missingHeaders, ft.exports, ft.prototypes)
	for _, t := range ft.types {
		fmt.Fprintf(&b, "type %s %s %s", t.name, orDash(t.close), t.origin)
		for _, d := range sortedKeys(t.byDLL) {
			fmt.Fprintf(&b, " %s=%s", d, t.byDLL[d])
		}
		b.WriteString("\n")
	}
	for _, c := range ft.closers {
		fmt.Fprintf(&b, "closer %s %s %d", c.name, orDash(c.dll), c.arg)
		if !c.found {
			b.WriteString(" noproto")
		}
		b.WriteString("\n")
	}
	for _, f := range ft.funcs {
		fmt.Fprintf(&b, "func %s %s %s", f.dll, f.name, orDash(f.ret))
		for _, s := range f.slots {
			b.WriteString(" " + s.String())
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parseFacts reads win32api.txt; errors carry name:line.
func parseFacts(name string, data []byte) (*facts, error) {
	ft := &facts{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		bad := func(why string) error { return fmt.Errorf("%s:%d: %s: %q", name, n, why, line) }
		switch f[0] {
		case "source":
			if len(f) != 4 {
				return nil, bad("want source ORIGIN COMMIT DATE")
			}
			ft.origin, ft.commit, ft.date = f[1], f[2], f[3]
		case "stats":
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, "=")
				i, err := strconv.Atoi(v)
				if err != nil {
					return nil, bad("bad stats value")
				}
				switch k {
				case "headers":
					ft.headers = i
				case "missing-headers":
					ft.missingHeaders = i
				case "exports":
					ft.exports = i
				case "prototypes":
					ft.prototypes = i
				}
			}
		case "type":
			if len(f) < 4 {
				return nil, bad("want type NAME CLOSE ORIGIN [DLL=CLOSE...]")
			}
			t := &handleType{name: f[1], close: strings.Trim(f[2], "-"), origin: f[3]}
			for _, kv := range f[4:] {
				d, c, ok := strings.Cut(kv, "=")
				if !ok {
					return nil, bad("want DLL=CLOSE")
				}
				if t.byDLL == nil {
					t.byDLL = make(map[string]string)
				}
				t.byDLL[d] = c
			}
			ft.types = append(ft.types, t)
		case "closer":
			if len(f) < 4 {
				return nil, bad("want closer NAME DLL ARG")
			}
			arg, err := strconv.Atoi(f[3])
			if err != nil {
				return nil, bad("bad argument index")
			}
			ft.closers = append(ft.closers, &closer{name: f[1], dll: strings.Trim(f[2], "-"), arg: rules.ParamAt(arg), found: len(f) == 4})
		case "func":
			if len(f) < 5 {
				return nil, bad("want func DLL NAME RET SLOT...")
			}
			fn := &fact{dll: f[1], name: f[2], ret: strings.Trim(f[3], "-")}
			for _, s := range f[4:] {
				where, rest, ok := strings.Cut(s, ":")
				if !ok || where != "return" && !strings.HasPrefix(where, "out") {
					return nil, bad("bad slot " + s)
				}
				hs := handleSlot{where: where}
				if t, ok := strings.CutSuffix(rest, "!"); ok {
					hs.typ, hs.borrowed = t, true
				} else if t, c, ok := strings.Cut(rest, "="); ok {
					hs.typ, hs.close = t, c
				} else {
					return nil, bad("bad slot " + s)
				}
				fn.slots = append(fn.slots, hs)
			}
			ft.funcs = append(ft.funcs, fn)
		default:
			return nil, bad("unknown line kind")
		}
	}
	if ft.commit == "" {
		return nil, fmt.Errorf("%s: no source line", name)
	}
	return ft, sc.Err()
}
