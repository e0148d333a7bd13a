package effects

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// Summary is the fact handlecheck exports for a function that hands out
// handles or does something with handles passed to it, so that its callers,
// in this package and in every importing one, treat it as a rule would.
// Its fields are exported for gob, which go vet uses to pass facts between
// packages.
type Summary struct {
	Sources []SummarySource
	Params  []SummaryParam
	// Closes, on a method, names the type that owns a handle and that the
	// method releases (its receiver): the type is a resource of its own,
	// named by its full name, and this method is its releaser.
	Closes string
	// Passes lists the parameters the function returns as they are,
	// keeping them no other way (pass.go).
	Passes []SummaryPass
	// NonNilIfTrue lists the error parameters that are not nil whenever
	// the function returns true: it is an error test (func
	// SyscallIsNotSupported(err error) bool), and a branch on which it
	// is true has no valid handle from the call that made the error.
	// Only exported functions have it (see ErrTest).
	NonNilIfTrue []rules.Param
	// NilIfNil lists the error parameters whose being nil makes the
	// function's error result (its last) nil: a wrapper that keeps a nil
	// error nil (func WithStack(err error) error { if err == nil { return
	// nil }; ... }). A handle returned with such a wrapper of the error
	// of the call that made it is not returned with a non-nil error.
	// Only exported functions have it (see ErrTest).
	NilIfNil []rules.Param
}

// SummarySource: the function hands out a handle, as Source rules do.
type SummarySource struct {
	Result   ownership.ResultIndex // or ownership.NoResult
	Out      rules.Param           // a pointer parameter, or rules.NoParam
	Resource string
	Borrowed bool
	NoLeak   bool
	Origin   string // the API the handle comes from, full name
	Note     string
	// Closer, for a result that is a type owning a handle (Resource is
	// then the type's full name), is the method that releases it.
	Closer string
	// Success, for an Out or a result other than 0, is the success test
	// of the acquiring call carried by the function's result 0, which
	// returns that call's status as it is: func NtCreateFile(h *uintptr,
	// ...) (status uint32), func (c *Cert) Token(h *windows.Token) HRESULT.
	Success ownership.Success
	// WithErr: on some path the function returns the handle live
	// together with a non-nil error (perhaps), so a non-nil error does
	// not mean there is no handle to release.
	WithErr bool
	// NoneIf, for a result that is the handle itself, says the function
	// hands out no handle where another of its results equals a constant
	// (ownership.ResultEquals): pulumi's ReadSourceArchiveWithWD opens
	// its file only with a format other than NotArchive, which it
	// returns as r0.
	NoneIf SummaryNoneIf
	// Field, when not empty, says the result is a pointer to a new struct
	// of the function's package, not an owner type, or of plain data of
	// another package, that holds the handle in the field of that name
	// (func getIno(...) (*inode, error) { ...; return &inode{handle: h},
	// nil }, return &syscall.Overlapped{HEvent: ev}, nil): the caller
	// holds the struct, and must release the handle in it or hand the
	// struct on. Left out of the fact when the field is unexported (see
	// Oracle.Fact).
	Field string
}

// SummaryNoneIf is "result Result equals the constant whose
// constant.Value.ExactString is Value" (an integer, a quoted string, true
// or false), or nothing when Value is empty.
type SummaryNoneIf struct {
	Result ownership.ResultIndex
	Value  string
}

// summaryNoneIf spells n, which may be nil, for a fact.
func summaryNoneIf(n *ownership.ResultEquals) SummaryNoneIf {
	if n == nil {
		return SummaryNoneIf{}
	}
	return SummaryNoneIf{Result: n.Result, Value: n.Value.ExactString()}
}

// resultEquals reads n back, or returns nil when it says nothing or its
// value is no integer, string or boolean constant.
func (n SummaryNoneIf) resultEquals() *ownership.ResultEquals {
	var k constant.Value
	switch s := n.Value; {
	case s == "":
		return nil
	case s == "true" || s == "false":
		k = constant.MakeBool(s == "true")
	case s[0] == '"':
		u, err := strconv.Unquote(s)
		if err != nil {
			return nil
		}
		k = constant.MakeString(u)
	default:
		neg := s[0] == '-'
		k = constant.MakeFromLiteral(strings.TrimPrefix(s, "-"), token.INT, 0)
		if neg {
			k = constant.UnaryOp(token.SUB, k, 0)
		}
	}
	if k.Kind() == constant.Unknown {
		return nil
	}
	return &ownership.ResultEquals{Result: n.Result, Value: k}
}

// SummaryParam: what the function does with a handle passed as Param
// (receiver not counted; rules.Receiver is the receiver).
type SummaryParam struct {
	Param rules.Param
	// Releases lists the resources it releases on every path where the
	// parameter is valid; Releaser is the release function it calls.
	Releases []string
	Releaser string
	// UseOnly: it keeps no copy and does not release it on every path
	// (perhaps on none: a helper that only makes system calls with it).
	UseOnly bool
	// local, with UseOnly: it releases the handle on no path. Left out of
	// the fact of an unexported function (see Oracle.Fact).
	local bool
	// Adopts: it hands the handle, on every path where it is valid, to a
	// function that takes ownership of it (os.NewFile): the caller's duty
	// ends there.
	Adopts bool
	// Changer, with UseOnly: the API through which it changes the
	// handle's object on some path (AdjustTokenPrivileges), for handles
	// of resource ChangeRes only when that is not empty.
	Changer, ChangeRes string
}

// AFact marks Summary as an analysis.Fact.
func (*Summary) AFact() {}

// closerIdent returns the closer's own name, without its package and
// receiver: "readEvents" of "(*k8s.io/utils/inotify.Watcher).readEvents".
func (s SummarySource) closerIdent() string {
	return s.Closer[strings.LastIndex(s.Closer, ".")+1:]
}

// String is short, for tests: "owned token r0; releases a0 handle|token".
func (s *Summary) String() string {
	var parts []string
	for _, src := range s.Sources {
		kind := "owned"
		if src.Borrowed {
			kind = "borrowed"
		}
		where := fmt.Sprintf("r%d", src.Result)
		switch {
		case src.inField() && src.Out == rules.Receiver:
			where = "recv"
		case src.Out.IsParam():
			where = fmt.Sprintf("out%d", src.Out)
		}
		if src.Closer != "" {
			where += " closed by " + src.closerIdent()
		}
		switch src.Success {
		case ownership.SuccessZero:
			where += " if r0 == 0"
		case ownership.SuccessNonzero:
			where += " if r0 != 0"
		case ownership.SuccessNonNegative:
			where += " if r0 >= 0"
		}
		if src.Field != "" {
			where += " field " + src.Field
		}
		if src.WithErr {
			where += " (also with an error)"
		}
		if n := src.NoneIf; n.Value != "" {
			where += fmt.Sprintf(" (none if r%d == %s)", n.Result, n.Value)
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", kind, src.Resource, where))
	}
	if s.Closes != "" {
		parts = append(parts, "closes "+s.Closes)
	}
	for _, p := range s.Passes {
		arg := fmt.Sprintf("a%d", p.Param)
		if p.Param == rules.Receiver {
			arg = "recv"
		}
		how := "as"
		if p.Holds {
			how = "held in"
		}
		parts = append(parts, fmt.Sprintf("returns %s %s r%d", arg, how, p.Result))
	}
	for _, p := range s.NonNilIfTrue {
		arg := fmt.Sprintf("a%d", p)
		if p == rules.Receiver {
			arg = "recv"
		}
		parts = append(parts, fmt.Sprintf("true only for a non-nil %s", arg))
	}
	for _, p := range s.NilIfNil {
		parts = append(parts, fmt.Sprintf("nil error for a nil a%d", p))
	}
	for _, p := range s.Params {
		arg := fmt.Sprintf("a%d", p.Param)
		if p.Param == rules.Receiver {
			arg = "recv"
		}
		switch {
		case p.UseOnly && p.Changer != "":
			parts = append(parts, "changes "+arg)
		case p.UseOnly:
			parts = append(parts, "uses "+arg)
		case p.Adopts:
			parts = append(parts, "adopts "+arg)
		default:
			parts = append(parts, fmt.Sprintf("releases %s %s", arg, strings.Join(p.Releases, "|")))
		}
	}
	return strings.Join(parts, "; ")
}

// Fact returns the part of sum, the summary of fn (declared as obj), to
// export as its fact. An unexported function is called from this package
// only, where its local summary serves: that it only uses a parameter,
// releasing it on no path, is left out of its fact. A handle returned in
// an unexported field of a struct (SummarySource.Field), which an
// importing package could not release, is left out of every fact (one in
// an exported field, windows.Overlapped's HEvent, stays); so is a source
// of an owner type whose closer is unexported (no exported method or
// function releases it), which an importing package could not call.
func (o *Oracle) Fact(fn *ssa.Function, obj *types.Func, sum *Summary) *Summary {
	t := *sum
	t.Sources = slices.DeleteFunc(slices.Clone(sum.Sources), func(s SummarySource) bool {
		return s.Field != "" && !s.inField() && !token.IsExported(s.Field) || s.Closer != "" && !token.IsExported(s.closerIdent())
	})
	if !obj.Exported() {
		t.Params = slices.DeleteFunc(slices.Clone(sum.Params), func(p SummaryParam) bool { return p.local })
	}
	return &t
}

// Empty reports whether s says nothing.
func (s *Summary) Empty() bool {
	return !s.Handles() && len(s.NonNilIfTrue) == 0 && len(s.NilIfNil) == 0
}

// Handles reports whether s says something of handles: more than that
// the function is an error test.
func (s *Summary) Handles() bool {
	return len(s.Sources) > 0 || len(s.Params) > 0 || s.Closes != "" || len(s.Passes) > 0
}

// passesOnly reports whether s says nothing but that parameters pass
// through (Passes).
func (s *Summary) passesOnly() bool {
	return len(s.Passes) > 0 && len(s.Sources) == 0 && len(s.Params) == 0 && s.Closes == ""
}

// Equal reports whether two summaries say the same, field by field, for
// the fixed point.
func (s *Summary) Equal(t *Summary) bool {
	return s.Closes == t.Closes && slices.Equal(s.Sources, t.Sources) && slices.Equal(s.Passes, t.Passes) && slices.Equal(s.NonNilIfTrue, t.NonNilIfTrue) && slices.Equal(s.NilIfNil, t.NilIfNil) &&
		slices.EqualFunc(s.Params, t.Params, func(a, b SummaryParam) bool {
			return a.Param == b.Param && a.Releaser == b.Releaser && a.UseOnly == b.UseOnly && a.Adopts == b.Adopts && slices.Equal(a.Releases, b.Releases) &&
				a.Changer == b.Changer && a.ChangeRes == b.ChangeRes
		})
}

// Summarize computes the summary of fn, a function of this package, from
// the engine's result on it and from tracking each of its parameters that
// could hold a handle.
func (o *Oracle) Summarize(fn *ssa.Function, res ownership.Result) *Summary {
	sum := new(Summary)
	method := fn.Signature.Recv() != nil
	// ruleIndex turns an index into fn.Params into a rule-style index
	// (receiver not counted), as summaries and rules spell parameters.
	ruleIndex := func(i ownership.Param) rules.Param {
		if method {
			return rules.ParamAt(int(i) - 1) // the receiver becomes rules.Receiver
		}
		return rules.ParamAt(int(i))
	}
	if own := o.closers[fn]; own != nil {
		sum.Closes = own.name
	}
	if et := o.ErrTest(fn); et != nil {
		sum.NonNilIfTrue, sum.NilIfNil = et.NonNilIfTrue, et.NilIfNil
	}
	// One handle returned in two results (func openExportFile() (reader
	// io.ReadSeeker, closer io.Closer, err error) returning f in both) is
	// released through either: neither result is a source.
	where := make(map[*ownership.Source][2]int)
	twice := make(map[*ownership.Source]bool)
	for _, ex := range res.Exports {
		w := [2]int{int(ex.Result), int(ex.Param)}
		if prev, ok := where[ex.Source]; ok && prev != w {
			twice[ex.Source] = true
		}
		where[ex.Source] = w
	}
	for _, ex := range res.Exports {
		if twice[ex.Source] {
			continue
		}
		info := o.Source(ex.Source.Acquire.Rule)
		s := SummarySource{
			Result: ex.Result, Out: rules.NoParam,
			Resource: ex.Source.Acquire.Resource, Borrowed: ex.Source.Acquire.Borrowed,
			NoLeak: ex.Source.Acquire.NoLeak, Origin: info.Origin, Note: info.Note,
			WithErr: ex.WithErr, NoneIf: summaryNoneIf(ex.NoneIf),
		}
		if ex.Field != ownership.NoField {
			// return &Watcher{h: h}: an owned source of Watcher, if
			// Watcher's closer releases that field; else, for a struct
			// of this package that no closer releases, a source of the
			// handle in that field of the struct.
			rt := fn.Signature.Results().At(int(ex.Result)).Type()
			own := o.ownerOf(rt)
			if s.Borrowed || s.NoLeak || o.closers[fn] != nil {
				continue
			}
			if own == nil {
				if !ex.Held {
					continue
				}
				name := o.holderField(rt, int(ex.Field))
				if name == "" {
					continue
				}
				s.Field = name
			} else {
				if own.field != int(ex.Field) {
					continue
				}
				s.Resource, s.Closer = own.name, own.closer.FullName()
			}
		} else if o.isOwner(info.Resource) {
			s.Closer = info.Resource.Release[0].Func // an owner type's, handed on
		}
		if ex.Param != ownership.NoParam {
			if method && ex.Param == 0 {
				continue // written through the receiver: not a result
			}
			s.Result, s.Out = ownership.NoResult, ruleIndex(ex.Param)
		}
		if s.Result != 0 && returnsStatus(fn, ex.Source) {
			s.Success = ex.Source.Acquire.Success
		}
		if i := slices.IndexFunc(sum.Sources, func(t SummarySource) bool { t.WithErr, t.NoneIf = s.WithErr, s.NoneIf; return t == s }); i >= 0 {
			// Two acquisitions returned in one result (os.Open on one
			// path, a helper's on another): it is live with an error if
			// either is, and none where both say it is.
			sum.Sources[i].WithErr = sum.Sources[i].WithErr || s.WithErr
			if sum.Sources[i].NoneIf != s.NoneIf {
				sum.Sources[i].NoneIf = SummaryNoneIf{}
			}
		} else {
			sum.Sources = append(sum.Sources, s)
		}
	}
	sum.Sources = append(sum.Sources, o.fieldSources(fn, res)...)
	// Two sources for one result that disagree (owned here, borrowed
	// there) say nothing reliable.
	sum.Sources = slices.DeleteFunc(sum.Sources, func(s SummarySource) bool {
		return slices.ContainsFunc(sum.Sources, func(t SummarySource) bool {
			return t.Result == s.Result && t.Out == s.Out && t.Field == s.Field && (t.Borrowed != s.Borrowed || t.Resource != s.Resource)
		})
	})
	delete(o.paramLeaks, fn)
	sum.Passes = o.passes(fn)
	// A Go handle (an *os.File, or an io.Reader that may be one) that the
	// function keeps no copy of and never releases is only used.
	goHandle := make(map[int]bool)
	for i, p := range fn.Params {
		if o.goHandleParam(p.Type()) {
			goHandle[i] = true
			if r := o.retains(fn, i); !r.escapes && len(r.results) == 0 {
				sum.Params = append(sum.Params, SummaryParam{Param: ruleIndex(ownership.Param(i)), UseOnly: true, local: true})
			}
		}
	}
	// Neither releases, adopts nor uses a handle through any call: a
	// parameter it only does arithmetic with is not worth a fact, unless
	// it builds an owner type around it (func newProcess(h HcsProcess)
	// *Process { return &Process{handle: h} }).
	api := o.callsHandleAPI(fn)
	if !api && !o.returnsOwner(fn) {
		return sum
	}
	for i, p := range fn.Params {
		_, pointer := p.Type().Underlying().(*types.Pointer)
		if !handleLike(p.Type()) && !pointer || goHandle[i] || !api && pointer {
			continue
		}
		use := ownership.SummarizeParam(fn, ownership.Param(i), o)
		if !api && !use.Wrapped {
			continue
		}
		if pointer && (len(use.Releases) == 0 || !slices.ContainsFunc(use.Releases, func(r *ownership.Release) bool {
			return rules.IsNative(o.Releaser(r.Rule).Func)
		})) {
			// A pointer is a handle only to a native procedure that
			// releases it: a wrapper of CertFindCertificateInStore
			// frees its *CertContext argument. That a function only
			// uses or keeps a pointer says nothing of handles, and a
			// Go pointer (*os.File) released through its methods is
			// left to them.
			continue
		}
		switch {
		case use.Wrapped:
			// return &File{h: h}, nil: a new File owns the handle passed
			// in, if File is an owner of that field: a source of File
			// that adopts the parameter.
			own := o.ownerOf(fn.Signature.Results().At(use.Result).Type())
			if own == nil || own.field != use.Field || o.closers[fn] != nil {
				continue
			}
			src := SummarySource{Result: ownership.ResultAt(use.Result), Out: rules.NoParam, Resource: own.name, Closer: own.closer.FullName()}
			if !slices.Contains(sum.Sources, src) {
				sum.Sources = append(sum.Sources, src)
			}
			sum.Params = append(sum.Params, SummaryParam{Param: ruleIndex(ownership.Param(i)), Adopts: true})
		case len(use.Leaks) > 0:
			o.paramLeaks[fn] = append(o.paramLeaks[fn], ParamLeak{Param: p, Exits: use.Leaks})
		case use.Adopts:
			sum.Params = append(sum.Params, SummaryParam{Param: ruleIndex(ownership.Param(i)), Adopts: true})
		case len(use.Releases) > 0:
			sp := SummaryParam{Param: ruleIndex(ownership.Param(i)), Releaser: o.Releaser(use.Releases[0].Rule).Func}
			sp.Releases = use.Releases[0].Resources
			for _, r := range use.Releases[1:] {
				sp.Releases = slices.DeleteFunc(slices.Clone(sp.Releases), func(res string) bool { return !slices.Contains(r.Resources, res) })
			}
			if len(sp.Releases) > 0 {
				sum.Params = append(sum.Params, sp)
			}
		case use.UseOnly:
			sp := SummaryParam{Param: ruleIndex(ownership.Param(i)), UseOnly: true, local: !use.SomePaths}
			if len(use.Changes) > 0 {
				ch := use.Changes[0]
				sp.Changer, sp.ChangeRes, sp.local = o.Releaser(ch.Rule).Origin, ch.Resource, false
			}
			sum.Params = append(sum.Params, sp)
		}
	}
	slices.SortStableFunc(sum.Params, func(a, b SummaryParam) int { return int(a.Param) - int(b.Param) })
	return sum
}

// holderField returns the name of field f of the struct that t, a
// function's result type, points to, when a source of the handle in that
// field can be followed in the function's callers: t is a pointer to a
// struct type, not generic and no owner type, of this package or plain
// data of another one (a type with no methods: syscall.Overlapped), and
// field f could be a handle. Otherwise it returns "".
func (o *Oracle) holderField(t types.Type, f int) string {
	if _, ptr := t.(*types.Pointer); !ptr {
		return "" // a named pointer type, an interface
	}
	tn := structType(t)
	if tn == nil || o.ownerOf(t) != nil {
		return ""
	}
	if tn.Pkg() != o.pass.Pkg && types.NewMethodSet(t).Len() > 0 {
		return "" // mgr.Service: its methods, not its fields, say what it holds
	}
	st := tn.Type().Underlying().(*types.Struct)
	if f < 0 || f >= st.NumFields() || !handleLike(st.Field(f).Type()) {
		return ""
	}
	return st.Field(f).Name()
}

// returnsStatus reports whether every return of fn gives as result 0, an
// integer, the status result of src's call, converted at most (the value
// its success test is on), or a constant that the test says is a failure
// (if c == nil { return E_POINTER }).
func returnsStatus(fn *ssa.Function, src *ownership.Source) bool {
	call, ok := src.Instr.(*ssa.Call)
	if !ok || src.Acquire.Success == ownership.NoSuccessGate || fn.Signature.Results().Len() == 0 ||
		!handleLike(fn.Signature.Results().At(0).Type()) {
		return false
	}
	n := 0
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			v := ownership.Unconvert(ret.Results[0])
			if x, ok := v.(*ssa.Extract); ok && x.Tuple == call && x.Index == 0 {
				v = call // r1 of r1, r2, err := SyscallN(...)
			}
			if k, ok := v.(*ssa.Const); ok && k.Value != nil && src.Acquire.Success.Fails(k.Type(), k.Value) {
				continue
			}
			if v != call {
				return false
			}
			n++
		}
	}
	return n > 0
}

// A ParamLeak is a parameter that a function takes ownership of on some
// paths (it adopts it) and loses on others: Exits are the returns reached
// with the handle neither released nor handed on.
type ParamLeak struct {
	Param *ssa.Parameter
	Exits []token.Pos
}

// ParamLeaks returns the parameters that fn, a function of this package
// that Summarize has seen, adopts on some paths and loses on others.
func (o *Oracle) ParamLeaks(fn *ssa.Function) []ParamLeak { return o.paramLeaks[fn] }

// callsHandleAPI reports whether fn calls a function that the rules,
// summaries or owner types say something of: only then is it worth
// summarizing its parameters.
func (o *Oracle) callsHandleAPI(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, builtin := c.Common().Value.(*ssa.Builtin); builtin {
				continue
			}
			eff := o.Effects(c.Common())
			if eff.UseOnly || len(eff.Uses) > 0 || len(eff.Releases) > 0 || len(eff.Adopts) > 0 || len(eff.Acquires) > 0 {
				return true
			}
		}
	}
	return false
}

// returnsOwner reports whether one of fn's results is an owner type of
// this package.
func (o *Oracle) returnsOwner(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := range res.Len() {
		if own := o.ownerOf(res.At(i).Type()); own != nil && own.field >= 0 {
			return true
		}
	}
	return false
}

// callsReleaser reports whether fn calls a function that releases
// something: only then can it be an owner type's closer.
func (o *Oracle) callsReleaser(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok && len(o.Effects(c.Common()).Releases) > 0 {
				return true
			}
		}
	}
	return false
}

// handleLike reports whether a value of type t could be a handle: an
// integer, uintptr or pointer-sized type, possibly named.
func handleLike(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// RuleErrors is the package fact of a package for whose functions some
// rules do not fit (CheckDeclared's error, one per line). A package that
// imports it fails with the same error: under go vet, the declaring
// package is analyzed for its facts only, and its own error is not shown.
type RuleErrors struct{ Msg string }

// AFact marks RuleErrors as an analysis.Fact.
func (*RuleErrors) AFact() {}

func (e *RuleErrors) String() string { return e.Msg }
