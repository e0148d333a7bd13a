package rules

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
	"go.yaml.in/yaml/v4/plugin/loaderlimits"
)

// Limits that keep Parse bounded in time and memory whatever its input.
// go-yaml builds a tree of about 200 bytes per node, and its scanner is
// slow on long flow collections ([a, b, ...]), so the limits are well
// below what would merely fit in memory; a real rules file is far smaller.
const (
	maxFileSize  = 256 << 10 // bytes
	maxDepth     = 64        // nesting of YAML collections
	maxFlowMarks = 10000     // ',', '[' and '{' in the file
)

// MaxFileSize is the largest rules file that ReadFile and Parse accept, in
// bytes (256 KiB).
const MaxFileSize = maxFileSize

// ReadFile reads the rules file name for Parse. It refuses what is not a
// regular file (a device such as /dev/zero, a FIFO, which could block or
// never end) and a file larger than MaxFileSize, without reading more than
// that. The error names the file.
func ReadFile(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			pe.Op = "open" // as os.ReadFile says it: the file cannot be opened
		}
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, Errorf(Pos{File: name}, "not a regular file (%s)", fileKind(fi.Mode()))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, Errorf(Pos{File: name}, "not a regular file (%s)", fileKind(fi.Mode()))
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, Errorf(Pos{File: name}, "%s", tooLarge)
	}
	return data, nil
}

// tooLarge is the one wording of a file over the limit.
var tooLarge = fmt.Sprintf("file is too large (limit %d bytes)", maxFileSize)

// fileKind names the kind of a file that is not regular, for messages.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// File is one parsed rules file, before resource names are resolved.
type File struct {
	Name string

	resources []*resourceRule
	sources   []sourceRule
	adopters  []*Adopter
	usePkgs   []nameAt
	useFuncs  []useRule
	noReturn  []nameAt
	threads   []*ThreadRule
	changes   []*Changer
	changeRes []nameAt // the resources changes rules name, to resolve
	callbacks []callbackRule
}

type resourceRule struct {
	name    string
	pos     Pos
	release []*Releaser
	noLeak  *bool // set when the file says `leak:`
	// releaseAgainOK is set when the file says `double-release:`.
	releaseAgainOK *bool
}

// sourceRule is a Source whose resource is not resolved yet.
type sourceRule struct {
	src      *Source
	resource string
	resPos   Pos
}

type nameAt struct {
	name string
	pos  Pos
}

// useRule is a uses rule for one function or native procedure.
type useRule struct {
	name string
	pos  Pos
	cond Cond
}

// Parse parses one rules file. name is used in positions ("rules.yaml:12:5").
// Its error is an ErrorList.
func Parse(name string, data []byte) (*File, error) {
	return parse(name, data, false)
}

// ParseBuiltin parses a rules file embedded in handlecheck, such as the
// default rules: like Parse, but every position in it is marked Builtin,
// so that a rule that does not fit the version of its package being
// analyzed can be left out rather than stop the run (see
// User).
func ParseBuiltin(name string, data []byte) (*File, error) {
	return parse(name, data, true)
}

func parse(name string, data []byte, builtin bool) (f *File, err error) {
	p := &parser{
		builtin:   builtin,
		file:      &File{Name: name},
		resources: make(map[string]Pos),
		sources:   make(map[string]*Source),
		adopters:  make(map[string]Pos),
		usePkgs:   make(map[string]Pos),
		useFuncs:  make(map[string]Pos),
		noReturn:  make(map[string]Pos),
		threads:   make(map[string]Pos),
		changes:   make(map[string]Pos),
		callbacks: make(map[string]Pos),
	}
	defer func() {
		// Parse must not panic, even on a go-yaml bug.
		if r := recover(); r != nil {
			f, err = nil, ErrorList{Errorf(p.pos(nil), "%s", oneLine(fmt.Sprint("yaml parser panicked: ", r)))}
		}
	}()
	if root := p.load(data); root != nil {
		p.top(root)
	}
	if err := p.errs.err(); err != nil {
		return nil, err
	}
	return p.file, nil
}

type parser struct {
	errorSink
	file    *File
	builtin bool // positions are Builtin

	// First definitions in this file, to report duplicates.
	resources map[string]Pos
	sources   map[string]*Source // by function, place and conditions
	adopters  map[string]Pos
	usePkgs   map[string]Pos
	useFuncs  map[string]Pos
	noReturn  map[string]Pos
	threads   map[string]Pos // by op, function and conditions
	changes   map[string]Pos // by function, argument and conditions
	callbacks map[string]Pos // by function, arg, param and GOOS
}

// pos returns the position of n, or of the file's start if n is nil.
func (p *parser) pos(n *yaml.Node) Pos {
	pos := Pos{File: p.file.Name, Line: 1, Col: 1, Builtin: p.builtin}
	if n != nil && n.Line > 0 {
		pos.Line, pos.Col = n.Line, max(n.Column, 1)
	}
	return pos
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.add(p.pos(n), format, args...)
}

// load checks data and parses it as one YAML document. It returns the
// document's root node, or nil if the document is empty or invalid.
func (p *parser) load(data []byte) *yaml.Node {
	if len(data) > maxFileSize {
		p.errorf(nil, "%s", tooLarge)
		return nil
	}
	if line, col, msg := scanText(data); msg != "" {
		p.add(Pos{File: p.file.Name, Line: line, Col: col}, "%s", msg)
		return nil
	}
	limits := loaderlimits.New(loaderlimits.DepthValue(maxDepth))
	l, err := yaml.NewLoader(bytes.NewReader(data), yaml.WithPlugin(limits))
	if err != nil {
		p.yamlError(err)
		return nil
	}
	var doc yaml.Node
	if err := l.Load(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			p.yamlError(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := l.Load(&next); {
	case err == nil:
		p.errorf(&next, "a rules file must hold one YAML document, not several")
		return nil
	case !errors.Is(err, io.EOF):
		p.yamlError(err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil
	}
	return doc.Content[0]
}

// scanText checks that data is UTF-8 text that YAML accepts and that it
// has few enough flow collection marks. It returns a message and the
// 1-based position of the first problem, or "".
func scanText(data []byte) (line, col int, msg string) {
	line, col = 1, 1
	marks := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return line, col, fmt.Sprintf("invalid UTF-8 byte %#x", data[i])
		case !printable(r):
			return line, col, fmt.Sprintf("control character %U is not allowed", r)
		case r == ',' || r == '[' || r == '{':
			if marks++; marks > maxFlowMarks {
				return line, col, fmt.Sprintf("too many flow collection marks (more than %d ',', '[' and '{')", maxFlowMarks)
			}
		}
		i += size
		if r == '\n' || r == '\r' && (i == len(data) || data[i] != '\n') {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col, ""
}

// printable reports whether YAML allows r in a stream.
func printable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0x7e || r == 0x85 ||
		0xa0 <= r && r <= 0xd7ff || 0xe000 <= r && r <= 0xfffd || 0x10000 <= r && r <= utf8.MaxRune
}

// yamlError reports an error from go-yaml at its position.
func (p *parser) yamlError(err error) {
	pos, msg := p.pos(nil), err.Error()
	if le, ok := errors.AsType[*yaml.LoadError](err); ok {
		msg = le.Message
		if le.ContextMsg != "" {
			msg += " (" + le.ContextMsg + ")"
		}
		if le.Mark.Line > 0 {
			pos.Line, pos.Col = le.Mark.Line, max(le.Mark.Column, 1)
		}
	}
	p.add(pos, "yaml: %s", strings.TrimPrefix(msg, "yaml: "))
}

func (p *parser) top(root *yaml.Node) {
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return // only comments, or "---"
	}
	f := p.fields(root, "rules file", "at top level",
		"resources", "owned", "borrowed", "adopts", "uses", "noreturn",
		"impersonates", "reverts", "locks-thread", "unlocks-thread", "changes")
	for _, n := range p.list(f["resources"], "resources") {
		p.resource(n)
	}
	for _, n := range p.list(f["owned"], "owned") {
		p.source(n, false)
	}
	for _, n := range p.list(f["borrowed"], "borrowed") {
		p.source(n, true)
	}
	for _, n := range p.list(f["adopts"], "adopts") {
		p.adopter(n)
	}
	for _, n := range p.list(f["uses"], "uses") {
		p.use(n)
	}
	for _, n := range p.list(f["noreturn"], "noreturn") {
		p.noReturnRule(n)
	}
	for _, op := range []ThreadOp{Impersonates, Reverts, LocksThread, UnlocksThread} {
		for _, n := range p.list(f[op.String()], op.String()) {
			p.threadRule(n, op)
		}
	}
	for _, n := range p.list(f["changes"], "changes") {
		p.changer(n)
	}
}

func (p *parser) resource(n *yaml.Node) {
	f := p.fields(n, "resource", "in resource", "name", "release", "leak", "double-release")
	if f == nil {
		return
	}
	name, ok := p.requiredString(f, n, "name", "resource")
	if !ok {
		return
	}
	pos := p.pos(f["name"])
	if why := checkResourceName(name); why != "" {
		p.errorf(f["name"], "%s", why)
		return
	}
	if !p.unique(p.resources, name, pos, "resource "+quote(name)) {
		return
	}
	res := &resourceRule{name: name, pos: pos}
	p.file.resources = append(p.file.resources, res)
	if l, ok := f["leak"]; ok {
		if leak, ok := p.boolean(l, "leak"); ok {
			noLeak := !leak
			res.noLeak = &noLeak
		}
	}
	if d, ok := f["double-release"]; ok {
		if report, ok := p.boolean(d, "double-release"); ok {
			again := !report
			res.releaseAgainOK = &again
		}
	}

	rel, ok := f["release"]
	if !ok {
		p.errorf(n, "missing release in resource %s", quote(name))
		return
	}
	if !p.check(rel, "release", "a non-empty list", yaml.SequenceNode, "") {
		return
	}
	if len(rel.Content) == 0 {
		p.errorf(rel, "release: want a non-empty list")
	}
	seen := make(map[string]Pos)
	for _, item := range rel.Content {
		r, ok := p.releaser(item)
		if !ok {
			continue
		}
		key := fmt.Sprint(r.Func, "\x00", r.Arg, "\x00", r.Cond.key())
		if first, dup := seen[key]; dup {
			p.add(r.Pos, "duplicate release rule for %s%s (first at line %d)", argString(r.Func, r.Arg), r.Cond.describe(), first.Line)
			continue
		}
		seen[key] = r.Pos
		res.release = append(res.release, r)
	}
}

// releaser parses a release rule: {func, arg, when, goos}.
func (p *parser) releaser(n *yaml.Node) (*Releaser, bool) {
	const what = "release rule"
	f := p.fields(n, what, "in "+what, "func", "arg", "when", "goos")
	if f == nil {
		return nil, false
	}
	fn, pos, ok := p.funcOrNative(f, n, what)
	r := &Releaser{Func: fn, Pos: pos}
	if a, has := f["arg"]; has {
		r.Arg = ParamAt(p.optIndex(a, "arg", &ok))
		ok = ok && (!IsNative(fn) || p.nativeArg(a, "arg", r.Arg))
	} else if IsMethod(fn) {
		r.Arg = Receiver
	}
	ok = p.cond(f, &r.Cond) && ok
	ok = p.nativeCond(fn, false, r.Cond) && ok
	return r, ok
}

func (p *parser) source(n *yaml.Node, borrowed bool) {
	what, keys := "owned rule", []string{"func", "vtable", "resource", "out", "result", "field", "index",
		"error-gate", "also-valid-with", "when", "goos", "success", "same-as"}
	if borrowed {
		what, keys = "borrowed rule", append(keys, "note", "callback")
	} else if k := mappingKey(n, "callback"); k != nil {
		p.errorf(k, "callback: only in a borrowed rule (the function passed gets a handle it does not own)")
		return
	}
	f := p.fields(n, what, "in "+what, keys...)
	if f == nil {
		return
	}
	if _, has := f["callback"]; has {
		p.callback(f, n)
		return
	}
	fn, pos, vtable, ok := p.sourceFunc(f, n, what)
	// A vtable slot is called as a native procedure is: its arguments
	// and result are uintptrs, its success test on the HRESULT.
	native := ok && (IsNative(fn) || vtable)
	resource, resOK := p.requiredString(f, n, "resource", what)
	if resOK {
		if why := checkResourceName(resource); why != "" {
			p.errorf(f["resource"], "%s", why)
			resOK = false
		}
	}
	src := &Source{Func: fn, Borrowed: borrowed, Result: ResultAt(0), Out: NoParam, Index: -1, Vtable: vtable, Pos: pos}
	ok = p.sourcePlace(f, src, native) && ok
	ok = p.sourceSameAs(f, src, native) && ok
	ok = p.sourcePart(f, src, native) && ok
	ok = p.sourceGate(f, src) && ok
	ok = p.sourceSuccess(f, n, src, native, what) && ok
	if note, has := f["note"]; has {
		s, sOK := p.str(note, "note")
		src.Note, ok = s, ok && sOK
	}
	ok = p.cond(f, &src.Cond) && ok
	ok = p.nativeCond(fn, vtable, src.Cond) && ok
	if !ok || !resOK {
		return
	}
	key := src.placeKey() + "\x00" + src.Cond.key()
	if first, dup := p.sources[key]; dup {
		p.add(pos, "duplicate rule for %s (first at line %d, as %s)", fn, first.Pos.Line, sourceKind(first))
		return
	}
	p.sources[key] = src
	p.file.sources = append(p.file.sources, sourceRule{src, resource, p.pos(f["resource"])})
}

// sourcePlace parses where a source's handle is: out or result.
func (p *parser) sourcePlace(f map[string]*yaml.Node, src *Source, native bool) bool {
	ok := true
	out, hasOut := f["out"]
	result, hasResult := f["result"]
	switch {
	case hasOut && hasResult:
		p.errorf(later(out, result), "out and result cannot both be given")
		ok = false
	case hasOut:
		src.Out, src.Result = ParamAt(p.optIndex(out, "out", &ok)), NoResult
		ok = ok && (!native || p.nativeArg(out, "out", src.Out))
	case hasResult:
		src.Result = ResultAt(p.optIndex(result, "result", &ok))
		if native && src.Result != 0 {
			kind := "native procedure"
			if src.Vtable {
				kind = "vtable slot"
			}
			p.errorf(result, "result: a %s has one result, its return value (result: 0)", kind)
			ok = false
		}
	}
	return ok
}

// sourceSameAs parses same-as: the argument a result is, with one more
// reference (CertDuplicateCertificateContext).
func (p *parser) sourceSameAs(f map[string]*yaml.Node, src *Source, native bool) bool {
	n, has := f["same-as"]
	if !has {
		return true
	}
	ok := true
	src.AddsRef, src.SameAs = true, ParamAt(p.optIndex(n, "same-as", &ok))
	switch {
	case !ok:
	case src.Out.IsParam():
		p.errorf(n, "same-as: only for a handle that is a result (out %d is given)", src.Out)
		ok = false
	case native:
		p.errorf(n, "same-as: not for a native procedure or vtable slot")
		ok = false
	}
	return ok
}

// sourcePart parses which part of the out or result is the handle: field
// or index.
func (p *parser) sourcePart(f map[string]*yaml.Node, src *Source, native bool) bool {
	ok := true
	_, hasOut := f["out"]
	_, hasResult := f["result"]
	field, hasField := f["field"]
	index, hasIndex := f["index"]
	switch {
	case hasField && hasIndex:
		p.errorf(later(field, index), "field and index cannot both be given")
		ok = false
	case hasField:
		name, sOK := p.str(field, "field")
		switch {
		case !sOK:
			ok = false
		case !hasOut:
			p.errorf(field, "field: needs out (the pointer to the struct that has the field)")
			ok = false
		case !token.IsIdentifier(name):
			p.errorf(field, "field: %s is not a Go identifier", quote(name))
			ok = false
		}
		src.Field = name
	case hasIndex:
		src.Index = p.optIndex(index, "index", &ok)
		switch {
		case !hasOut && !hasResult:
			p.errorf(index, "index: needs out (a slice or pointer to array parameter) or result (an array result)")
			ok = false
		case native && !hasOut:
			p.errorf(index, "index: a native procedure's result is not an array")
			ok = false
		}
	}
	return ok
}

// sourceGate parses how a source's error result gates its handle:
// error-gate and also-valid-with.
func (p *parser) sourceGate(f map[string]*yaml.Node, src *Source) bool {
	ok := true
	gate, hasGate := f["error-gate"]
	if hasGate {
		b, bOK := p.boolean(gate, "error-gate")
		src.NoErrorGate, ok = !b, bOK
	}
	if also, has := f["also-valid-with"]; has {
		var aOK bool
		src.ValidErrs, aOK = p.names(also, "also-valid-with", "constant or variable", false)
		ok = ok && aOK
		if aOK && src.NoErrorGate {
			p.errorf(later(also, gate), "also-valid-with and error-gate: false cannot both be given (without the error gate every error is valid)")
			ok = false
		}
	}
	return ok
}

// sourceSuccess parses success, which a native procedure or vtable slot
// with out needs. Any other function may have one when its first result
// is an integer status (Source.Check checks that) and its handle is not
// that result.
func (p *parser) sourceSuccess(f map[string]*yaml.Node, n *yaml.Node, src *Source, native bool, what string) bool {
	_, hasOut := f["out"]
	kind := "native procedure"
	if src.Vtable {
		kind = "vtable slot"
	}
	succ, has := f["success"]
	if !has {
		if native && hasOut {
			p.errorf(n, "missing success in %s for %s %s with out (zero, non-negative or nonzero: which return value means it succeeded)", what, kind, src.Func)
			return false
		}
		return true
	}
	s, ok := p.str(succ, "success")
	switch {
	case !ok:
	case s != SuccessZero && s != SuccessNonNegative && s != SuccessNonzero:
		p.errorf(succ, "success: want %s, got %s", successValues, quote(s))
		ok = false
	case native && !hasOut:
		p.errorf(succ, "success: only with out; a %s's result is the handle itself", kind)
		ok = false
	case !native && src.Func != "" && !hasOut && src.Result == 0:
		p.errorf(succ, "success: tests result 0, the status; the handle must be another result or an out")
		ok = false
	}
	src.Success = s
	return ok
}

// successValues lists the values of success, for messages.
const successValues = "zero (0 is success: S_OK exactly, STATUS_SUCCESS, ERROR_SUCCESS), " +
	"non-negative (SUCCEEDED(hr), NT_SUCCESS(status)) or nonzero (a BOOL)"

// nativeCond checks the when tests of a rule for fn, if it is a native
// procedure: their arguments must be ones a procedure can have, and their
// values literals (a procedure has no package to look a constant up in).
func (p *parser) nativeCond(fn string, vtable bool, c Cond) bool {
	if !IsNative(fn) && !vtable {
		return true
	}
	ok := true
	for _, t := range c.When {
		switch {
		case t.Arg > maxNativeArg:
			p.add(t.Pos, "when: arg %d is beyond the arguments of a native procedure (at most %d)", t.Arg, maxNativeArg+1)
			ok = false
		case t.Op != From && t.Value != "nil" && !isIntLiteral(t.Value):
			p.add(t.Pos, "%s: %s is not an integer literal; a native procedure has no package to look up constants in", t.Op, quote(t.Value))
			ok = false
		}
	}
	return ok
}

// placeKey identifies the function and the place of its handle.
func (s *Source) placeKey() string {
	return fmt.Sprintf("%s\x00r%d o%d f%s i%d", s.Func, s.Result, s.Out, s.Field, s.Index)
}

// later returns the one of a and b that comes later in the file.
func later(a, b *yaml.Node) *yaml.Node {
	if a.Line > b.Line || a.Line == b.Line && a.Column > b.Column {
		return a
	}
	return b
}

func sourceKind(s *Source) string {
	if s.Borrowed {
		return "borrowed"
	}
	return "owned"
}

// optIndex returns the index in n, clearing *ok if it is invalid.
func (p *parser) optIndex(n *yaml.Node, key string, ok *bool) int {
	i, iOK := p.index(n, key)
	*ok = *ok && iOK
	return i
}

func (p *parser) adopter(n *yaml.Node) {
	fn, pos, arg, ok := p.funcArg(n, "adopts rule")
	if ok && p.unique(p.adopters, fn, pos, "adopts rule for "+fn) {
		p.file.adopters = append(p.file.adopters, &Adopter{Func: fn, Arg: arg, Pos: pos})
	}
}

func (p *parser) use(n *yaml.Node) {
	f := p.fields(n, "uses rule", "in uses rule", "package", "func", "when", "goos")
	if f == nil {
		return
	}
	pkg, hasPkg := f["package"]
	_, hasFunc := f["func"]
	switch {
	case hasPkg && hasFunc:
		p.errorf(n, "uses rule has both package and func; give one")
	case hasPkg:
		for _, key := range []string{"when", "goos"} {
			if k, has := f[key]; has {
				p.errorf(k, "%s is only for a uses rule with func", key)
				return
			}
		}
		path, ok := p.str(pkg, "package")
		if !ok {
			return
		}
		pos := p.pos(pkg)
		if why := checkImportPath(path); why != "" {
			p.add(pos, "invalid package %s: %s", quote(path), why)
			return
		}
		if p.unique(p.usePkgs, path, pos, "uses rule for package "+path) {
			p.file.usePkgs = append(p.file.usePkgs, nameAt{path, pos})
		}
	case hasFunc:
		fn, pos, ok := p.funcOrNative(f, n, "uses rule")
		if w, has := f["when"]; has && ok && !IsNative(fn) {
			// A Go function's parameters would have to be checked
			// against its declaration; only procedures need it so far.
			p.errorf(w, "when in a uses rule is only for a native procedure")
			return
		}
		var c Cond
		ok = p.cond(f, &c) && ok
		ok = p.nativeCond(fn, false, c) && ok
		if ok && p.unique(p.useFuncs, fn, pos, "uses rule for "+fn) {
			p.file.useFuncs = append(p.file.useFuncs, useRule{fn, pos, c})
		}
	default:
		p.errorf(n, "missing package or func in uses rule")
	}
}

func (p *parser) noReturnRule(n *yaml.Node) {
	f := p.fields(n, "noreturn rule", "in noreturn rule", "func")
	if f == nil {
		return
	}
	fn, pos, ok := p.funcName(f, n, "noreturn rule")
	if ok && p.unique(p.noReturn, fn, pos, "noreturn rule for "+fn) {
		p.file.noReturn = append(p.file.noReturn, nameAt{fn, pos})
	}
}

// funcArg parses a {func, arg} rule: a releaser or an adopter. arg
// defaults to Receiver for methods and 0 for functions.
func (p *parser) funcArg(n *yaml.Node, what string) (fn string, pos Pos, arg Param, ok bool) {
	f := p.fields(n, what, "in "+what, "func", "arg")
	if f == nil {
		return "", Pos{}, 0, false
	}
	fn, pos, ok = p.funcName(f, n, what)
	if a, has := f["arg"]; has {
		arg = ParamAt(p.optIndex(a, "arg", &ok))
	} else if IsMethod(fn) {
		arg = Receiver
	}
	return fn, pos, arg, ok
}

// argString describes a function's argument for messages.
func argString(fn string, arg Param) string {
	if arg == Receiver {
		return fn + " (receiver)"
	}
	return fmt.Sprintf("%s (arg %d)", fn, arg)
}

// unique records key's first definition at pos in seen, or reports what
// as a duplicate and returns false.
func (p *parser) unique(seen map[string]Pos, key string, pos Pos, what string) bool {
	if first, dup := seen[key]; dup {
		p.add(pos, "duplicate %s (first at line %d)", what, first.Line)
		return false
	}
	seen[key] = pos
	return true
}

// funcName returns the function named by the func key of rule n, with its
// position. A native procedure is an error: only owned, borrowed and
// release rules take one (see funcOrNative).
func (p *parser) funcName(f map[string]*yaml.Node, n *yaml.Node, what string) (string, Pos, bool) {
	fn, ok := p.requiredString(f, n, "func", what)
	if !ok {
		return "", Pos{}, false
	}
	if IsNative(fn) {
		p.errorf(f["func"], "native procedure %s is not allowed in %s (only in owned, borrowed, release, uses, changes and thread rules)", quote(fn), what)
		return "", Pos{}, false
	}
	if why := checkFuncName(fn); why != "" {
		p.errorf(f["func"], "invalid function name %s: %s", quote(fn), why)
		return "", Pos{}, false
	}
	return fn, p.pos(f["func"]), true
}

// sourceFunc parses what a source rule is for: func, a function or
// native procedure (see funcOrNative), or vtable, a COM vtable slot named
// as a field of its struct type: "(example.com/wsd.IUnknownVtbl).Release".
func (p *parser) sourceFunc(f map[string]*yaml.Node, n *yaml.Node, what string) (fn string, pos Pos, vtable, ok bool) {
	vt, has := f["vtable"]
	if !has {
		fn, pos, ok = p.funcOrNative(f, n, what)
		return fn, pos, false, ok
	}
	if fnNode, hasFunc := f["func"]; hasFunc {
		p.errorf(later(fnNode, vt), "func and vtable cannot both be given")
		return "", Pos{}, true, false
	}
	name, ok := p.str(vt, "vtable")
	if !ok {
		return "", Pos{}, true, false
	}
	why := strings.Replace(checkFuncName(name), "method", "field", 1)
	switch {
	case why != "":
	case !IsMethod(name):
		why = "want (path.Type).Field, the vtable struct type and its field"
	case strings.HasPrefix(name, "(*"):
		why = "a vtable slot is a field of the struct type, not of a pointer: drop the *"
	}
	if why != "" {
		p.errorf(vt, "invalid vtable slot %s: %s", quote(name), why)
		return "", Pos{}, true, false
	}
	return name, p.pos(vt), true, true
}

// funcOrNative is funcName for rules that may name a native procedure,
// "advapi32.dll!LogonUserW", which it returns as NativeName spells it.
func (p *parser) funcOrNative(f map[string]*yaml.Node, n *yaml.Node, what string) (string, Pos, bool) {
	fn, ok := p.requiredString(f, n, "func", what)
	if !ok {
		return "", Pos{}, false
	}
	if !IsNative(fn) {
		return p.funcName(f, n, what)
	}
	name, why := checkNativeName(fn)
	if why != "" {
		p.errorf(f["func"], "invalid native procedure %s: %s", quote(fn), why)
		return "", Pos{}, false
	}
	return name, p.pos(f["func"]), true
}

func (p *parser) requiredString(f map[string]*yaml.Node, n *yaml.Node, key, what string) (string, bool) {
	v, ok := f[key]
	if !ok {
		p.errorf(n, "missing %s in %s", key, what)
		return "", false
	}
	return p.str(v, key)
}

// fields returns the values of mapping n by key. It reports a node that is
// not a mapping (returning nil), and unknown and duplicate keys. label
// names n in type errors ("owned rule"), where in key errors ("in owned
// rule").
func (p *parser) fields(n *yaml.Node, label, where string, keys ...string) map[string]*yaml.Node {
	if !p.check(n, label, "a mapping", yaml.MappingNode, "") {
		return nil
	}
	f := make(map[string]*yaml.Node)
	firsts := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			p.errorf(k, "merge keys (<<) are not supported")
			continue
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			p.errorf(k, "want a string key %s, got %s", where, describe(k))
			continue
		}
		if first, dup := firsts[k.Value]; dup {
			p.errorf(k, "duplicate key %s %s (first at line %d)", quote(k.Value), where, first.Line)
			continue
		}
		firsts[k.Value] = k
		known := false
		for _, key := range keys {
			known = known || k.Value == key
		}
		if !known {
			p.errorf(k, "unknown key %s %s (want %s)", quote(k.Value), where, strings.Join(keys, ", "))
			continue
		}
		f[k.Value] = v
	}
	return f
}

// list returns the items of list n, the value of key. It reports a node
// that is not a list. A nil (absent) or null n is an empty list.
func (p *parser) list(n *yaml.Node, key string) []*yaml.Node {
	if n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil
	}
	if !p.check(n, key, "a list", yaml.SequenceNode, "") {
		return nil
	}
	return n.Content
}

// check reports whether n, the value of key, has the kind and, if tag is
// not "", the tag that the key needs; want describes them in the error.
func (p *parser) check(n *yaml.Node, key, want string, kind yaml.Kind, tag string) bool {
	switch {
	case n.Kind == yaml.AliasNode:
		p.errorf(n, "%s: aliases are not supported", key)
	case n.Kind != kind || tag != "" && n.ShortTag() != tag:
		p.errorf(n, "%s: want %s, got %s", key, want, describe(n))
	default:
		return true
	}
	return false
}

// describe describes n for "want ..., got ..." messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
	default:
		return "a document"
	}
	switch tag := n.ShortTag(); tag {
	case "!!null":
		return "null"
	case "!!str":
		return "string " + quote(n.Value)
	case "!!int", "!!float", "!!bool":
		return strings.TrimPrefix(tag, "!!") + " " + quote(n.Value)
	default:
		return "value tagged " + quote(tag)
	}
}

func (p *parser) str(n *yaml.Node, key string) (string, bool) {
	if !p.check(n, key, "a string", yaml.ScalarNode, "!!str") {
		return "", false
	}
	return n.Value, true
}

func (p *parser) boolean(n *yaml.Node, key string) (bool, bool) {
	if !p.check(n, key, "true or false", yaml.ScalarNode, "!!bool") {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	p.errorf(n, "%s: want true or false, got %s", key, quote(n.Value))
	return false, false
}

// index returns the non-negative decimal integer in n, the value of key.
// It must be at most maxIndex.
func (p *parser) index(n *yaml.Node, key string) (int, bool) {
	const want = "a non-negative integer"
	v := n.Value
	digits := v != "" && strings.Trim(v, "0123456789") == ""
	// YAML makes an integer too large for 64 bits a float: say the same
	// of it as of one tagged !!int.
	if !(n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float" && digits) &&
		!p.check(n, key, want, yaml.ScalarNode, "!!int") {
		return 0, false
	}
	if !digits {
		p.errorf(n, "%s: want %s, got %s", key, want, quote(v))
		return 0, false
	}
	i, err := strconv.Atoi(v)
	if err != nil || i > maxIndex {
		p.errorf(n, "%s: %s is too large (at most %d)", key, quote(v), maxIndex)
		return 0, false
	}
	return i, true
}

// maxIndex bounds every index in a rules file: a parameter, a result, an
// element. No Go function or array of handles comes near it.
const maxIndex = 1 << 10

// maxNativeArg is the last argument index of a native procedure:
// syscall.SyscallN passes at most 42 arguments (Syscall18 18).
const maxNativeArg = 41

// nativeArg reports whether arg, the value of key in the native rule at
// n, is an argument a procedure can have.
func (p *parser) nativeArg(n *yaml.Node, key string, arg Param) bool {
	if arg > maxNativeArg {
		p.errorf(n, "%s: %d is beyond the arguments of a native procedure (at most %d)", key, arg, maxNativeArg+1)
		return false
	}
	return true
}
