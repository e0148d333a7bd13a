package main

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/handlecheck/handlecheck/rules"
)

// inputs are everything rules_win32.yaml is made from.
type inputs struct {
	rulesName string
	rules     []byte              // rules.yaml
	wrappers  map[string]*wrapper // x/sys and syscall wrappers by full name
	consts    map[string]string   // their integer constants by full name
	xsys      string              // x/sys version, for the header
	facts     *facts
}

// A nativeRule is one generated owned or borrowed rule.
type nativeRule struct {
	proc     string
	resource string
	out      rules.Param // rules.NoParam: the return value
	field    string      // the field of the struct out points to that is the handle, or ""
	success  string
	borrowed bool
	note     string
	when     []rules.Test
	comment  string
}

// A nativeRelease is one generated release rule.
type nativeRelease struct {
	fn      string
	arg     rules.Param
	when    []rules.Test
	comment string
}

type generator struct {
	in    inputs
	hand  *rules.Set
	stats map[string]int
	// derived rules from x/sys, by native procedure
	xsysSources map[string][]nativeRule
	// release rules to add, by resource name (in order of first use)
	releases   map[string][]nativeRelease
	resOrder   []string
	newRes     map[string]bool // resources this file defines
	resComment map[string]string
	// resource of each close procedure "dll!Proc#arg"
	closeRes map[string]string
	metaSrc  []nativeRule
	skipped  []string
}

func generate(in inputs) ([]byte, error) {
	f, err := rules.Parse(in.rulesName, in.rules)
	if err != nil {
		return nil, err
	}
	hand, err := rules.Merge(f)
	if err != nil {
		return nil, err
	}
	g := &generator{
		in: in, hand: hand, stats: make(map[string]int),
		xsysSources: make(map[string][]nativeRule),
		releases:    make(map[string][]nativeRelease),
		newRes:      make(map[string]bool),
		resComment:  make(map[string]string),
		closeRes:    make(map[string]string),
	}
	g.deriveXsys()
	g.mapClosers()
	g.fromMetadata()
	return g.format(), nil
}

// ---- x/sys's own procedures ----------------------------------------------

// mapTests renumbers When tests from Go parameters to native arguments and
// gives named constants their values. ok is false when a test cannot be
// carried over.
func (g *generator) mapTests(fn string, w *wrapper, tests []rules.Test) ([]rules.Test, bool) {
	var out []rules.Test
	for _, t := range tests {
		j, ok := w.args[t.Arg]
		if !ok {
			return nil, false
		}
		t.Arg = j
		switch {
		case t.Op == rules.From:
			t.Funcs = append([]string(nil), t.Funcs...)
		case t.Value == "nil":
			// equals nil / not-equals nil split a rule by whether a name
			// is given, for also-valid-with; a native procedure has no
			// error result, so both halves are the same rule.
			continue
		default:
			if _, err := strconv.ParseInt(t.Value, 0, 64); err != nil {
				name := t.Value
				if !strings.Contains(name, ".") {
					name = rules.PkgPath(fn) + "." + name
				}
				v, ok := g.in.consts[name]
				if !ok {
					return nil, false
				}
				t.Value = v
			}
		}
		out = append(out, t)
	}
	return out, true
}

func (g *generator) deriveXsys() {
	for _, fn := range sortedKeys(g.hand.Sources) {
		w := g.in.wrappers[fn]
		if w == nil || rules.IsNative(fn) {
			continue
		}
		for _, src := range g.hand.Sources[fn] {
			why := ""
			r := nativeRule{proc: w.proc, resource: src.Resource.Name, borrowed: src.Borrowed, note: src.Note, out: rules.NoParam,
				comment: rules.ShortName(fn)}
			switch {
			case src.Index >= 0:
				why = "an element of an out or result (native rules have no index)"
			case src.Out >= 0:
				j, ok := w.args[src.Out]
				switch {
				case !ok:
					why = "out parameter not passed to the procedure as it is"
				case w.success == "":
					why = "no success test in the wrapper"
				default:
					// A field of the struct out points to keeps its
					// name: the procedure is called with the same Go
					// pointer (uintptr(unsafe.Pointer(procInfo))).
					r.out, r.success, r.field = j, w.success, src.Field
				}
			case !w.ret[src.Result]:
				why = "result not the procedure's return value"
			}
			if why == "" {
				when, ok := g.mapTests(fn, w, src.When)
				if !ok {
					why = "a condition on an argument not passed as it is, or an unknown constant"
				}
				r.when = when
			}
			if why != "" {
				if msg := fmt.Sprintf("%s (%s): %s", rules.ShortName(fn), w.proc, why); !slices.Contains(g.skipped, msg) {
					g.skipped = append(g.skipped, msg)
				}
				continue
			}
			g.addXsys(r)
		}
	}
	for _, name := range g.sortedResources() {
		res := g.hand.Resources[name]
		for _, rel := range res.Release {
			w := g.in.wrappers[rel.Func]
			if w == nil || rel.Arg < 0 {
				continue
			}
			j, ok := w.args[rel.Arg]
			if !ok {
				g.skipped = append(g.skipped, fmt.Sprintf("%s (%s): released argument not passed as it is", rules.ShortName(rel.Func), w.proc))
				continue
			}
			when, ok := g.mapTests(rel.Func, w, rel.When)
			if !ok {
				g.skipped = append(g.skipped, fmt.Sprintf("%s (%s): condition not carried over", rules.ShortName(rel.Func), w.proc))
				continue
			}
			g.addRelease(name, nativeRelease{fn: w.proc, arg: j, when: when, comment: rules.ShortName(rel.Func)})
		}
	}
}

// addXsys adds a derived rule unless the same one is there (windows.X and
// syscall.X call one procedure); the comment lists every Go function.
func (g *generator) addXsys(r nativeRule) {
	rs := g.xsysSources[r.proc]
	for i, old := range rs {
		if old.key() == r.key() {
			if !strings.Contains(old.comment, r.comment) {
				rs[i].comment += ", " + r.comment
			}
			return
		}
	}
	g.xsysSources[r.proc] = append(rs, r)
}

func (r nativeRule) key() string {
	return fmt.Sprint(r.resource, r.out, r.field, r.success, r.borrowed, testsKey(r.when))
}

func testsKey(ts []rules.Test) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprint(&b, t.Arg, t.Op, t.Value, t.Funcs, ";")
	}
	return b.String()
}

func (g *generator) addRelease(res string, rel nativeRelease) {
	for i, old := range g.releases[res] {
		if old.fn == rel.fn && old.arg == rel.arg && testsKey(old.when) == testsKey(rel.when) {
			if !strings.Contains(old.comment, rel.comment) {
				g.releases[res][i].comment += ", " + rel.comment
			}
			return
		}
	}
	// Already in rules.yaml as it is: nothing to add.
	if r := g.hand.Resources[res]; r != nil {
		for _, old := range r.Release {
			if old.Func == rel.fn && old.Arg == rel.arg && testsKey(old.When) == testsKey(rel.when) {
				return
			}
		}
	}
	if _, ok := g.releases[res]; !ok {
		g.resOrder = append(g.resOrder, res)
	}
	g.releases[res] = append(g.releases[res], rel)
}

// sortedResources returns rules.yaml's resources in file order.
func (g *generator) sortedResources() []string {
	names := sortedKeys(g.hand.Resources)
	sort.SliceStable(names, func(i, j int) bool {
		return g.hand.Resources[names[i]].Pos.Line < g.hand.Resources[names[j]].Pos.Line
	})
	return names
}

// ---- win32metadata -------------------------------------------------------

// mapClosers finds, for each procedure that releases a resource of
// rules.yaml unconditionally (named natively, or called by an x/sys
// releaser), that resource; the first in file order wins (CloseHandle:
// handle, not token).
func (g *generator) mapClosers() {
	for _, name := range g.sortedResources() {
		for _, rel := range g.hand.Resources[name].Release {
			if len(rel.When) > 0 || rel.Arg < 0 {
				continue
			}
			proc, arg := rel.Func, rel.Arg
			if !rules.IsNative(proc) {
				w := g.in.wrappers[proc]
				if w == nil {
					continue
				}
				j, ok := w.args[arg]
				if !ok {
					continue
				}
				proc, arg = w.proc, j
			}
			key := proc + "#" + strconv.Itoa(int(arg))
			if _, ok := g.closeRes[key]; !ok {
				g.closeRes[key] = name
			}
		}
	}
}

// successOf returns the success key for a function with an out handle,
// from its return type, or "".
func successOf(ret string) string {
	switch ret {
	case "BOOL", "BOOLEAN", "WINBOOL":
		return "nonzero"
	case "NTSTATUS", "HRESULT", "LSTATUS", "WIN32_ERROR", "DWORD", "ULONG", "LONG", "SECURITY_STATUS",
		"NET_API_STATUS", "CONFIGRET", "RPC_STATUS", "PDH_STATUS", "PDH_FUNCTION", "TDHSTATUS", "JET_ERR", "DNS_STATUS", "MMRESULT":
		return "zero"
	}
	return ""
}

func (g *generator) fromMetadata() {
	ft := g.in.facts
	closers := make(map[string]*closer)
	for _, c := range ft.closers {
		closers[c.name] = c
	}
	types := make(map[string]*handleType)
	multi := make(map[string]int) // close function -> number of types it closes
	for _, t := range ft.types {
		types[t.name] = t
		if t.close != "" {
			multi[t.close]++
		}
	}
	for _, f := range ft.funcs {
		proc := rules.NativeName(f.dll, f.name)
		if why, ok := exclude[proc]; ok {
			g.stats["excluded"]++
			g.skipped = append(g.skipped, fmt.Sprintf("%s: excluded: %s", proc, why))
			continue
		}
		if len(g.hand.Sources[proc]) > 0 {
			g.stats["in rules.yaml"]++
			continue
		}
		if len(g.xsysSources[proc]) > 0 {
			g.stats["from x/sys"]++
			continue
		}
		for _, s := range f.slots {
			r := nativeRule{proc: proc, out: s.out(), borrowed: s.borrowed}
			res, why := g.slotResource(f, s, closers, types, multi)
			if why != "" {
				g.stats["skipped"]++
				g.skipped = append(g.skipped, fmt.Sprintf("%s %s: %s", proc, s, why))
				continue
			}
			r.resource = res
			if r.out >= 0 {
				r.success = successOf(f.ret)
				if r.success == "" {
					g.stats["skipped"]++
					g.skipped = append(g.skipped, fmt.Sprintf("%s %s: return type %s says nothing of success", proc, s, f.ret))
					continue
				}
			}
			if s.borrowed {
				r.note = "a handle the caller must not release (win32metadata: DoNotRelease)"
			}
			r.comment = fmt.Sprintf("%s %s %s", f.ret, s.where, s.typ)
			if s.close != "" {
				r.comment += " -> " + s.close
			}
			g.metaSrc = append(g.metaSrc, r)
			g.stats["generated"]++
		}
	}
}

// slotResource returns the resource of a slot, defining it and its
// releaser when rules.yaml has none for the close function.
func (g *generator) slotResource(f *fact, s handleSlot, closers map[string]*closer, types map[string]*handleType, multi map[string]int) (string, string) {
	closeName := s.close
	if closeName == "" { // borrowed, type without a close function
		if t := types[s.typ]; t != nil {
			closeName = t.close
		}
		if closeName == "" {
			return "handle", ""
		}
	}
	c := closers[closeName]
	if c == nil || c.dll == "" {
		return "", "close function " + closeName + " has no DLL in libMappings"
	}
	proc := rules.NativeName(c.dll, c.name)
	key := proc + "#" + strconv.Itoa(int(c.arg))
	if res, ok := g.closeRes[key]; ok {
		return res, ""
	}
	// A new resource: named after the type when the close function closes
	// only it, else after the close function.
	var name string
	t := types[s.typ]
	switch {
	case t != nil && t.close == closeName && multi[closeName] == 1:
		name = kebab(s.typ)
	case t != nil && t.byDLL[f.dll] == closeName:
		name = kebab(s.typ) + "-" + strings.TrimSuffix(f.dll, ".dll")
	default:
		name = kebab(strings.NewReplacer("Close", "", "Destroy", "", "Delete", "", "Free", "", "Release", "",
			"Deregister", "", "Unregister", "", "End", "").Replace(closeName))
	}
	if _, clash := g.hand.Resources[name]; clash || name == "" {
		name += "-" + strings.TrimSuffix(c.dll, ".dll")
	}
	for g.newRes[name] {
		name += "-" + strings.ToLower(closeName)
	}
	g.closeRes[key] = name
	g.newRes[name] = true
	origin := "autoTypes.json CloseApi"
	if t == nil || t.close != closeName && t.byDLL[f.dll] != closeName {
		origin = "emitter.settings.rsp RAIIFree"
	} else if t.origin == "overlay" {
		origin = "internal/cmd/win32rules/extra.go"
	}
	g.resComment[name] = fmt.Sprintf("released by %s (%s)", closeName, origin)
	g.addRelease(name, nativeRelease{fn: proc, arg: c.arg, comment: "win32metadata"})
	// x/sys functions that call the close procedure release it too.
	for _, fn := range sortedKeys(g.in.wrappers) {
		w := g.in.wrappers[fn]
		if w.proc != proc {
			continue
		}
		for k, j := range w.args {
			if j == c.arg {
				g.addRelease(name, nativeRelease{fn: fn, arg: k, comment: "x/sys: calls " + proc})
			}
		}
	}
	return name, ""
}

// kebab spells a type or function name as a resource name:
// LSA_HANDLE is lsa-handle, NCryptObject ncrypt-object.
func kebab(s string) string {
	var b strings.Builder
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			if b.Len() > 0 && prev != '-' {
				b.WriteByte('-')
				prev = '-'
			}
			continue
		case c >= 'A' && c <= 'Z':
			if prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9' {
				b.WriteByte('-')
			}
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if b.Len() == 0 && c <= '9' {
				continue
			}
			b.WriteByte(c)
		default:
			continue
		}
		prev = c
	}
	return strings.Trim(b.String(), "-")
}

// ---- output --------------------------------------------------------------

func (g *generator) format() []byte {
	var b bytes.Buffer
	ft := g.in.facts
	fmt.Fprintf(&b, `# rules_win32.yaml: GENERATED by `+"`go run ./internal/cmd/win32rules`"+`; DO NOT EDIT.
#
# handlecheck's native-procedure rules (dll!Proc: calls through LazyProc.Call,
# Proc.Call and SyscallN, as every mkwinsyscall zsyscall_windows.go makes
# them), loaded after rules.yaml and before rules_win32_overlay.yaml, which
# corrects them. Made from:
#   - rules.yaml: its rules on x/sys and syscall functions, carried over to
#     the procedure each calls (read from golang.org/x/sys %s's and the Go
#     toolchain's zsyscall_windows.go); a procedure rules.yaml names itself
#     keeps its hand-written rules;
#   - internal/cmd/win32rules/win32api.txt, extracted from %s
#     %s (%s): autoTypes.json (handle types and their close
#     functions), emitter.settings.rsp and manual/*.cs (RAIIFree,
#     DoNotRelease), libMappings.rsp (DLLs) and the SDK headers of
#     RecompiledIdlHeaders (%d headers, %d prototypes of %d exports; SAL
#     _Out_ parameters), plus the handle types of extra.go.
# A function returning a handle type owns it (tested against NULL or
# INVALID_HANDLE_VALUE by the caller: no success key); one writing it
# through an _Out_ parameter owns it where its return value says success
# (BOOL: nonzero; NTSTATUS, HRESULT, LSTATUS, WIN32_ERROR, DWORD and other
# status codes: zero, which for NTSTATUS and HRESULT is STATUS_SUCCESS and
# S_OK only).
#
`, g.in.xsys, ft.origin, ft.commit, ft.date, ft.headers, ft.prototypes, ft.exports)
	nx := 0
	for _, rs := range g.xsysSources {
		nx += len(rs)
	}
	fmt.Fprintf(&b, "# Counts: %d rules carried over from x/sys; %d from the metadata (%d functions already in rules.yaml, %d from x/sys, %d excluded, %d slots skipped).\n",
		nx, g.stats["generated"], g.stats["in rules.yaml"], g.stats["from x/sys"], g.stats["excluded"], g.stats["skipped"])
	if len(g.skipped) > 0 {
		b.WriteString("#\n# Not carried over or not generated:\n")
		for _, s := range g.skipped {
			fmt.Fprintf(&b, "#   %s\n", s)
		}
	}
	b.WriteString("\nresources:\n")
	order := append([]string(nil), g.resOrder...)
	for _, name := range order {
		b.WriteString("  - name: " + name + "\n")
		if c := g.resComment[name]; c != "" {
			b.WriteString("    # " + c + "\n")
		}
		b.WriteString("    release:\n")
		for _, rel := range g.releases[name] {
			fmt.Fprintf(&b, "      - {func: %s", rel.fn)
			if rel.arg != 0 {
				fmt.Fprintf(&b, ", arg: %d", rel.arg)
			}
			writeWhen(&b, rel.when)
			fmt.Fprintf(&b, "} # %s\n", rel.comment)
		}
	}
	var owned, borrowed []nativeRule
	for _, proc := range sortedKeys(g.xsysSources) {
		if len(g.hand.Sources[proc]) > 0 {
			continue // rules.yaml's own; TestInStep compares them
		}
		for _, r := range g.xsysSources[proc] {
			if r.borrowed {
				borrowed = append(borrowed, r)
			} else {
				owned = append(owned, r)
			}
		}
	}
	nOwnedX, nBorrowedX := len(owned), len(borrowed)
	for _, r := range g.metaSrc {
		if r.borrowed {
			borrowed = append(borrowed, r)
		} else {
			owned = append(owned, r)
		}
	}
	writeRules := func(kind string, rs []nativeRule, nx int) {
		b.WriteString("\n" + kind + ":\n")
		for i, r := range rs {
			switch i {
			case 0:
				b.WriteString("  # ---- x/sys's procedures (the Go functions each is called by)\n")
			case nx:
				b.WriteString("  # ---- win32metadata (the return type; the slot and its type -> close function)\n")
			}
			if i == 0 && nx == 0 {
				b.WriteString("  # ---- win32metadata (the return type; the slot and its type -> close function)\n")
			}
			fmt.Fprintf(&b, "  - {func: %s, resource: %s", r.proc, r.resource)
			if r.out >= 0 {
				fmt.Fprintf(&b, ", out: %d", r.out)
				if r.field != "" {
					fmt.Fprintf(&b, ", field: %s", r.field)
				}
				fmt.Fprintf(&b, ", success: %s", r.success)
			}
			writeWhen(&b, r.when)
			if r.note != "" {
				fmt.Fprintf(&b, ", note: %q", r.note)
			}
			fmt.Fprintf(&b, "} # %s\n", r.comment)
		}
	}
	writeRules("owned", owned, nOwnedX)
	writeRules("borrowed", borrowed, nBorrowedX)
	return b.Bytes()
}

func writeWhen(b *bytes.Buffer, ts []rules.Test) {
	if len(ts) == 0 {
		return
	}
	b.WriteString(", when: [")
	for i, t := range ts {
		if i > 0 {
			b.WriteString(", ")
		}
		if t.Op == rules.From {
			fmt.Fprintf(b, "{arg: %d, from: [%s]}", t.Arg, strings.Join(t.Funcs, ", "))
		} else {
			fmt.Fprintf(b, "{arg: %d, %s: %s}", t.Arg, t.Op, t.Value)
		}
	}
	b.WriteString("]")
}
