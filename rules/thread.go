package rules

import (
	"fmt"
	"go/types"
	"slices"

	"go.yaml.in/yaml/v4"
)

// Rules about the calling OS thread and about changing a handle's object,
// beyond owning and releasing it:
//
//	impersonates:    # the calling thread takes another identity
//	  - func: golang.org/x/sys/windows.ImpersonateLoggedOnUser
//	reverts:         # the calling thread goes back to the process's identity
//	  - func: golang.org/x/sys/windows.RevertToSelf
//	locks-thread:    # the goroutine is wired to its OS thread
//	  - func: runtime.LockOSThread
//	unlocks-thread:  # the goroutine is no longer wired to its thread
//	  - func: runtime.UnlockOSThread
//	changes:         # changes the state of the object behind argument arg
//	  - func: golang.org/x/sys/windows.AdjustTokenPrivileges
//	    arg: 0

// ThreadOp is what a thread rule says a call does to the calling thread.
type ThreadOp int

const (
	Impersonates  ThreadOp = iota + 1 // the thread takes another identity
	Reverts                           // the thread takes back the process's identity
	LocksThread                       // the goroutine is wired to its thread (runtime.LockOSThread)
	UnlocksThread                     // the goroutine is unwired (runtime.UnlockOSThread)
)

// threadKeys are the top-level keys of thread rules, by op.
var threadKeys = map[ThreadOp]string{
	Impersonates:  "impersonates",
	Reverts:       "reverts",
	LocksThread:   "locks-thread",
	UnlocksThread: "unlocks-thread",
}

// String is the YAML key of op's rules.
func (op ThreadOp) String() string {
	if k, ok := threadKeys[op]; ok {
		return k
	}
	return "?"
}

// A ThreadRule says that a function (or native procedure) acts on the
// calling OS thread, when its conditions hold.
type ThreadRule struct {
	Func string
	Op   ThreadOp
	// Success, for a native procedure, says which of its return values
	// mean it succeeded (SuccessNonzero, a BOOL, by default; SuccessZero
	// for an RPC_STATUS or HRESULT). An impersonation is in effect only
	// where it succeeded.
	Success string
	Cond
	Pos Pos
}

// A Changer is a function that changes the state of the object behind one
// of its arguments (AdjustTokenPrivileges changes its token): a borrowed
// handle must not be passed there.
type Changer struct {
	Func string
	Arg  Param // or Receiver; a native procedure's argument
	// Resource, when not empty, restricts the rule to handles of that
	// resource (SetHandleInformation changes a borrowed token's owner's
	// handle, but a process's own standard handles are its to change).
	Resource string
	Cond
	Pos Pos
}

// Check reports whether t fits sig, the signature of t.Func: the arguments
// of When must be parameters. A native procedure has no signature.
func (t *ThreadRule) Check(sig *types.Signature) error {
	if IsNative(t.Func) {
		return nil
	}
	if sig == nil {
		return Errorf(t.Pos, "%s has no signature", t.Func)
	}
	return checkWhen(t.Func, t.When, sig)
}

// Check reports whether c fits sig, the signature of c.Func: Arg must be a
// parameter (or Receiver of a method), and the arguments of When
// parameters. A native procedure has no signature.
func (c *Changer) Check(sig *types.Signature) error {
	if IsNative(c.Func) {
		return nil
	}
	if err := checkArg(c.Pos, c.Func, c.Arg, sig); err != nil {
		return err
	}
	return checkWhen(c.Func, c.When, sig)
}

// threadRule parses one rule under a thread key: {func, when, goos}.
func (p *parser) threadRule(n *yaml.Node, op ThreadOp) {
	what := op.String() + " rule"
	f := p.fields(n, what, "in "+what, "func", "when", "goos", "success")
	if f == nil {
		return
	}
	fn, pos, ok := p.funcOrNative(f, n, what)
	r := &ThreadRule{Func: fn, Op: op, Pos: pos}
	if succ, has := f["success"]; has {
		v, sOK := p.str(succ, "success")
		switch {
		case !sOK:
			ok = false
		case !IsNative(fn):
			p.errorf(succ, "success: only for a native procedure (a Go function's error result says whether it succeeded)")
			ok = false
		case v != SuccessZero && v != SuccessNonzero:
			p.errorf(succ, "success: want zero (0 is success: an RPC_STATUS, an HRESULT whose one success is S_OK) or nonzero (a BOOL), got %s", quote(v))
			ok = false
		}
		r.Success = v
	}
	ok = p.cond(f, &r.Cond) && ok
	ok = p.nativeCond(fn, false, r.Cond) && ok
	if !ok {
		return
	}
	key := fmt.Sprint(op, "\x00", fn, "\x00", r.Cond.key())
	if first, dup := p.threads[key]; dup {
		p.add(pos, "duplicate %s for %s%s (first at line %d)", what, fn, r.Cond.describe(), first.Line)
		return
	}
	p.threads[key] = pos
	p.file.threads = append(p.file.threads, r)
}

// changer parses a changes rule: {func, arg, when, goos}. arg defaults to
// the receiver of a method and to 0 otherwise.
func (p *parser) changer(n *yaml.Node) {
	const what = "changes rule"
	f := p.fields(n, what, "in "+what, "func", "arg", "resource", "when", "goos")
	if f == nil {
		return
	}
	fn, pos, ok := p.funcOrNative(f, n, what)
	c := &Changer{Func: fn, Pos: pos}
	if r, has := f["resource"]; has {
		name, rOK := p.str(r, "resource")
		if rOK {
			if why := checkResourceName(name); why != "" {
				p.errorf(r, "%s", why)
				rOK = false
			}
		}
		c.Resource, ok = name, ok && rOK
		if rOK {
			p.file.changeRes = append(p.file.changeRes, nameAt{name, p.pos(r)})
		}
	}
	if a, has := f["arg"]; has {
		c.Arg = ParamAt(p.optIndex(a, "arg", &ok))
		ok = ok && (!IsNative(fn) || p.nativeArg(a, "arg", c.Arg))
	} else if IsMethod(fn) {
		c.Arg = Receiver
	}
	ok = p.cond(f, &c.Cond) && ok
	ok = p.nativeCond(fn, false, c.Cond) && ok
	if !ok {
		return
	}
	key := fmt.Sprint(fn, "\x00", c.Arg, "\x00", c.Cond.key())
	if first, dup := p.changes[key]; dup {
		p.add(pos, "duplicate changes rule for %s%s (first at line %d)", argString(fn, c.Arg), c.Cond.describe(), first.Line)
		return
	}
	p.changes[key] = pos
	p.file.changes = append(p.file.changes, c)
}

// mergeThread adds f's thread and changes rules to s: a file's rules of
// one kind for a function replace the earlier files' rules of that kind
// for it.
func (s *Set) mergeThread(f *File) ErrorList {
	var errs ErrorList
	for _, r := range f.changeRes {
		if _, ok := s.Resources[r.name]; !ok {
			errs = append(errs, Errorf(r.pos, "unknown resource %s", quote(r.name)))
		}
	}
	replaced := make(map[string]bool)
	for _, r := range f.threads {
		key := fmt.Sprint(r.Op, "\x00", r.Func)
		if !replaced[key] {
			replaced[key] = true
			s.Thread[r.Func] = slices.DeleteFunc(s.Thread[r.Func], func(old *ThreadRule) bool { return old.Op == r.Op })
		}
		r := *r
		r.Cond = r.Cond.clone()
		s.Thread[r.Func] = append(s.Thread[r.Func], &r)
	}
	replacedChanges := make(map[string]bool)
	for _, c := range f.changes {
		if !replacedChanges[c.Func] {
			replacedChanges[c.Func] = true
			s.Changes[c.Func] = nil
		}
		c := *c
		c.Cond = c.Cond.clone()
		s.Changes[c.Func] = append(s.Changes[c.Func], &c)
	}
	return errs
}

// checkThreadRules checks the thread and changes rules for the function
// name, of signature sig declared in pkg, that apply to goos.
func (s *Set) checkThreadRules(name string, sig *types.Signature, pkg *types.Package, applies func(Cond) bool, add func(error)) {
	for _, r := range s.Thread[name] {
		if !applies(r.Cond) {
			continue
		}
		if err := r.Check(sig); err != nil {
			add(err)
			continue
		}
		add(checkTests(r.When, sig, pkg))
	}
	for _, c := range s.Changes[name] {
		if !applies(c.Cond) {
			continue
		}
		if err := c.Check(sig); err != nil {
			add(err)
			continue
		}
		add(checkTests(c.When, sig, pkg))
	}
}
