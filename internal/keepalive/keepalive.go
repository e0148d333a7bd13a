// Package keepalive finds the descriptor of an *os.File used in a system
// call at a point where the file itself is no longer reachable.
//
// An *os.File closes its descriptor in a finalizer (os.newFile sets one on
// every file it makes: os.Open, os.Create, os.NewFile, (*net.TCPConn).File
// ...). f.Fd() returns a plain number: once the function holds only that
// number and no later instruction reads f, the garbage collector may find f
// unreachable, even while the system call that uses the number runs, and
// the finalizer closes the descriptor under it (golang/go#34810; the
// runtime.KeepAlive documentation shows this very case). Go's liveness is
// a may-analysis: f is live at a call when some path from the call reads f
// again, and a deferred call that names f keeps it until the function
// returns. So a use of the number is reported only where no path from it
// reads f (no later call, no defer, no runtime.KeepAlive), and only for a
// file that nothing else can reach: one this function made (or received
// from a function of the package that made it) that is never stored,
// returned, captured, sent or handed to a function that might keep it.
//
//	f := os.Open(...)        f is live while a later instruction reads it
//	fd := f.Fd()
//	unix.Syscall(.., fd, ..) f dead here: reported, unless a path reads f
//	                         later (f.Close(), runtime.KeepAlive(f)) or a
//	                         defer names it
//
// A function of the package whose *os.File parameter is dead at such a
// use (`func size(f *os.File) { unix.Syscall(.., f.Fd(), ..) }`) passes the
// duty on: a call of it is a use of its argument's descriptor, and is
// reported in the caller under the same conditions. A parameter alone is
// not reported: its caller may keep the file (most do).
//
// The package also finds the other misuse of a saved descriptor: a use
// that a path from f.Close() reaches without taking f.Fd() again, a use
// after release (Finding.Closed), whoever holds f. A closed file has no
// finalizer, so such a use is not also a use after f's last use. The same
// holds for a number that leaves a function of the package closed
// (defer f.Close(); return int(f.Fd()), nil): a caller's call that acts
// on it is a use after release (Finding.Helper). A caller that only
// compares it (a probe of the next free descriptor) is not reported, and
// neither is one in another package (no fact carries it).
//
// The package finds the uses; package analyzer words them.
package keepalive

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Finding is a use of f.Fd()'s descriptor at a point where f is dead.
type Finding struct {
	Pos    token.Pos // the call that uses the descriptor (its Lparen)
	Fd     token.Pos // the f.Fd() call whose result it uses, or NoPos
	Arg    int       // when Fd is NoPos: the index of f among the call's arguments
	Callee string    // the called function's full name
	// Inner, for a call of a function of the package that uses its
	// parameter's descriptor, is that function's use (else NoPos).
	Inner token.Pos
	// Closed, when valid, makes the finding a use after release: the
	// f.Close() call from which a path reaches the use, and f is no
	// longer live but closed. (Else the finding is a use after f's last
	// use.)
	Closed token.Pos
	// Helper, when not nil, is the function of the package whose result
	// the use passes on: it returns f.Fd() (at Fd) of a file it closes
	// (at Closed) before it returns, so its caller gets a closed number.
	Helper *types.Func
	// ClosedDeferred says the close at Closed is deferred.
	ClosedDeferred bool
}

// Checker finds the uses in the functions of one package.
type Checker struct {
	// Acts reports whether the call cc acts on the descriptor passed as
	// its argument i (cc.Args[i]): a platform function (syscall,
	// x/sys/unix, x/sys/windows), or one whose summary says it uses that
	// parameter; not a release of it.
	Acts   func(cc *ssa.CallCommon, i int) bool
	pkg    *ssa.Package
	params map[*ssa.Function][]paramUse // nil entry: being computed
	closed map[*ssa.Function][]closedResult
}

// closedResult is a result of a function that is the descriptor of a
// file the function closes before it returns.
type closedResult struct {
	index    int
	fd       token.Pos // the f.Fd() call
	close    token.Pos // the f.Close(), or the defer of it
	deferred bool
}

// paramUse is a use, in a function, of its i-th parameter's descriptor at
// a point where that parameter is dead.
type paramUse struct {
	index int
	pos   token.Pos
}

// Check returns the findings of funcs, all of one package.
func (c *Checker) Check(funcs []*ssa.Function) []Finding {
	c.params = make(map[*ssa.Function][]paramUse)
	c.closed = make(map[*ssa.Function][]closedResult)
	var out []Finding
	for _, fn := range funcs {
		c.pkg = fn.Pkg
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				if isFresh(call) {
					for _, f := range fileResults(call) {
						out = append(out, c.deadUses(f)...)
					}
				}
				if isFdCall(call.Common()) {
					out = append(out, c.afterClose(call)...)
				}
				out = append(out, c.closedResultUses(call)...)
			}
		}
	}
	return out
}

// freshFiles make a new *os.File, with a finalizer, that no one else holds.
var freshFiles = map[string]bool{
	"os.Open": true, "os.OpenFile": true, "os.Create": true, "os.CreateTemp": true,
	"os.NewFile": true, "os.Pipe": true, "os.OpenInRoot": true,
	"(*os.Root).Open": true, "(*os.Root).Create": true, "(*os.Root).OpenFile": true,
	"(*net.conn).File":        true, // of TCPConn, UDPConn, UnixConn, IPConn
	"(*net.TCPListener).File": true, "(*net.UnixListener).File": true,
}

func isFresh(call *ssa.Call) bool {
	obj := callee(call.Common())
	return obj != nil && freshFiles[obj.FullName()]
}

// fileResults returns the *os.File values of a call's results.
func fileResults(call *ssa.Call) []ssa.Value {
	if isOSFile(call.Type()) {
		return []ssa.Value{call}
	}
	var out []ssa.Value
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && isOSFile(e.Type()) {
			out = append(out, e)
		}
	}
	return out
}

// deadUses returns the uses of f's descriptor at points where f is dead,
// or none if f may be reached some other way.
func (c *Checker) deadUses(f ssa.Value) []Finding {
	reads, ok := c.reads(f)
	if !ok {
		return nil
	}
	var dead []use
	for _, u := range c.fdUses(f, reads) {
		if !reachable(u.call, reads) && closedBefore(f, u) == nil && !closedAtFd(f, u) {
			dead = append(dead, u)
		}
	}
	var out []Finding
	for _, u := range last(dead) {
		out = append(out, u.finding())
	}
	return out
}

// afterClose returns the uses of the descriptor of fd, a call of
// (*os.File).Fd, that a path from a close of its file reaches without
// taking the descriptor again: uses after release, whatever else holds
// the file (a closed file has no finalizer: they are not reported as
// dead uses).
func (c *Checker) afterClose(fd *ssa.Call) []Finding {
	f := fd.Call.Args[0]
	var out []Finding
	for _, u := range c.numberUses(fd, 0) {
		u.fd = fd
		if cl := closedBefore(f, u); cl != nil {
			fi := u.finding()
			fi.Closed = cl.Pos()
			out = append(out, fi)
		}
	}
	return out
}

// closedResultUses returns the uses of the results of call, a call of a
// function of the package, that are descriptors its function closed
// before returning (defer f.Close(); return int(f.Fd()), nil): uses after
// release in the caller. A caller that only compares or prints the number
// (a probe of the next free descriptor) uses nothing.
func (c *Checker) closedResultUses(call *ssa.Call) []Finding {
	fn := call.Call.StaticCallee()
	if fn == nil || fn.Pkg != c.pkg || len(fn.Blocks) == 0 {
		return nil
	}
	obj := callee(call.Common())
	var out []Finding
	for _, cr := range c.closedResults(fn) {
		var v ssa.Value
		if call.Call.Signature().Results().Len() == 1 {
			v = call
		} else {
			for _, r := range *call.Referrers() {
				if e, ok := r.(*ssa.Extract); ok && e.Index == cr.index {
					v = e
				}
			}
		}
		if v == nil {
			continue
		}
		for _, u := range c.numberUses(v, 0) {
			fi := u.finding()
			fi.Fd, fi.Closed, fi.ClosedDeferred, fi.Helper = cr.fd, cr.close, cr.deferred, obj
			out = append(out, fi)
		}
	}
	return out
}

// closedResults returns the results of fn that are, at some return, the
// descriptor f.Fd() (converted or not) of a file that a deferred
// f.Close() registered on a path to that return, or an f.Close() between
// the f.Fd() and the return, closes first. Computed once.
func (c *Checker) closedResults(fn *ssa.Function) []closedResult {
	if cr, done := c.closed[fn]; done {
		return cr
	}
	c.closed[fn] = nil
	var out []closedResult
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for i, v := range ret.Results {
			fd := returnedFd(v)
			if fd == nil || slices.ContainsFunc(out, func(cr closedResult) bool { return cr.index == i }) {
				continue
			}
			f := fd.Call.Args[0]
			for _, r := range *f.Referrers() {
				if d, ok := r.(*ssa.Defer); ok && len(d.Call.Args) > 0 && d.Call.Args[0] == f && isCloseOf(&d.Call) && reachableAvoiding(d, ret, nil) {
					out = append(out, closedResult{index: i, fd: fd.Pos(), close: d.Pos(), deferred: true})
					break
				}
				if cl, ok := r.(*ssa.Call); ok && len(cl.Call.Args) > 0 && cl.Call.Args[0] == f && isCloseOf(cl.Common()) &&
					reachableAvoiding(fd, cl, nil) && reachableAvoiding(cl, ret, fd) {
					out = append(out, closedResult{index: i, fd: fd.Pos(), close: cl.Pos()})
					break
				}
			}
		}
	}
	c.closed[fn] = out
	return out
}

// returnedFd returns the call f.Fd() that v, a returned value, is: v
// itself, or, in a function with defers (whose results go through their
// slots), the value stored in v's slot; or nil.
func returnedFd(v ssa.Value) *ssa.Call {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return fdCall(v)
	}
	slot, ok := load.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	for _, r := range *slot.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == slot {
			if fd := fdCall(st.Val); fd != nil {
				return fd
			}
		}
	}
	return nil
}

// fdCall returns the call f.Fd() that v is, through conversions, or nil.
func fdCall(v ssa.Value) *ssa.Call {
	for {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Call:
			if isFdCall(x.Common()) {
				return x
			}
			return nil
		default:
			return nil
		}
	}
}

// closedBefore returns a call f.Close() that some path from the f.Fd()
// of u reaches, and from which a path reaches u without going through
// that f.Fd() again; or nil.
func closedBefore(f ssa.Value, u use) *ssa.Call {
	if u.fd == nil {
		return nil
	}
	for _, cl := range closesOf(f) {
		if reachableAvoiding(u.fd, cl, nil) && reachableAvoiding(cl, u.call, u.fd) {
			return cl
		}
	}
	return nil
}

// closedAtFd reports whether a close of f reaches the f.Fd() of u: the
// number is taken out of a closed file there (a use after release, which
// that check reports), and a closed file has no finalizer to race.
func closedAtFd(f ssa.Value, u use) bool {
	if u.fd == nil {
		return false
	}
	return slices.ContainsFunc(closesOf(f), func(cl *ssa.Call) bool { return reachableAvoiding(cl, u.fd, nil) })
}

// closesOf returns the calls f.Close() of file f.
func closesOf(f ssa.Value) []*ssa.Call {
	var out []*ssa.Call
	for _, r := range *f.Referrers() {
		if cl, ok := r.(*ssa.Call); ok && len(cl.Call.Args) > 0 && cl.Call.Args[0] == f && isCloseOf(cl.Common()) {
			out = append(out, cl)
		}
	}
	return out
}

func isFdCall(cc *ssa.CallCommon) bool {
	obj := callee(cc)
	return obj != nil && obj.FullName() == "(*os.File).Fd"
}

func isCloseOf(cc *ssa.CallCommon) bool {
	obj := callee(cc)
	return obj != nil && obj.FullName() == "(*os.File).Close"
}

// reachableAvoiding reports whether a path from instruction from reaches
// instruction to without passing through avoid (nil: any path).
func reachableAvoiding(from, to, avoid ssa.Instruction) bool {
	// scan reports whether instrs, from index i, meet to before avoid.
	scan := func(instrs []ssa.Instruction, i int) (hit, blocked bool) {
		for ; i < len(instrs); i++ {
			switch instrs[i] {
			case to:
				return true, false
			case avoid:
				return false, true
			}
		}
		return false, false
	}
	b := from.Block()
	i := index(b.Instrs, from)
	if hit, blocked := scan(b.Instrs, i+1); hit || blocked {
		return hit
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		hit, blocked := scan(s.Instrs, 0)
		if hit {
			return true
		}
		if !blocked {
			work = append(work, s.Succs...)
		}
	}
	return false
}

func index(instrs []ssa.Instruction, x ssa.Instruction) int {
	for i, y := range instrs {
		if y == x {
			return i
		}
	}
	return -1
}

// last keeps, of dead uses, those from which no other one is reached:
// one runtime.KeepAlive after the last fixes the earlier ones. Of uses
// that all reach one another (a loop after f.Fd()), it keeps the first.
func last(dead []use) []use {
	if len(dead) < 2 {
		return dead
	}
	var out []use
	for _, u := range dead {
		var others []ssa.Instruction
		for _, v := range dead {
			if v.call != u.call {
				others = append(others, v.call)
			}
		}
		if !reachable(u.call, others) {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		out = dead[:1]
	}
	return out
}

// use is a call that uses f's descriptor.
type use struct {
	call  *ssa.Call
	fd    *ssa.Call // the f.Fd() call, or nil for a call that takes f
	arg   int       // for a call that takes f, f's index among its arguments
	inner token.Pos
}

func (u use) finding() Finding {
	fi := Finding{Pos: u.call.Pos(), Callee: callee(u.call.Common()).FullName(), Inner: u.inner, Arg: -1}
	if u.fd != nil {
		fi.Fd = u.fd.Pos()
	} else {
		fi.Arg = u.arg
	}
	return fi
}

// reads returns the instructions that read f; ok is false when f may be
// kept elsewhere: stored, returned, captured, deferred, sent, converted,
// or passed to a function other than a method of *os.File, a function of
// the package whose use of its descriptor this check follows, or
// runtime.KeepAlive.
func (c *Checker) reads(f ssa.Value) (reads []ssa.Instruction, ok bool) {
	for _, r := range *f.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.Call:
			if c.isFileMethod(r.Common(), f) || c.paramUseOf(r.Common(), f) >= 0 {
				reads = append(reads, r)
				continue
			}
		case *ssa.MakeInterface:
			if onlyKeepAlive(r) {
				reads = append(reads, r)
				continue
			}
		}
		return nil, false
	}
	return reads, true
}

// isFileMethod reports whether c calls a method of *os.File on f that
// keeps no reference to it (all but SyscallConn, whose RawConn holds f).
func (c *Checker) isFileMethod(cc *ssa.CallCommon, f ssa.Value) bool {
	obj := callee(cc)
	if obj == nil || len(cc.Args) == 0 || cc.Args[0] != f || obj.Name() == "SyscallConn" {
		return false
	}
	sig := obj.Type().(*types.Signature)
	if sig.Recv() == nil || !isOSFile(sig.Recv().Type()) {
		return false
	}
	for _, a := range cc.Args[1:] {
		if a == f {
			return false
		}
	}
	return true
}

func onlyKeepAlive(mi *ssa.MakeInterface) bool {
	for _, r := range *mi.Referrers() {
		call, ok := r.(*ssa.Call)
		if !ok {
			return false
		}
		obj := callee(call.Common())
		if obj == nil || obj.FullName() != "runtime.KeepAlive" {
			return false
		}
	}
	return len(*mi.Referrers()) > 0
}

// fdUses returns the calls that use f's descriptor: a platform function
// given the result of f.Fd() (or a conversion of it), or a function of
// the package given f whose parameter is dead at its own such use.
func (c *Checker) fdUses(f ssa.Value, reads []ssa.Instruction) []use {
	var out []use
	for _, r := range reads {
		call, ok := r.(*ssa.Call)
		if !ok {
			continue
		}
		if i := c.paramUseOf(call.Common(), f); i >= 0 {
			out = append(out, use{call: call, arg: i - argBase(call.Common()), inner: c.innerUse(call.Common(), i)})
			continue
		}
		if obj := callee(call.Common()); obj == nil || obj.Name() != "Fd" {
			continue
		}
		for _, u := range c.numberUses(call, 0) {
			out = append(out, use{call: u.call, fd: call, inner: u.inner})
		}
	}
	return out
}

// numberUses returns the calls that use v, a descriptor number, through
// conversions: platform functions, and functions of the package that pass
// the parameter it becomes to one (followed to a small depth).
func (c *Checker) numberUses(v ssa.Value, depth int) []use {
	var out []use
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Convert:
			out = append(out, c.numberUses(r, depth)...)
		case *ssa.ChangeType:
			out = append(out, c.numberUses(r, depth)...)
		case *ssa.Call:
			cc := r.Common()
			if callee(cc) == nil {
				continue
			}
			if u, ok := c.numberUse(r, v, depth); ok {
				out = append(out, u)
			}
		}
	}
	return out
}

// numberUse returns the use of v, a descriptor number, by call r: a
// function of the package that passes the parameter it becomes to a call
// that acts on it (followed to a small depth, so as to name that call),
// or a call that Acts says acts on it.
func (c *Checker) numberUse(r *ssa.Call, v ssa.Value, depth int) (use, bool) {
	cc := r.Common()
	fn := cc.StaticCallee()
	for i, a := range cc.Args {
		if a != v {
			continue
		}
		if fn != nil && fn.Pkg == c.pkg && depth < 2 && i < len(fn.Params) && len(fn.Blocks) > 0 {
			if inner := c.numberUses(fn.Params[i], depth+1); len(inner) > 0 {
				return use{call: r, inner: inner[0].call.Pos()}, true
			}
		}
		if c.Acts(cc, i) {
			return use{call: r}, true
		}
	}
	return use{}, false
}

// paramUseOf returns the index of f among the arguments of a call of a
// function of the package that uses that parameter's descriptor where the
// parameter is dead, or -1.
func (c *Checker) paramUseOf(cc *ssa.CallCommon, f ssa.Value) int {
	fn := cc.StaticCallee()
	if fn == nil || fn.Pkg != c.pkg {
		return -1
	}
	for _, pu := range c.paramUses(fn) {
		if pu.index < len(cc.Args) && cc.Args[pu.index] == f {
			return pu.index
		}
	}
	return -1
}

// paramUses returns fn's uses of its *os.File parameters' descriptors at
// points where the parameter is dead, computed once.
func (c *Checker) paramUses(fn *ssa.Function) []paramUse {
	if pu, done := c.params[fn]; done {
		return pu
	}
	c.params[fn] = nil // a recursive call finds none
	var out []paramUse
	for i, p := range fn.Params {
		if !isOSFile(p.Type()) {
			continue
		}
		if fs := c.deadUses(p); len(fs) > 0 {
			out = append(out, paramUse{index: i, pos: fs[0].Pos})
		}
	}
	c.params[fn] = out
	return out
}

// innerUse returns where the function cc calls uses the descriptor of
// its i-th argument.
func (c *Checker) innerUse(cc *ssa.CallCommon, i int) token.Pos {
	for _, pu := range c.paramUses(cc.StaticCallee()) {
		if pu.index == i {
			return pu.pos
		}
	}
	return token.NoPos
}

// argBase is 1 for a call of a method, whose receiver is Args[0] in SSA
// but not among the call expression's arguments, else 0.
func argBase(cc *ssa.CallCommon) int {
	if fn := cc.StaticCallee(); fn != nil && fn.Signature.Recv() != nil {
		return 1
	}
	return 0
}

// reachable reports whether some path from call reaches one of instrs.
func reachable(call *ssa.Call, instrs []ssa.Instruction) bool {
	for _, x := range instrs {
		if reachableAvoiding(call, x, nil) {
			return true
		}
	}
	return false
}

// callee returns the function a call statically calls, or nil.
func callee(cc *ssa.CallCommon) *types.Func {
	if cc.IsInvoke() {
		return nil
	}
	fn := cc.StaticCallee()
	if fn == nil {
		return nil
	}
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// isOSFile reports whether t is *os.File.
func isOSFile(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := p.Elem().(*types.Named)
	return ok && n.Obj().Name() == "File" && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "os"
}
