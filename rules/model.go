// Package rules is handlecheck's rule model: which functions hand out owned
// or borrowed handles, which functions release each kind of resource, which
// take ownership, which merely use a handle and which never return.
//
// The model knows nothing about SSA. It is loaded from YAML files (see
// Parse and Merge), and its entries are keyed by the function names that
// go/types prints with (*types.Func).FullName:
//
//	golang.org/x/sys/windows.OpenProcessToken
//	(golang.org/x/sys/windows.Token).Close
//	(*os.File).Fd
package rules

import (
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a rules file. Line and Col are 1-based.
type Pos struct {
	File      string
	Line, Col int
	// Builtin marks a position in a file embedded in handlecheck (the
	// default rules, see ParseBuiltin), not one the user wrote.
	Builtin bool
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is a problem in a rules file, at a position.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errorf returns an *Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Param indexes a function's parameters, its receiver not counted; for a
// native procedure or a vtable slot, its arguments (after this). It is a
// defined type so that it does not mix with the engine's index spaces
// (ownership.Operand counts a static method's receiver as Args[0],
// ownership.Param indexes Function.Params) nor with a ResultIndex.
type Param int

const (
	// Receiver is the Arg of a Releaser or Adopter whose handle is the
	// method's receiver.
	Receiver Param = -1
	// NoParam is the Out of a Source whose handle is a result.
	NoParam Param = -2
)

// ParamAt is the Param of parameter i (receiver not counted).
func ParamAt(i int) Param { return Param(i) }

// IsParam reports whether p is a parameter: neither Receiver nor NoParam.
func (p Param) IsParam() bool { return p >= 0 }

// ResultIndex indexes a function's results.
type ResultIndex int

// NoResult is the Result of a Source whose handle is written through Out.
const NoResult ResultIndex = -1

// ResultAt is the ResultIndex of result i.
func ResultAt(i int) ResultIndex { return ResultIndex(i) }

// A Resource is a kind of handle with its own release functions.
type Resource struct {
	Name    string
	Release []*Releaser
	// NoLeak: leaving this resource unreleased is not a mistake worth
	// reporting (a loaded module is commonly pinned for the life of the
	// process). Releases are still checked.
	NoLeak bool
	// ReleaseAgainOK (`double-release: false`): releasing it twice is not
	// a mistake worth reporting, because its releaser is idempotent (a
	// second (*os.File).Close only returns an error). Leaks, wrong and
	// borrowed releases are still checked.
	ReleaseAgainOK bool
	Pos            Pos
}

// ReleaserNames names, for a message, up to two of r's release functions.
// rank orders them by package (lower is better: say 0 for the source's own
// package, 1 for packages the code imports, 2 for the rest); ties keep file
// order, and the worst rank is left out when a better one exists.
func (r *Resource) ReleaserNames(rank func(pkgPath string) int) string {
	type named struct {
		name string
		rank int
	}
	var all []named
	for _, anyArg := range []bool{false, true} {
		for _, rel := range r.Release {
			if rel.Arg.IsParam() && rel.Arg > 0 && !anyArg {
				// CertEnumCertificatesInStore releases its argument 1 as
				// it moves on: a release, but not advice for a message
				// while there is another releaser (ReleaseDC's DC is
				// its argument 1, and it has none).
				continue
			}
			name := ShortName(rel.Func)
			if !slices.ContainsFunc(all, func(n named) bool { return n.name == name }) {
				all = append(all, named{name, rank(PkgPath(rel.Func))})
			}
		}
		if len(all) > 0 {
			break
		}
	}
	slices.SortStableFunc(all, func(a, b named) int { return a.rank - b.rank })
	var names []string
	for _, n := range all {
		if len(names) == 2 || (len(names) > 0 && n.rank > all[0].rank && n.rank == all[len(all)-1].rank) {
			break
		}
		names = append(names, n.name)
	}
	return strings.Join(names, " or ")
}

// A Releaser is a function that releases one argument (or its receiver).
type Releaser struct {
	Func     string // full name
	Arg      Param  // or Receiver
	Resource *Resource
	Cond
	Pos Pos
}

// A Source is a function that hands out a handle: owned (the caller must
// release it) or borrowed (the caller must never release it).
type Source struct {
	Func     string // full name
	Resource *Resource
	Borrowed bool
	// Exactly one of Result and Out is set: Result is NoResult or Out is
	// NoParam. Result indexes the results; Out names a pointer parameter
	// through which the handle is written.
	Result ResultIndex
	Out    Param
	// Note says why a borrowed handle must not be released; it ends the
	// diagnostic ("a pseudo-token the caller must not close"). May be empty.
	Note string
	// Field, when not empty, names the field of the struct that Out points
	// to which receives the handle (CreateProcess writes
	// ProcessInformation.Process and .Thread).
	Field string
	// Index, when >= 0, is the element of the array that Out points to
	// (a slice or pointer to array parameter: Pipe2's p[0]) or that Result
	// is (Socketpair's fd[1]) which is the handle.
	Index int
	// NoErrorGate, when set, means the handle is valid even when the
	// function's final error result is non-nil. By default a function whose
	// last result is an error hands out the handle only when that error is
	// nil.
	NoErrorGate bool
	// AddsRef says the handle is argument SameAs itself with its
	// reference count raised (CertDuplicateCertificateContext returns its
	// argument): where the result is discarded, the new reference is
	// released with the argument, and nothing is tracked.
	AddsRef bool
	SameAs  Param
	// ValidErrs are errors, by full name of a constant or variable
	// ("golang.org/x/sys/windows.ERROR_ALREADY_EXISTS"), with which the
	// handle is valid too: x/sys's CreateEvent returns a valid handle with
	// ERROR_ALREADY_EXISTS when a named event already exists.
	ValidErrs []string
	// Success, when not empty, says which values of the function's first
	// result, an integer status, mean the call succeeded and handed out
	// the handle (one of SuccessZero, SuccessNonNegative,
	// SuccessNonzero). A native procedure or vtable slot with an Out
	// needs one; any function whose first result is an integer may have
	// one, its handle then an Out or another result.
	Success string
	// Vtable says Func names a COM vtable slot, a field of a struct type
	// ("(example.com/wsd.IWSDSSLClientCertificateVtbl).GetMappedAccessToken")
	// through which the method is called (syscall.SyscallN(vtbl.Slot,
	// this, ...)): Out, Result and the arguments of When count the
	// method's own parameters, after this, as for a native procedure.
	Vtable bool
	Cond
	Pos Pos
}

// The values of Source.Success.
const (
	// SuccessZero: 0 is success, anything else failure: an HRESULT whose
	// one success is S_OK (S_FALSE hands out nothing), STATUS_SUCCESS,
	// ERROR_SUCCESS (an LSTATUS or WIN32_ERROR), an errno.
	SuccessZero = "zero"
	// SuccessNonNegative: a negative value (as an int32) is failure, any
	// other success: SUCCEEDED(hr), NT_SUCCESS(status).
	SuccessNonNegative = "non-negative"
	// SuccessNonzero: 0 is failure: a BOOL.
	SuccessNonzero = "nonzero"
)

// Cond holds the conditions under which a Source or Releaser applies.
type Cond struct {
	// When lists conditions on arguments; all must hold. equals,
	// has-bits, lacks-bits and from hold only for an argument shown to
	// satisfy them (a constant, or a result of one of the named calls);
	// not-equals holds unless the argument is that constant. A source rule
	// applies only at calls where its conditions hold; at a call where a
	// releaser's conditions cannot be decided, the argument counts as
	// handed on.
	When []Test
	// GOOS, when not empty, restricts the rule to code type-checked for
	// that operating system.
	GOOS string
}

// A Test is a condition on one argument of a call.
type Test struct {
	Arg Param // for a native procedure, its argument index
	Op  TestOp
	// Value is an integer literal ("0", "-1", "0x2"), "nil", or the name
	// of a constant of the called function's package
	// ("GET_MODULE_HANDLE_EX_FLAG_PIN"), or a full name
	// ("golang.org/x/sys/windows.DUPLICATE_CLOSE_SOURCE"). Empty for From.
	Value string
	// Funcs, for From, are the full names of the functions one of whose
	// results the argument must be ("golang.org/x/sys/windows.CurrentProcess").
	Funcs []string
	// Pos is the position of the test's value (of the from list).
	Pos Pos
}

// TestOp is how a Test compares an argument with its value.
type TestOp int

const (
	Equals    TestOp = iota + 1 // arg == value
	NotEquals                   // arg != value
	HasBits                     // arg & value == value
	LacksBits                   // arg & value == 0
	From                        // arg is a result of a call to one of Funcs
)

// String is the YAML key of op.
func (op TestOp) String() string {
	switch op {
	case Equals:
		return "equals"
	case NotEquals:
		return "not-equals"
	case HasBits:
		return "has-bits"
	case LacksBits:
		return "lacks-bits"
	case From:
		return "from"
	}
	return "?"
}

// An Adopter is a function that takes ownership of one argument without
// releasing it (os.NewFile adopts its descriptor): passing a handle to it
// ends the caller's duty to release it.
type Adopter struct {
	Func string
	Arg  Param // or Receiver
	Pos  Pos
}

// A Set is a merged, resolved rule set. Its maps are keyed by function full
// name (Uses by package path). A Set is read-only once built.
type Set struct {
	Resources map[string]*Resource
	// Sources maps a function to its source rules: one per handle it
	// hands out (CreatePipe's two ends), or one per condition
	// (GetModuleHandleEx is owned or borrowed by its flags). Every rule
	// whose conditions hold applies.
	Sources map[string][]*Source
	// Releasers maps a function to every release rule it appears in (one
	// function, CloseHandle, releases several resources).
	Releasers map[string][]*Releaser
	Adopters  map[string]*Adopter
	// UsePackages are packages whose functions and methods only use a
	// handle passed to them (never keep or release it) unless a rule says
	// otherwise. UseFuncs are single such functions, or native
	// procedures ("gdi32.dll!SelectObject"), which are otherwise unknown
	// code; UseConds holds the conditions of those whose rule has any
	// (AppendMenuW only uses its handles without MF_POPUP): where they do
	// not hold, the call is unknown code.
	UsePackages map[string]Pos
	UseFuncs    map[string]Pos
	UseConds    map[string]Cond
	// NoReturn functions never return (os.Exit, log.Fatal): a path that
	// calls one ends there without a leak.
	NoReturn map[string]Pos
	// Thread maps a function to the rules that say it acts on the calling
	// OS thread: impersonates, reverts, locks or unlocks it.
	Thread map[string][]*ThreadRule
	// Changes maps a function to the rules that say it changes the
	// object behind one of its arguments.
	Changes map[string][]*Changer
	// Callbacks maps a function to the rules that say it calls a
	// function passed to it with a borrowed handle as a parameter
	// ((syscall.RawConn).Control's fd).
	Callbacks map[string][]*Callback

	// packages indexes the functions named by the rules above by their
	// package path (see indexPackages).
	packages map[string]*packageRules
}

// packageRules are the rules of one package: the functions (and vtable
// slots) they name, sorted, and the kinds of rule among them.
type packageRules struct {
	names []string
	kinds Kinds
}

// Accepts reports whether rel releases resource res: rel's function is
// among res's releasers with the same argument.
func (res *Resource) Accepts(fn string, arg Param) bool {
	for _, r := range res.Release {
		if r.Func == fn && r.Arg == arg {
			return true
		}
	}
	return false
}

// IsNative reports whether a name is a native procedure,
// "advapi32.dll!LogonUserW", called through LazyProc.Call or SyscallN.
func IsNative(name string) bool { return strings.Contains(name, "!") }

// NativeName returns the rule name of procedure proc of DLL dll as loaded by
// NewLazySystemDLL, NewLazyDLL, LoadDLL or MustLoadDLL: the DLL's base
// name in lower case, with ".dll" added when it has no extension, then "!",
// then proc as it is (GetProcAddress is case-sensitive).
func NativeName(dll, proc string) string {
	if i := strings.LastIndexAny(dll, `\/`); i >= 0 {
		dll = dll[i+1:]
	}
	dll = strings.ToLower(dll)
	if !strings.Contains(dll, ".") {
		dll += ".dll"
	}
	return dll + "!" + proc
}

// IsMethod reports whether a full name names a method: "(T).M" or "(*T).M".
func IsMethod(full string) bool { return strings.HasPrefix(full, "(") }

// ShortName drops the package path but its last element from a full name:
// "golang.org/x/sys/windows.OpenProcessToken" is "windows.OpenProcessToken",
// "(*golang.org/x/sys/windows/svc/mgr.Service).Close" is "(*mgr.Service).Close".
func ShortName(full string) string {
	if IsMethod(full) {
		i := strings.Index(full, ")")
		if i < 0 {
			return full
		}
		recv := full[1:i]
		star := ""
		if strings.HasPrefix(recv, "*") {
			star, recv = "*", recv[1:]
		}
		return "(" + star + shortPath(recv) + ")" + full[i+1:]
	}
	return shortPath(full)
}

// PkgPath returns the package path of a full name: "golang.org/x/sys/windows"
// for "(golang.org/x/sys/windows.Token).Close" and for
// "golang.org/x/sys/windows.CloseHandle"; "" for a native procedure.
func PkgPath(full string) string {
	if IsNative(full) {
		return ""
	}
	if IsMethod(full) {
		if i := strings.Index(full, ")"); i > 0 {
			full = strings.TrimPrefix(full[1:i], "*")
		}
	}
	if dot := strings.LastIndex(full, "."); dot >= 0 {
		if slash := strings.LastIndex(full, "/"); dot > slash {
			return full[:dot]
		}
	}
	return ""
}

// shortPath shortens "a/b/c.Name" to "c.Name".
func shortPath(s string) string {
	dot := strings.LastIndex(s, ".")
	if dot < 0 {
		return s
	}
	if slash := strings.LastIndex(s[:dot], "/"); slash >= 0 {
		return s[slash+1:]
	}
	return s
}
