// Package ownership is handlecheck's ownership engine: given a function in
// SSA form and an Oracle that says what each call does to handles, it follows
// every acquired handle along the function's paths and returns neutral
// findings: leaks, releases of borrowed handles, double releases and releases
// by the wrong function.
//
// The engine knows nothing of rule files or diagnostics. Package effects
// turns rules and facts into an Oracle; package analyzer runs the engine
// over a package's functions and turns findings into diagnostics.
//
// # Method
//
// Each acquisition (a call the Oracle says hands out a handle) is tracked on
// its own by a forward dataflow over the function's blocks. The abstract
// state is a set of elements; an element is one status of one instance of
// the handle (held, released, release deferred, borrowed) together with a
// bitset saying which path-dependent values currently denote that instance:
// phis, loads that outlive their block, and local variables whose address
// is taken. Values computed from the acquisition by conversions, and the
// results of calls that return it as it is (Effects.Passes: f :=
// must(os.Open(p))), denote the current instance wherever they are defined. Edges out of a test of the
// call's error against nil, of the handle against an invalid value, or of
// a result that says there is no handle (Acquire.NoneIf: f ==
// NotArchive), drop the held status. Elements are propagated once per block, so the cost per
// handle is O(blocks × distinct elements), with no path enumeration.
//
// The states of one instance, and what moves it from one to the next:
//
//	                        acquisition
//	                   owned |       | Borrowed
//	                         v       v
//	 handed on <--------- held     borrowed --release--> BorrowedRelease
//	 (no longer ours)    /  |  \
//	            release /   |   \ defer release
//	                   v    |    v
//	           released     |    deferred
//	                   |    |    |
//	           release |    |    | release
//	                   v    |    v
//	             DoubleRelease <-'
//	                        |
//	                        '--> at a return, or unreachable: Leak
//
//	error edge (err != nil), validity edge (h == invalid), tag edge
//	(f == NotArchive: Acquire.NoneIf), dead branch:
//	    the held element does not take that edge
//	phi, store, load: which slots denote the instance (elem.bits)
//	closure call or defer: the closure's own summary, applied as above
//	a release by the releaser of another resource: WrongReleaser
//
// A parameter that the Oracle says is lent to the function (LendOracle:
// the fd of a RawConn.Control callback) is tracked from the entry as
// borrowed. A call that adopts a borrowed handle (os.NewFile(f.Fd(), n),
// or of a lent parameter) acquires nothing owned: what it hands out is
// borrowed too (Acquire.Wraps).
//
// A boolean flag set to a constant where the handle's variable takes the
// acquisition (fd, didOpen := borrowed, false; if ... { fd, err =
// os.Open(p); ...; didOpen = true }) travels with the instance as
// elem.flags, and an If on it sends the instance to that constant's
// branch only (flag.go). A close-once closure (if closed { return };
// closed = true; f.Close()) releases the handle the first time it runs
// and does nothing afterwards (once.go).
//
// A local variable whose address only stores, loads and deferred calls
// take (err, of defer fs.CheckClose(f, &err)) and that the path last set
// to nil is known to be nil there, in elem.nilVars, and an If on it
// against nil takes the nil branch only (nilvar.go).
//
// A release through a closure the function calls or defers is what the
// closure's own tracking (a summary, per closure and capture) says it does.
// A closure deferred before the acquisition that reads a variable the
// handle is stored in releases, at exit, whatever the variable holds then
// (elem.pending). When the acquisition runs again on a path (a loop, a
// backward goto) the earlier instance goes on as a stale element, denoted
// by its slots only; once no slot holds it, it is lost, and a leak if it is
// still held; a loop that a dominating check of len(x) bounds to one
// iteration over x does not run it again (onceHeader). A recover() != nil
// branch is a panic path, which the engine does not follow (a Panic ends a
// path).
//
// # Cost and budgets
//
// The values that slots root (what phis, loads and variables carry, where
// they are used and live) do not depend on the handle, and are shared by
// all trackers of a function; an element that only slots denote (detached)
// behaves the same whichever acquisition of its kind it came from, and its
// continuation is computed once per function: detached elements entering
// blocks are the nodes of one graph per kind, each node's block is run
// once, and what follows from a node is joined over the graph's strongly
// connected components (cont.go). Loops are found once per function, and
// an element's slots are a sparse set, so that the cost stays linear in
// the blocks when thousands of handles pass through one variable. Two budgets remain per
// function: maxSlots values that carry handles, and maxElems elements per
// block. A handle that exceeds one is given up, with no findings, and is
// counted in Result.GivenUp with the reason.
package ownership

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// An Oracle tells the engine what calls do to handles.
type Oracle interface {
	Effects(call *ssa.CallCommon) Effects
}

// A FieldOracle is an Oracle that also says whether a call only uses a
// struct passed to it whose field holds a handle: it reads the field or
// uses the handle in it, and keeps neither the struct nor the handle on
// any path, nor releases it. The engine asks only where such a struct is
// passed to a call whose Effects say nothing of that operand.
type FieldOracle interface {
	Oracle
	// UsesField reports whether call c only uses field f of the struct
	// that operand op is or points to.
	UsesField(c *ssa.CallCommon, op Operand, f int) bool
}

// Operand names one operand of a call. Arg(i) is CallCommon.Args[i] (for a
// static method call Args[0] is the receiver); Recv is the receiver of an
// interface method call, CallCommon.Value. It is a defined type so that the
// other index spaces (a rule's parameter index, which does not count the
// receiver; an index into Function.Params) do not mix with it.
type Operand int

const (
	// NoOperand is no operand: the Out of an Acquire by Result.
	NoOperand Operand = -3
	// ByValue is the Operand of a Release given by its Value (a native
	// procedure's argument inside the call's variadic slice).
	ByValue Operand = -2
	// Recv is the receiver of an interface method call.
	Recv Operand = -1
)

// Arg is the Operand of CallCommon.Args[i].
func Arg(i int) Operand { return Operand(i) }

// IsArg reports whether op is one of CallCommon.Args.
func (op Operand) IsArg() bool { return op >= 0 }

// Param indexes Function.Params (for a method, Params[0] is the receiver).
type Param int

// NoParam is no parameter.
const NoParam Param = -1

// ResultIndex indexes a call's (or a function's) results. It is a defined
// type so that it does not mix with an Operand or a Param.
type ResultIndex int

// NoResult is no result: the Result of an Acquire or Export through a
// pointer.
const NoResult ResultIndex = -1

// ResultAt is the ResultIndex of result i.
func ResultAt(i int) ResultIndex { return ResultIndex(i) }

// Effects is what one call does.
type Effects struct {
	Acquires []Acquire
	Releases []Release
	Adopts   []Operand // operands whose ownership the callee takes
	// UseOnly means the callee only uses handles passed to it. Otherwise a
	// handle passed to the callee is handed on: the caller's duty ends.
	UseOnly bool
	// Uses lists operands the callee only uses, when UseOnly is false.
	Uses []Operand
	// Acts says the callee acts on the handles passed to it (a platform
	// API, as opposed to fmt.Sprint): one passed after its release is a
	// UseAfterRelease.
	Acts bool
	// Changes lists operands whose object the callee changes
	// (AdjustTokenPrivileges' token): a borrowed handle there is a
	// BorrowedChange.
	Changes  []Change
	NoReturn bool
	// AtExit lists operands, functions, that the callee runs after the
	// calling function returns, as a defer would ((*testing.T).Cleanup).
	AtExit []Operand
	// NonNilIfTrue lists operands that are non-nil whenever the call
	// returns true (or, for several results, its last is true):
	// errors.Is(err, target) and errors.AsType[E](err) only for a non-nil err.
	NonNilIfTrue []Operand
	// NilIfNil lists error operands such that the call's error result
	// (its last) is nil whenever the operand is nil: a wrapper that keeps
	// a nil error nil (github.com/pkg/errors.WithStack(err)).
	NilIfNil []Operand
	// Compares, when set, says the call's bool result is a comparison of
	// an operand with a constant: func FAILED(hr HRESULT) bool { return
	// hr < 0 }. A test of it is read as the comparison.
	Compares *Comparison
	// ErrIf, when set, says the call's error result is non-nil only
	// where a comparison of an operand with a constant holds: func (s
	// ntStatus) Err() error { if s >= 0 { return nil }; return ... } is
	// non-nil only where s < 0. An error made so of a status whose
	// failure that comparison implies is the acquisition's error.
	ErrIf *Comparison
	// ErrIfInvalid lists operands such that the call's error result is
	// non-nil only where the operand is no valid handle: (*os.File).
	// SyscallConn fails only for a nil File.
	ErrIfInvalid []Operand
	// Passes lists operands that the callee returns as they are and
	// keeps no other way: func must[T any](v T, err error) T. Passing a
	// handle there is a use, and the result is the same handle.
	Passes []Pass
}

// A Pass says a call returns operand Operand as its result Result (or, on
// some paths, a constant: nil, an invalid handle), and keeps it no other
// way. Err, when not NoResult, is the call's error result, which is not
// nil only where Result is such a constant, or where the error passed as
// operand ErrOperand (when not NoOperand) is not nil: the pass holds only
// at calls where that operand is nil or the error of the call that
// returned Operand (check(os.Open(p))).
//
// Holds says the result is not the operand but a value that holds it and
// only reads and writes through it, never closing it (bufio.NewReader(f)):
// the result carries the handle, which stays the caller's, but returning
// it gives the caller nothing it can release, so the function is no
// source of the handle there.
type Pass struct {
	Operand    Operand
	Result     ResultIndex
	Err        ResultIndex
	ErrOperand Operand
	Holds      bool
}

// A Comparison is "operand Op Value", Value an integer constant, the
// operand (converted) being of type Type where it is compared.
type Comparison struct {
	Operand Operand
	Op      token.Token // EQL, NEQ, LSS, LEQ, GTR or GEQ
	Value   constant.Value
	Type    types.Type
}

// Acquire says a call hands out a handle.
type Acquire struct {
	Result ResultIndex // the result that is the handle, or NoResult
	Out    Operand     // pointer operand the handle is written through, or NoOperand (Result used)
	// OutValue, when not nil, is the pointer the handle is written through,
	// in place of operand Out: a native procedure's argument
	// uintptr(unsafe.Pointer(&tok)) passed in a variadic slice.
	OutValue ssa.Value
	// Part, when set, says the handle is one part of the aggregate that
	// Result is or that Out points to: a field of a struct, an element of
	// an array or slice.
	Part     Part
	Borrowed bool
	// ErrGate: the call's last result is an error, and the handle is valid
	// only where it is nil.
	ErrGate bool
	// ValidErr, with ErrGate, reports whether a non-nil error value the
	// code compares the error with is one with which the handle is valid
	// too (ERROR_ALREADY_EXISTS for a named event that already exists).
	// Where the error is non-nil, the handle is then held only if the
	// error is that one.
	ValidErr func(ssa.Value) bool
	// Success, when set, gates the handle on the call's first result, an
	// integer status: a BOOL (SuccessNonzero), a code whose one success
	// value is 0 (SuccessZero: S_OK exactly, STATUS_SUCCESS,
	// ERROR_SUCCESS), or an HRESULT or NTSTATUS that succeeded when
	// non-negative as an int32 (SuccessNonNegative: SUCCEEDED(hr)).
	Success Success
	// NoneIf, when set, says the call hands out no handle where another
	// of its results equals a constant (see ResultEquals): on the branch
	// of an If where it does (f == NotArchive), the handle is not held.
	NoneIf *ResultEquals
	// NoLeak: do not report the handle as leaked (it may be pinned for the
	// life of the process); its releases are still checked.
	NoLeak bool
	// ReleaseAgainOK: releasing the handle again is not a mistake (the
	// releaser is idempotent); double releases are not reported.
	ReleaseAgainOK bool
	// AddsRef: the handle is one of the call's operands itself with its
	// reference count raised (the result of
	// CertDuplicateCertificateContext is its argument). A call whose
	// result is discarded leaves the new reference to whoever releases
	// that operand: nothing is tracked.
	AddsRef bool
	// Dynamic, when not nil, is the dynamic type of the handle result, an
	// interface, that this call fixes (net.Dial("tcp", a) returns a
	// *net.TCPConn): a comma-ok assertion of the result to another type
	// fails, and to this one succeeds.
	Dynamic types.Type
	// Wraps, on a Borrowed handle: an adopting source made it of a
	// borrowed handle (os.NewFile(f.Fd(), name), os.NewFile of a
	// RawConn callback's fd), so releasing it releases the handle its
	// owner still uses.
	Wraps bool
	// Owns: the handle owns operand Adoptee of the call, which the call
	// adopts (os.NewFile(uintptr(fd), name) returns a File that closes
	// fd). Releasing that operand's value directly then releases what
	// the handle releases too: a release of the handle after it, or
	// before it, is a DoubleRelease (Finding.Raw, Finding.OtherRaw).
	Owns     bool
	Adoptee  Operand
	Resource string
	Rule     SourceRef // opaque to the engine; handed back in findings
}

// SourceRef and ReleaseRef are the Oracle's handles on the rules behind an
// Acquire and a Release: the engine never reads them, and hands them back
// in findings, where the Oracle's owner turns them back into its records.
// The zero value refers to nothing.
type (
	SourceRef  int32
	ReleaseRef int32
)

// A Part is one part of an aggregate value: field N of a struct, or
// element N of an array or slice. The zero Part is the whole value.
type Part struct {
	Kind PartKind
	N    int
}

// PartKind is the kind of a Part.
type PartKind uint8

const (
	Whole PartKind = iota
	Field          // a struct field, by index
	Elem           // an array or slice element, by index
)

// Success is which value of a call's first result means it succeeded.
type Success uint8

const (
	NoSuccessGate      Success = iota
	SuccessNonzero             // a BOOL: 0 is failure
	SuccessZero                // a status or error code: 0 is success, anything else failure
	SuccessNonNegative         // an HRESULT or NTSTATUS: negative (as an int32) is failure
)

// Release says a call releases one operand, which must be a handle of one
// of Resources.
type Release struct {
	Operand Operand
	// Value, when not nil, is the released value in place of operand
	// Operand: a native procedure's argument in a variadic slice.
	Value     ssa.Value
	Resources []string
	Rule      ReleaseRef
	// Part, when set, says the call releases that part of the aggregate
	// the operand points to, whatever the handle there is: an owner
	// type's closer releases the handle in its field.
	Part Part
}

// Change says a call changes the state of the object behind one operand.
type Change struct {
	Operand Operand
	// Value, when not nil, is the changed value in place of operand
	// Operand: a native procedure's argument in a variadic slice.
	Value ssa.Value
	// Resource, when not empty, restricts the change to handles of that
	// resource.
	Resource string
	Rule     ReleaseRef // names the changing function, as for a Release
}

// Kind is a kind of finding.
type Kind int

const (
	Leak Kind = iota
	BorrowedRelease
	DoubleRelease
	WrongReleaser
	BorrowedChange  // a borrowed handle passed where its object is changed
	UseAfterRelease // a handle used after its release
)

func (k Kind) String() string {
	switch k {
	case Leak:
		return "leak"
	case BorrowedRelease:
		return "borrowed-release"
	case DoubleRelease:
		return "double-release"
	case WrongReleaser:
		return "wrong-releaser"
	case BorrowedChange:
		return "borrowed-change"
	case UseAfterRelease:
		return "use-after-release"
	}
	return "?"
}

// A Finding is one mistake.
type Finding struct {
	Kind    Kind
	Pos     token.Pos // where to report: the acquisition for Leak, the call for BorrowedChange and UseAfterRelease, else a release
	Source  *Source   // the acquisition concerned
	Release *Release  // the release at Pos (nil for Leak, BorrowedChange and UseAfterRelease)
	// Change, for a BorrowedChange, is the change at Pos.
	Change *Change
	// Call, for a BorrowedChange or UseAfterRelease, is the call at Pos
	// (nil for a UseAfterRelease at a return: see Returned).
	Call *ssa.CallCommon
	// Returned, for a UseAfterRelease, says that Pos is a return that
	// hands the released handle to the caller.
	Returned bool
	// Other is the related position: for Leak the return (or closing brace)
	// through which the handle escapes unreleased; for DoubleRelease the
	// other release; for UseAfterRelease the release before the use.
	Other         token.Pos
	OtherRelease  *Release
	OtherDeferred bool // the other release is deferred
	Deferred      bool // the release (for UseAfterRelease, the use) at Pos is deferred
	// Via, for a UseAfterRelease inside a function literal, is the call
	// (or defer) of the literal that makes the use come after the release.
	Via token.Pos
	// Unreleased, for a Leak: no path releases or hands on the handle, so
	// a release deferred right after the acquisition is a safe fix.
	Unreleased bool
	// ValidErr, for a Leak: at Other the acquiring call's error is not
	// nil, and the handle is held because the error may be one with which
	// it is valid (Acquire.ValidErr).
	ValidErr bool
	// Again, for a DoubleRelease: the other release is this same call,
	// on an earlier iteration of a loop (a defer in a loop of a handle
	// acquired before it); Other is then Pos.
	Again bool
	// WithErr, for a Leak: the function returns the held handle together
	// with an error that may be non-nil, at Other (the first such
	// return); callers that check the error first leak it.
	WithErr bool
	// Raw, for a DoubleRelease: the release at Pos releases the raw
	// handle that the acquiring call adopted (Acquire.Owns), not the
	// handle it handed out. OtherRaw, for a DoubleRelease or a
	// UseAfterRelease: the release at Other does.
	Raw, OtherRaw bool
	// Lost, for a Leak: Other is where the still-held handle becomes
	// unreachable, not a return: the variable holding it is overwritten,
	// or the acquisition runs again (a later iteration of a loop, a
	// backward goto) while the earlier handle is held.
	Lost bool
}

// A Source is one acquisition in the function, or a handle lent to it.
type Source struct {
	Call    *ssa.CallCommon
	Instr   ssa.Instruction // the *ssa.Call (or Defer/Go, which never track)
	Acquire Acquire
	// Param, for a handle lent to the function (LendOracle), is the
	// parameter that holds it on entry; Call and Instr are nil.
	Param *ssa.Parameter
	// Taken, for a handle the function takes over from a field of its
	// receiver (h := l.handle; l.handle = 0: see takes), is the load of
	// the field; Instr is the store that clears it, from which the
	// function holds the handle, and Call is nil.
	Taken *ssa.UnOp
}

// Pos is the position of the acquiring call, of the lent parameter, or
// of the field a taken handle is loaded from.
func (s *Source) Pos() token.Pos {
	switch {
	case s.Taken != nil:
		return s.Taken.X.Pos()
	case s.Call == nil && s.Param != nil:
		return s.Param.Pos()
	}
	return s.Call.Pos()
}

// A TakeOracle is an Oracle that also says what handle a struct's field
// holds, for a handle a method takes over from its receiver.
type TakeOracle interface {
	Oracle
	// Taken returns the acquisition of a handle loaded from field fa
	// (of the receiver) by a function that then clears the field: the
	// handle the package keeps there, owned and of one resource. ok is
	// false when the field holds no such handle.
	Taken(fa *ssa.FieldAddr) (acq Acquire, ok bool)
}

// A LendOracle is an Oracle that also knows which parameters of a
// function hold, on entry, a handle lent to it: the function is passed
// as a callback that is called with a borrowed handle
// ((syscall.RawConn).Control(func(fd uintptr) {...})).
type LendOracle interface {
	Oracle
	Lent(fn *ssa.Function) []Lent
}

// A Lent is a parameter of a function that holds a borrowed handle on
// entry, described by Acquire (Borrowed is set).
type Lent struct {
	Param   Param
	Acquire Acquire
}

// Result is what Analyze found in one function.
type Result struct {
	Findings []Finding
	// Exports are the acquisitions the function hands to its caller: by
	// returning them or by writing them through a pointer parameter.
	Exports []Export
	// FieldExports are the acquisitions the function leaves in a field
	// of the struct a pointer parameter (its receiver) points to.
	FieldExports []FieldExport
	// GivenUp are the acquisitions the engine stopped following because
	// they exceeded a budget (maxSlots, maxElems) or took a way it does
	// not follow; nothing is reported about them.
	GivenUp []GiveUp
}

// FieldIndex indexes the fields of a struct.
type FieldIndex int

// NoField is no field: an Export of the whole value.
const NoField FieldIndex = -1

// A GiveUp is an acquisition the engine gave up, and why.
type GiveUp struct {
	Source *Source
	Reason string
}

// An Export is an acquisition a function hands to its caller.
type Export struct {
	Source *Source
	Result ResultIndex // the result that carries it, or NoResult
	Param  Param       // the pointer parameter written through, or NoParam
	// Field, when not NoField, says Result is a pointer to a struct the
	// function allocated, and the handle is in that field of it:
	// return &Watcher{h: h}, nil.
	Field FieldIndex
	// WithErr: on some path the handle is returned live together with an
	// error that may be non-nil (Finding.WithErr).
	WithErr bool
	// NoneIf, for a Result that is the handle itself, is a result of the
	// function whose value says there is no handle (see ResultEquals), or
	// nil.
	NoneIf *ResultEquals
	// Held, with Field: the struct is returned holding the handle on a
	// path where the function still held it (not handed on before: a
	// store of the handle followed by os.NewFile(fd) is not), and every
	// return of it comes after the acquisition. Without Held, a Field
	// export only says the store dominates the returns of the struct.
	Held bool
}

// Analyze runs the engine over fn (not over its anonymous functions, which
// are analyzed on their own; closures that fn defers or calls are followed).
func Analyze(fn *ssa.Function, o Oracle) Result {
	if fn.Blocks == nil {
		return Result{}
	}
	a := newAnalysis(fn, o, false)
	defer putScratch(a.scratch)
	var lent []Lent
	if lo, ok := o.(LendOracle); ok {
		lent = lo.Lent(fn)
	}
	for _, l := range lent {
		if l.Param < 0 || int(l.Param) >= len(fn.Params) {
			continue
		}
		p := fn.Params[l.Param]
		src := &Source{Acquire: l.Acquire, Param: p}
		a.track(newTracker(a, fn, src, &entrySeed{value: p, role: roleHandle, st: stBorrowed}))
	}
	// Each acquisition's tracker runs as the walk comes to it, while its
	// block's instructions are still in the caches (issue 12).
	var exports []Export
	var fieldCands []fieldCand
	if to, ok := o.(TakeOracle); ok {
		for _, tk := range takes(fn) {
			acq, ok := to.Taken(tk.load.X.(*ssa.FieldAddr))
			if !ok {
				continue
			}
			src := &Source{Instr: tk.store, Taken: tk.load, Acquire: acq}
			t := newTracker(a, fn, src, nil)
			a.track(t)
			exports = append(exports, t.exports()...)
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			count(WorkScanned, 1)
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			eff := o.Effects(call.Common())
			// os.NewFile(f.Fd(), name): what the call hands out wraps a
			// handle that is not the caller's. It is no owned handle;
			// closing it closes the owner's, so it is tracked as borrowed.
			wraps := len(eff.Acquires) > 0 && adoptsBorrowed(call.Common(), eff, lent, o)
			for _, acq := range eff.Acquires {
				if wraps {
					acq.Borrowed, acq.Wraps, acq.Owns = true, true, false
				}
				if acq.AddsRef && !resultUsed(call, acq.Result) {
					continue
				}
				src := &Source{Call: call.Common(), Instr: call, Acquire: acq}
				t := a.scratch.reuseTracker(a, fn, src)
				t.ownRaw()
				a.track(t)
				exports = append(exports, t.exports()...)
				if c, ok := t.fieldCand(); ok {
					fieldCands = append(fieldCands, c)
				}
			}
		}
	}
	sortFindings(a.findings)
	return Result{Findings: a.findings, Exports: exports, FieldExports: fieldExports(fn, fieldCands), GivenUp: a.givenUp}
}

// ownRaw sets, for an owned acquisition that owns the raw handle it
// adopted (Acquire.Owns), which value a direct release of that handle
// releases: the operand, unconverted (not a constant), and the
// instruction that defines it.
func (t *tracker) ownRaw() {
	acq := t.src.Acquire
	if !acq.Owns || acq.Borrowed {
		return
	}
	v := Unconvert(OperandValue(t.src.Call, acq.Adoptee))
	if _, ok := v.(*ssa.Const); ok || v == nil {
		return
	}
	t.raw = v
	t.rawDef, _ = v.(ssa.Instruction)
	t.rawEarly = t.earlyRawRelease()
	t.rawReleased = t.rawEarly != nil
}

// earlyRawRelease returns a deferred direct release of the raw handle
// (tracker.raw) that runs on every path to the acquisition, before it
// (defer unix.Close(fd); f := os.NewFile(uintptr(fd), name)), or nil.
func (t *tracker) earlyRawRelease() *site {
	acq := t.src.Instr
	for _, b := range t.fn.Blocks {
		if !b.Dominates(acq.Block()) {
			continue
		}
		for _, instr := range b.Instrs {
			if instr == acq {
				break
			}
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			eff := t.a.oracle.Effects(&d.Call)
			for i := range eff.Releases {
				rel := &eff.Releases[i]
				v := rel.Value
				if v == nil {
					v = OperandValue(&d.Call, rel.Operand)
				}
				if v != nil && Unconvert(v) == t.raw {
					return t.intern(site{pos: d.Call.Pos(), rel: rel, deferred: true, raw: true})
				}
			}
		}
	}
	return nil
}

// adoptsBorrowed reports whether call adopts (Effects.Adopts) a borrowed
// handle: a lent parameter of the function, or the result of a call that
// hands out a borrowed handle, converted at most.
func adoptsBorrowed(c *ssa.CallCommon, eff Effects, lent []Lent, o Oracle) bool {
	for _, op := range eff.Adopts {
		v := Unconvert(OperandValue(c, op))
		switch v := v.(type) {
		case *ssa.Parameter:
			for _, l := range lent {
				if int(l.Param) < len(v.Parent().Params) && v.Parent().Params[l.Param] == v {
					return true
				}
			}
		case *ssa.Call:
			if borrowedResult(o, v, 0) {
				return true
			}
		case *ssa.Extract:
			if call, ok := v.Tuple.(*ssa.Call); ok && borrowedResult(o, call, v.Index) {
				return true
			}
		}
	}
	return false
}

// borrowedResult reports whether result i of call is, whole, a borrowed
// handle the call hands out.
func borrowedResult(o Oracle, call *ssa.Call, i int) bool {
	for _, acq := range o.Effects(call.Common()).Acquires {
		if acq.Borrowed && acq.Result == ResultAt(i) && acq.Part.Kind == Whole {
			return true
		}
	}
	return false
}

// resultUsed reports whether result i of call is used: the call's value,
// or for a tuple the Extract of that index, has referrers.
func resultUsed(call *ssa.Call, i ResultIndex) bool {
	refs := *call.Referrers()
	if call.Call.Signature().Results().Len() == 1 {
		return len(refs) > 0
	}
	for _, r := range refs {
		if x, ok := r.(*ssa.Extract); ok && ResultAt(x.Index) == i && len(*x.Referrers()) > 0 {
			return true
		}
	}
	return false
}

// ParamUse says what a function does with a handle passed as one of its
// parameters.
type ParamUse struct {
	// Releases: the function releases the parameter on every path on which
	// it is a valid handle (tests against invalid values are understood);
	// these are its release calls.
	Releases []*Release
	// UseOnly: it releases the handle on some paths only or on none, and
	// keeps no copy on any path (no store, return, capture, adoption or
	// call of unknown code): that does not end the caller's duty to
	// release it.
	UseOnly bool
	// SomePaths, with UseOnly: it releases the handle on some paths.
	SomePaths bool
	// Changes, with UseOnly: the calls through which it changes the
	// handle's object on some path (AdjustTokenPrivileges of a token).
	Changes []*Change
	// Adopts: on every path on which the handle is valid, it hands the
	// handle to a function that takes ownership of it (an adopts rule, or
	// a summary that says so) or releases it, and on no path does it keep
	// the handle otherwise.
	Adopts bool
	// Leaks, when it adopts the handle on some paths and keeps it no other
	// way: the returns reached with the handle neither released nor
	// handed on. The caller handed the handle over; these paths lose it.
	Leaks []token.Pos
	// Wrapped: on the paths where the function keeps the handle, it
	// returns it in result Result, a struct it allocated that holds it
	// in field Field (return &File{h: h}, nil); on no path does it keep
	// it otherwise.
	Wrapped       bool
	Result, Field int
}

// SummarizeParam tracks parameter i of fn (an index into fn.Params) from
// the function's entry. Neither Releases nor UseOnly means the function
// keeps the handle on some path, or could not be followed.
func SummarizeParam(fn *ssa.Function, i Param, o Oracle) ParamUse {
	return summarizeParam(fn, i, Part{}, o)
}

// SummarizeField is SummarizeParam for a handle kept in field f of the
// struct that parameter i is or points to: what a Close method does with
// its receiver's handle.
func SummarizeField(fn *ssa.Function, i Param, f int, o Oracle) ParamUse {
	return summarizeParam(fn, i, Part{Kind: Field, N: f}, o)
}

func summarizeParam(fn *ssa.Function, i Param, part Part, o Oracle) ParamUse {
	if fn.Blocks == nil || i < 0 || int(i) >= len(fn.Params) {
		return ParamUse{}
	}
	a := newAnalysis(fn, o, true)
	defer putScratch(a.scratch)
	seed := &entrySeed{value: fn.Params[i], role: roleHandle, st: stHeld}
	if part.Kind != Whole {
		seed.role = roleAgg
		if _, ok := fn.Params[i].Type().Underlying().(*types.Pointer); ok {
			seed.role = roleAggCell
		}
	}
	t := newTracker(a, fn, &Source{Acquire: Acquire{Part: part}}, seed)
	t.run()
	switch {
	case t.giveUp:
		return ParamUse{}
	case t.adopted && !t.handedOther && !t.heldAtEnd:
		return ParamUse{Adopts: true}
	case t.adopted && !t.handedOther && t.heldAtEnd:
		var leaks []token.Pos
		for _, l := range t.leaks {
			if !slices.Contains(leaks, l.pos) {
				leaks = append(leaks, l.pos)
			}
		}
		slices.Sort(leaks)
		return ParamUse{Leaks: leaks}
	case len(t.wrapRets) == 1 && !t.adopted && !t.handedOther:
		for r := range t.wrapRets {
			return ParamUse{Wrapped: true, Result: r, Field: t.part.N}
		}
	case t.handedOn:
		return ParamUse{}
	case len(t.released) > 0 && !t.heldAtEnd:
		var rels []*Release
		for _, s := range t.released {
			if !slices.Contains(rels, s.rel) {
				rels = append(rels, s.rel)
			}
		}
		return ParamUse{Releases: rels}
	case len(t.released) > 0:
		return ParamUse{UseOnly: true, SomePaths: true, Changes: t.changes} // released on some paths only
	}
	return ParamUse{UseOnly: true, Changes: t.changes} // only used
}

type findingKey struct {
	kind    Kind
	pos     token.Pos
	withErr bool
}

// analysis holds the findings of one Analyze call.
type analysis struct {
	oracle   Oracle
	fn       *ssa.Function
	findings []Finding
	seen     map[findingKey]bool
	quiet    bool // summarizing: report nothing
	givenUp  []GiveUp
	tab      *table                   // what all trackers share
	conts    map[contClass]*contGraph // see detach
	defers   []atExit                 // fn's defers of closures, once computed
	// collectionTests: collectionTest holds of some block's If, once
	// known (testsKnown).
	collectionTests, testsKnown bool
	// onceLoops maps an acquiring block to the header of its loop when
	// that runs at most once, or nil (see onceHeader).
	onceLoops map[*ssa.BasicBlock]*ssa.BasicBlock
	loops     *loops // the function's loops, once computed
	// tags are the candidates for a ResultEquals of fn's results, once
	// known (tagsKnown; see tagCandidates).
	tags      []ResultEquals
	tagsKnown bool
	// scratch holds tab, conts and what they and the loops are made
	// of, kept for the next call once this one returns.
	scratch *scratch
}

// newAnalysis returns the analysis of fn, in a scratch taken for it
// (putScratch gives it back once the analysis is done). quiet: it
// summarizes a parameter and reports nothing.
func newAnalysis(fn *ssa.Function, o Oracle, quiet bool) *analysis {
	sc := getScratch(len(fn.Blocks))
	return &analysis{oracle: o, fn: fn, seen: make(map[findingKey]bool), quiet: quiet,
		tab: sc.tab, conts: sc.conts, onceLoops: sc.onceLoops, scratch: sc}
}

func (a *analysis) report(f Finding) {
	if a.quiet || f.Kind == DoubleRelease && f.Source.Acquire.ReleaseAgainOK && !f.Raw && !f.OtherRaw {
		return
	}
	k := findingKey{f.Kind, f.Pos, f.WithErr}
	if a.seen[k] {
		return
	}
	a.seen[k] = true
	a.findings = append(a.findings, f)
}
