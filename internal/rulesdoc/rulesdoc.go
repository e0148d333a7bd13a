// Package rulesdoc turns the default rules (rules.yaml) and the reviewed
// list (rules_reviewed.yaml) into docs/rules.md, a table of every rule with
// the documentation sentence it rests on.
//
// The rules are read through the real loader (rules.Parse, rules.Merge);
// the citations are the YAML comments above each list item. An item's
// citation is the last paragraph of its head comment (paragraphs are
// separated by a blank comment-free line); an item without one shares the
// citation of the item before it in the same list, as rules.yaml groups
// the x/sys and syscall forms of one API under one comment.
package rulesdoc

import (
	"bytes"
	"cmp"
	"fmt"
	"github.com/handlecheck/handlecheck"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/handlecheck/handlecheck/rules"
)

// DocName is the generated file, relative to the module root.
const DocName = "docs/rules.md"

// Command is how to regenerate DocName, from the module root.
const Command = "go run ./internal/cmd/rulesdoc"

// A Row is one rule of the table.
type Row struct {
	Func     string
	Kind     string // "owned", "borrowed", "adopts", "release"
	Resource string
	Handle   string // "result 0", "out 2", "out 9, field Process", "result 0, index 1", "arg 0", "receiver"
	// Conditions says when the rule applies and what else it says:
	// "arg 3 equals nil; also valid with windows.ERROR_ALREADY_EXISTS".
	Conditions string
	Releasers  []string
	Citation   string
	Line       int
}

// Citations maps the line of each list item's func (or, for resources,
// name) value in a rules file to the item's citation, per top-level list.
type Citations map[string]map[int]string

// ReadCitations reads the item comments of a rules file.
func ReadCitations(data []byte) (Citations, error) {
	var doc yaml.Node
	if err := yaml.Load(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a rules file")
	}
	root := doc.Content[0]
	out := make(Citations)
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, list := root.Content[i].Value, root.Content[i+1]
		m := make(map[int]string)
		out[key] = m
		walkItems(list, "", m, key == "resources")
	}
	return out, nil
}

// walkItems records the citation of each item of list, inheriting from
// the previous item; for resources it also walks their release lists.
func walkItems(list *yaml.Node, inherited string, m map[int]string, resources bool) {
	if list.Kind != yaml.SequenceNode {
		return
	}
	prev := inherited
	for _, item := range list.Content {
		cite := citation(item.HeadComment)
		if cite == "" {
			cite = prev
		}
		prev = cite
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			switch {
			case k.Value == "func" || k.Value == "name" || k.Value == "package":
				m[v.Line] = cite
			case resources && k.Value == "release":
				walkItems(v, cite, m, false) // a releaser without its own comment cites its resource's
			}
		}
	}
}

// citation returns the last paragraph of a head comment as one line,
// without the comment marks; section rules ("# ---- Files ----") are not
// citations.
func citation(head string) string {
	paras := strings.Split(strings.ReplaceAll(head, "\r\n", "\n"), "\n\n")
	last := paras[len(paras)-1]
	var words []string
	for line := range strings.SplitSeq(last, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		if strings.HasPrefix(line, "----") {
			continue
		}
		if line != "" {
			words = append(words, line)
		}
	}
	return strings.Join(words, " ")
}

// Rows returns the rules of s with their citations, sorted by package and
// function.
func Rows(s *rules.Set, cites Citations) []Row {
	var rows []Row
	releasers := func(res *rules.Resource) []string {
		var names []string
		for _, rel := range res.Release {
			if len(rel.When) > 0 || rel.GOOS != "" {
				continue // not advice: it releases only under its conditions
			}
			name := rules.ShortName(rel.Func)
			if rel.Arg > 0 {
				name += fmt.Sprintf(" (arg %d)", rel.Arg)
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		return names
	}
	for _, srcs := range s.Sources {
		for _, src := range srcs {
			row := Row{Func: src.Func, Kind: "owned", Resource: src.Resource.Name, Line: src.Pos.Line}
			section := "owned"
			if src.Borrowed {
				row.Kind, section = "borrowed", "borrowed"
			} else {
				row.Releasers = releasers(src.Resource)
			}
			row.Handle = handle(src)
			row.Conditions = sourceConditions(src)
			row.Citation = cites[section][src.Pos.Line]
			if src.Borrowed && src.Note != "" {
				row.Citation = strings.TrimSpace(row.Citation + " Note: " + src.Note + ".")
			}
			rows = append(rows, row)
		}
	}
	for _, cbs := range s.Callbacks {
		for _, cb := range cbs {
			row := Row{Func: cb.Func, Kind: "borrowed", Resource: cb.Resource.Name, Line: cb.Pos.Line,
				Handle:     fmt.Sprintf("param %d of the function passed as arg %d", cb.Param, cb.Arg),
				Conditions: conditions(rules.Cond{GOOS: cb.GOOS}),
				Citation:   cites["borrowed"][cb.Pos.Line]}
			if cb.Note != "" {
				row.Citation = strings.TrimSpace(row.Citation + " Note: " + cb.Note + ".")
			}
			rows = append(rows, row)
		}
	}
	for _, ad := range s.Adopters {
		rows = append(rows, Row{Func: ad.Func, Kind: "adopts", Handle: argName(ad.Arg),
			Citation: cites["adopts"][ad.Pos.Line], Line: ad.Pos.Line})
	}
	for _, rels := range s.Releasers {
		for _, rel := range rels {
			rows = append(rows, Row{Func: rel.Func, Kind: "release", Resource: rel.Resource.Name,
				Handle: argName(rel.Arg), Conditions: conditions(rel.Cond),
				Citation: cites["resources"][rel.Pos.Line], Line: rel.Pos.Line})
		}
	}
	for _, chs := range s.Changes {
		for _, ch := range chs {
			rows = append(rows, Row{Func: ch.Func, Kind: "changes", Resource: ch.Resource,
				Handle: argName(ch.Arg), Conditions: conditions(ch.Cond),
				Citation: cites["changes"][ch.Pos.Line], Line: ch.Pos.Line})
		}
	}
	for _, trs := range s.Thread {
		for _, tr := range trs {
			rows = append(rows, Row{Func: tr.Func, Kind: tr.Op.String(), Handle: "the calling thread",
				Conditions: conditions(tr.Cond), Citation: cites[tr.Op.String()][tr.Pos.Line], Line: tr.Pos.Line})
		}
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(
			cmp.Compare(pkgPath(a.Func), pkgPath(b.Func)),
			cmp.Compare(funcName(a.Func), funcName(b.Func)),
			cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)),
			cmp.Compare(a.Resource, b.Resource),
			cmp.Compare(a.Line, b.Line))
	})
	return rows
}

// pkgPath returns the package of a function for the tables, or for a
// native procedure its DLL: "kernel32.dll".
func pkgPath(fn string) string {
	if rules.IsNative(fn) {
		dll, _, _ := strings.Cut(fn, "!")
		return dll
	}
	return rules.PkgPath(fn)
}

// funcName returns a function's short name for the tables, or for a native
// procedure its DLL and name: "kernel32.dll!CloseHandle".
func funcName(fn string) string {
	if rules.IsNative(fn) {
		return fn
	}
	return rules.ShortName(fn)
}

// handle says where a source's handle is: "result 0", "out 9, field
// Process", "out 0, index 1"; for a native procedure, "native arg 5" or
// "return value".
func handle(src *rules.Source) string {
	var h string
	switch {
	case rules.IsNative(src.Func) && src.Out >= 0:
		h = fmt.Sprintf("native arg %d", src.Out)
	case rules.IsNative(src.Func):
		h = "return value"
	case src.Out >= 0:
		h = fmt.Sprintf("out %d", src.Out)
	default:
		h = fmt.Sprintf("result %d", src.Result)
	}
	if src.Field != "" {
		h += ", field " + src.Field
	}
	if src.Index >= 0 {
		h += fmt.Sprintf(", index %d", src.Index)
	}
	return h
}

// conditions describes c: "arg 3 equals nil; GOOS windows".
func conditions(c rules.Cond) string {
	var parts []string
	for _, t := range c.When {
		if t.Op == rules.From {
			var names []string
			for _, fn := range t.Funcs {
				names = append(names, "`"+rules.ShortName(fn)+"`")
			}
			parts = append(parts, fmt.Sprintf("arg %d from %s", t.Arg, strings.Join(names, " or ")))
			continue
		}
		parts = append(parts, fmt.Sprintf("arg %d %s `%s`", t.Arg, t.Op, shortValue(t.Value)))
	}
	if c.GOOS != "" {
		parts = append(parts, "GOOS "+c.GOOS)
	}
	return strings.Join(parts, "; ")
}

// shortValue shortens a full constant name as ShortName does.
func shortValue(v string) string {
	if strings.Contains(v, ".") {
		return rules.ShortName(v)
	}
	return v
}

// sourceConditions describes a source's conditions and the options that
// change when its handle is valid.
func sourceConditions(src *rules.Source) string {
	parts := []string{conditions(src.Cond)}
	if src.NoErrorGate {
		parts = append(parts, "valid whatever the error")
	}
	if len(src.ValidErrs) > 0 {
		var names []string
		for _, e := range src.ValidErrs {
			names = append(names, "`"+rules.ShortName(e)+"`")
		}
		parts = append(parts, "also valid with "+strings.Join(names, ", "))
	}
	if src.Success != "" {
		parts = append(parts, "succeeded when the return value is "+src.Success)
	}
	if src.AddsRef {
		parts = append(parts, fmt.Sprintf("the handle is argument %d with one more reference", src.SameAs))
	}
	if parts[0] == "" {
		parts = parts[1:]
	}
	return strings.Join(parts, "; ")
}

func kindOrder(k string) int {
	return slices.Index([]string{"owned", "borrowed", "adopts", "release", "changes", "impersonates", "reverts", "locks-thread", "unlocks-thread"}, k)
}

func argName(arg rules.Param) string {
	if arg == rules.Receiver {
		return "receiver"
	}
	return fmt.Sprintf("arg %d", arg)
}

// Generate returns the text of docs/rules.md for the given rules file
// (parsed and merged through the real loader, named name in errors) and
// reviewed list.
//
// The native-procedure files (rules_win32.yaml and its overlay), given as
// win32, are merged after rulesData and counted in a coverage section: by
// DLL and by resource (handle type).
func Generate(name string, rulesData, reviewedData []byte, win32 ...handlecheck.RulesFile) ([]byte, error) {
	f, err := rules.Parse(name, rulesData)
	if err != nil {
		return nil, err
	}
	s, err := rules.Merge(f)
	if err != nil {
		return nil, err
	}
	cites, err := ReadCitations(rulesData)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	groups, err := ParseReviewed(reviewedData)
	if err != nil {
		return nil, err
	}
	rows := Rows(s, cites)

	var b bytes.Buffer
	fmt.Fprintf(&b, "# handlecheck default rules\n\n")
	fmt.Fprintf(&b, "<!-- Generated by `%s` from rules.yaml and %s. DO NOT EDIT. -->\n\n", Command, ReviewedName)
	fmt.Fprintf(&b, "This is every rule of the embedded default set ([`rules.yaml`](../rules.yaml)) with the\n")
	fmt.Fprintf(&b, "documentation it rests on, and every platform API that was reviewed and left\n")
	fmt.Fprintf(&b, "without a rule ([`%s`](../%s)). \"MS X\" is the Microsoft Learn page of\n", ReviewedName, ReviewedName)
	fmt.Fprintf(&b, "API X, \"man X(2)\" the Linux man page, \"Go\" the go doc of the Go function;\n")
	fmt.Fprintf(&b, "\"(paraphrase)\" marks a citation that is not a verbatim quote.\n\n")
	fmt.Fprintf(&b, "The test in [`internal/rulescheck`](../internal/rulescheck) keeps both files\n")
	fmt.Fprintf(&b, "complete: every exported function of `golang.org/x/sys/windows`, `.../registry`,\n")
	fmt.Fprintf(&b, "`.../svc`, `.../svc/mgr`, `.../svc/eventlog`, `golang.org/x/sys/unix`, `syscall`,\n")
	fmt.Fprintf(&b, "`os` and `net` that hands out a handle-typed value is in one of them.\n")
	fmt.Fprintf(&b, "The table counts functions: one with several rules of a kind counts once.\n\n")

	counts := countRows(rows)
	fmt.Fprintf(&b, "| | owned | borrowed | adopts | release | reviewed |\n|---|---|---|---|---|---|\n")
	reviewedCount := make(map[string]int)
	for _, g := range groups {
		for _, fn := range g.Funcs {
			reviewedCount[rules.PkgPath(fn)]++
		}
	}
	pkgs := make(map[string]bool)
	for p := range counts {
		pkgs[p] = true
	}
	for p := range reviewedCount {
		pkgs[p] = true
	}
	for _, p := range slices.Sorted(maps.Keys(pkgs)) {
		c := counts[p]
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d | %d |\n", p, c["owned"], c["borrowed"], c["adopts"], c["release"], reviewedCount[p])
	}

	fmt.Fprintf(&b, "\n## Resources\n\n")
	fmt.Fprintf(&b, "| resource | released by | leaks reported | source of truth |\n|---|---|---|---|\n")
	for _, name := range slices.Sorted(maps.Keys(s.Resources)) {
		res := s.Resources[name]
		var rels []string
		for _, rel := range res.Release {
			r := "`" + funcName(rel.Func) + "`"
			var notes []string
			if rel.Arg > 0 {
				notes = append(notes, fmt.Sprintf("arg %d", rel.Arg))
			}
			if c := conditions(rel.Cond); c != "" {
				notes = append(notes, "when "+c)
			}
			if len(notes) > 0 {
				r += " (" + strings.Join(notes, ", ") + ")"
			}
			rels = append(rels, r)
		}
		leak := "yes"
		if res.NoLeak {
			leak = "no (`leak: false`)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", name, strings.Join(rels, ", "), leak, cell(cites["resources"][res.Pos.Line]))
	}

	fmt.Fprintf(&b, "\n## Rules\n\n")
	fmt.Fprintf(&b, "Conditions: a rule applies only when its tests of the call's arguments hold\n")
	fmt.Fprintf(&b, "(`equals`, `not-equals`, `has-bits`, `lacks-bits`, `from`: the argument is a\n")
	fmt.Fprintf(&b, "result of one of those functions) and, with a GOOS, only in code built for it.\n")
	fmt.Fprintf(&b, "A package that ends in `.dll` holds native procedures, called through\n")
	fmt.Fprintf(&b, "`LazyProc.Call` or `syscall.SyscallN`; their handle is a native argument or the\n")
	fmt.Fprintf(&b, "return value.\n\n")
	fmt.Fprintf(&b, "| package | function | kind | resource | handle | conditions | releaser(s) | source of truth |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		rels := ""
		if len(r.Releasers) > 0 {
			rels = "`" + strings.Join(r.Releasers, "`, `") + "`"
		}
		res := ""
		if r.Resource != "" {
			res = "`" + r.Resource + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s | %s | %s | %s |\n", pkgPath(r.Func), funcName(r.Func),
			r.Kind, res, r.Handle, cell(r.Conditions), rels, cell(r.Citation))
	}

	fmt.Fprintf(&b, "\n## Reviewed, no rule\n\n")
	fmt.Fprintf(&b, "| package | function | kind | reason |\n|---|---|---|---|\n")
	type reviewedRow struct{ fn, kind, reason string }
	var rev []reviewedRow
	for _, g := range groups {
		kind := g.Kind
		if g.Schema != "" {
			kind += ": " + g.Schema
		}
		for _, fn := range g.Funcs {
			rev = append(rev, reviewedRow{fn, kind, g.Reason})
		}
	}
	slices.SortFunc(rev, func(a, b reviewedRow) int {
		return cmp.Or(cmp.Compare(rules.PkgPath(a.fn), rules.PkgPath(b.fn)), cmp.Compare(rules.ShortName(a.fn), rules.ShortName(b.fn)))
	})
	for _, r := range rev {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", rules.PkgPath(r.fn), rules.ShortName(r.fn), r.kind, cell(r.reason))
	}
	if len(win32) > 0 {
		if err := nativeCoverage(&b, f, win32); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// nativeCoverage writes how many native procedures the merged defaults
// cover, by DLL and by resource.
func nativeCoverage(b *bytes.Buffer, base *rules.File, win32 []handlecheck.RulesFile) error {
	files := []*rules.File{base}
	var names []string
	for _, w := range win32 {
		f, err := rules.Parse(w.Name, w.Data)
		if err != nil {
			return err
		}
		files = append(files, f)
		names = append(names, "[`"+w.Name+"`](../"+w.Name+")")
	}
	s, err := rules.Merge(files...)
	if err != nil {
		return err
	}
	type count struct{ owned, borrowed, release int }
	byDLL := make(map[string]*count)
	byRes := make(map[string]*count)
	procs := make(map[string]bool)
	get := func(m map[string]*count, k string) *count {
		if m[k] == nil {
			m[k] = &count{}
		}
		return m[k]
	}
	for fn, srcs := range s.Sources {
		if !rules.IsNative(fn) {
			continue
		}
		procs[fn] = true
		dll, _, _ := strings.Cut(fn, "!")
		owned, borrowed := false, false
		seenRes := make(map[string]bool)
		for _, src := range srcs {
			if src.Borrowed {
				borrowed = true
			} else {
				owned = true
			}
			if !seenRes[src.Resource.Name] {
				seenRes[src.Resource.Name] = true
				if src.Borrowed {
					get(byRes, src.Resource.Name).borrowed++
				} else {
					get(byRes, src.Resource.Name).owned++
				}
			}
		}
		if owned {
			get(byDLL, dll).owned++
		}
		if borrowed {
			get(byDLL, dll).borrowed++
		}
	}
	for fn, rels := range s.Releasers {
		if !rules.IsNative(fn) {
			continue
		}
		procs[fn] = true
		dll, _, _ := strings.Cut(fn, "!")
		get(byDLL, dll).release++
		seenRes := make(map[string]bool)
		for _, r := range rels {
			if !seenRes[r.Resource.Name] {
				seenRes[r.Resource.Name] = true
				get(byRes, r.Resource.Name).release++
			}
		}
	}
	fmt.Fprintf(b, "\n## Native procedures\n\n")
	fmt.Fprintf(b, "The native-procedure rules (`dll!Proc`, for calls through `LazyProc.Call`,\n")
	fmt.Fprintf(b, "`Proc.Call` and `SyscallN`, as every `zsyscall_windows.go` makes them) of\n")
	fmt.Fprintf(b, "rules.yaml, %s, merged in that order:\n", strings.Join(names, " and "))
	fmt.Fprintf(b, "rules.yaml's x/sys and syscall rules carried over to the procedures those functions call,\n")
	fmt.Fprintf(b, "and every function Microsoft's Win32 metadata says returns or writes a closable handle\n")
	fmt.Fprintf(b, "(`go run ./internal/cmd/win32rules`; the generated file's header lists what it left out).\n")
	fmt.Fprintf(b, "%d procedures of %d DLLs have a rule. A procedure counts once per kind; a DLL's\n", len(procs), len(byDLL))
	fmt.Fprintf(b, "name is matched case-insensitively.\n\n")
	fmt.Fprintf(b, "### By DLL\n\n| DLL | owned | borrowed | release |\n|---|---|---|---|\n")
	for _, d := range slices.Sorted(maps.Keys(byDLL)) {
		c := byDLL[d]
		fmt.Fprintf(b, "| `%s` | %d | %d | %d |\n", d, c.owned, c.borrowed, c.release)
	}
	fmt.Fprintf(b, "\n### By resource (handle type)\n\n")
	fmt.Fprintf(b, "Procedures that hand out each resource, and native procedures that release it\n")
	fmt.Fprintf(b, "(the resource's full list of releasers, Go functions included, is under Resources\n")
	fmt.Fprintf(b, "for rules.yaml's; the generated ones are named after the metadata's C type or\n")
	fmt.Fprintf(b, "their close function).\n\n| resource | owned | borrowed | native releasers |\n|---|---|---|---|\n")
	for _, r := range slices.Sorted(maps.Keys(byRes)) {
		c := byRes[r]
		var rels []string
		for _, rel := range s.Resources[r].Release {
			if rules.IsNative(rel.Func) && !slices.Contains(rels, "`"+rel.Func+"`") {
				rels = append(rels, "`"+rel.Func+"`")
			}
		}
		fmt.Fprintf(b, "| `%s` | %d | %d | %s |\n", r, c.owned, c.borrowed, strings.Join(rels, ", "))
	}
	nativeThread(b, s)
	return nil
}

// nativeThread writes the native procedures that act on the calling
// thread or change a handle's object, one row per rule.
func nativeThread(b *bytes.Buffer, s *rules.Set) {
	fmt.Fprintf(b, "\n### The calling thread and changed objects\n\n")
	fmt.Fprintf(b, "Native procedures that impersonate on the calling thread or revert it (category\n")
	fmt.Fprintf(b, "`impersonation`), and that change the object behind a handle (a borrowed one\n")
	fmt.Fprintf(b, "there is a `borrowed-change`). A procedure succeeds when it returns nonzero (a\n")
	fmt.Fprintf(b, "BOOL), unless its success is `zero` (an RPC_STATUS, HRESULT or SECURITY_STATUS).\n\n")
	fmt.Fprintf(b, "| procedure | kind | success | argument, resource | conditions |\n|---|---|---|---|---|\n")
	for _, fn := range slices.Sorted(maps.Keys(s.Thread)) {
		if !rules.IsNative(fn) {
			continue
		}
		for _, t := range s.Thread[fn] {
			success := t.Success
			if success == "" {
				success = rules.SuccessNonzero
			}
			fmt.Fprintf(b, "| `%s` | %s | %s | the calling thread | %s |\n", fn, t.Op, success, cell(conditions(t.Cond)))
		}
	}
	for _, fn := range slices.Sorted(maps.Keys(s.Changes)) {
		if !rules.IsNative(fn) {
			continue
		}
		for _, ch := range s.Changes[fn] {
			arg := argName(ch.Arg)
			if ch.Resource != "" {
				arg += ", `" + ch.Resource + "`"
			}
			fmt.Fprintf(b, "| `%s` | changes |  | %s | %s |\n", fn, arg, cell(conditions(ch.Cond)))
		}
	}
}

// countRows counts, per package and kind, the functions that have rows
// (a function with several rules of a kind counts once).
func countRows(rows []Row) map[string]map[string]int {
	counts := make(map[string]map[string]int)
	seen := make(map[[2]string]bool)
	for _, r := range rows {
		if seen[[2]string{r.Func, r.Kind}] || kindOrder(r.Kind) > kindOrder("release") {
			continue // counted once; the thread and changes rules are not handles
		}
		seen[[2]string{r.Func, r.Kind}] = true
		p := pkgPath(r.Func)
		if counts[p] == nil {
			counts[p] = make(map[string]int)
		}
		counts[p][r.Kind]++
	}
	return counts
}

// cell makes text safe for a Markdown table cell.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
