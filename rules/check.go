package rules

import (
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"
)

// Check reports whether s fits sig, the signature of s.Func: Out must name
// a pointer parameter (a slice or pointer to array with Index; a pointer
// to a struct that has the field with Field), Result a result (an array
// with Index), Index must be in bounds of an array, and the arguments of
// When must be parameters. A native procedure has no signature: Check
// accepts it whatever sig is. The error is an *Error at s.Pos, or at the
// test's position for a When test.
func (s *Source) Check(sig *types.Signature) error {
	if IsNative(s.Func) || s.Vtable {
		return nil
	}
	if sig == nil {
		return Errorf(s.Pos, "%s has no signature", s.Func)
	}
	if s.Success != "" {
		if sig.Results().Len() == 0 {
			return Errorf(s.Pos, "success: %s has no results; success tests an integer status, its first result", s.Func)
		}
		if v := sig.Results().At(0); !isInteger(v.Type()) {
			return Errorf(s.Pos, "success: result 0 of %s is %s, not an integer status", s.Func, describeResult(v))
		}
	}
	if s.Out >= 0 {
		params := sig.Params()
		if int(s.Out) >= params.Len() {
			return Errorf(s.Pos, "out: %d is not a pointer parameter of %s (it has %s)",
				s.Out, s.Func, count(params.Len(), "parameter"))
		}
		v := params.At(int(s.Out))
		switch {
		case s.Index >= 0:
			if err := s.checkIndex(v.Type(), "out", describeParam(v), true); err != nil {
				return err
			}
		case !isPointer(v.Type()):
			return Errorf(s.Pos, "out: %d names %s, not a pointer", s.Out, describeParam(v))
		case s.Field != "":
			elem := v.Type().Underlying().(*types.Pointer).Elem()
			st, ok := elem.Underlying().(*types.Struct)
			if !ok {
				return Errorf(s.Pos, "field: out %d points to %s, not a struct", s.Out, typeString(elem))
			}
			if !hasField(st, s.Field) {
				return Errorf(s.Pos, "field: %s is not a field of %s, which out %d points to", s.Field, typeString(elem), s.Out)
			}
		}
	}
	if s.Result >= 0 {
		n := sig.Results().Len()
		if int(s.Result) >= n {
			return Errorf(s.Pos, "result: %d is not a result of %s (it has %s)",
				s.Result, s.Func, count(n, "result"))
		}
		if s.Index >= 0 {
			v := sig.Results().At(int(s.Result))
			if err := s.checkIndex(v.Type(), "result", describeResult(v), false); err != nil {
				return err
			}
		}
	}
	if s.AddsRef {
		params := sig.Params()
		if int(s.SameAs) >= params.Len() {
			return Errorf(s.Pos, "same-as: %d is not a parameter of %s (it has %s)",
				s.SameAs, s.Func, count(params.Len(), "parameter"))
		}
		if v, r := params.At(int(s.SameAs)), sig.Results().At(int(s.Result)); !types.Identical(v.Type(), r.Type()) {
			return Errorf(s.Pos, "same-as: %s is not of the type of %s", describeParam(v), describeResult(r))
		}
	}
	return checkWhen(s.Func, s.When, sig)
}

// checkIndex checks s.Index against t, the type of the out parameter (a
// slice, or a pointer to an array) or of the result (an array).
func (s *Source) checkIndex(t types.Type, key, what string, out bool) error {
	place := fmt.Sprintf("%s %d", key, s.Result)
	if out {
		place = fmt.Sprintf("%s %d", key, s.Out)
	}
	u := t.Underlying()
	if out {
		if _, ok := u.(*types.Slice); ok {
			return nil
		}
		if p, ok := u.(*types.Pointer); ok {
			u = p.Elem().Underlying()
		} else {
			return Errorf(s.Pos, "index: %s names %s, not a slice or a pointer to an array", place, what)
		}
	}
	a, ok := u.(*types.Array)
	if !ok {
		if out {
			return Errorf(s.Pos, "index: %s names %s, not a slice or a pointer to an array", place, what)
		}
		return Errorf(s.Pos, "index: %s names %s, not an array", place, what)
	}
	if int64(s.Index) >= a.Len() {
		return Errorf(s.Pos, "index: %d is out of bounds of %s (length %d), which %s names", s.Index, typeString(a), a.Len(), place)
	}
	return nil
}

// hasField reports whether struct st has a field name, its own or promoted.
func hasField(st *types.Struct, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(st, false, nil, name)
	if obj == nil && !token.IsExported(name) {
		for f := range st.Fields() {
			if f.Name() == name {
				return true
			}
		}
	}
	v, ok := obj.(*types.Var)
	return ok && v.IsField()
}

// checkWhen checks that the arguments of tests are parameters of sig.
func checkWhen(fn string, tests []Test, sig *types.Signature) error {
	for _, t := range tests {
		if n := sig.Params().Len(); int(t.Arg) >= n {
			return Errorf(t.Pos, "when: arg %d is not a parameter of %s (it has %s)", t.Arg, fn, count(n, "parameter"))
		}
	}
	return nil
}

// Check reports whether r fits sig, the signature of r.Func: Arg must be
// a parameter, or Receiver of a method, and the arguments of When must be
// parameters. A native procedure has no signature: Check accepts it
// whatever sig is. The error is an *Error at r.Pos, or at the test's
// position for a When test.
func (r *Releaser) Check(sig *types.Signature) error {
	if IsNative(r.Func) {
		return nil
	}
	if err := checkArg(r.Pos, r.Func, r.Arg, sig); err != nil {
		return err
	}
	return checkWhen(r.Func, r.When, sig)
}

// Check reports whether a fits sig, the signature of a.Func: Arg must be
// a parameter, or Receiver of a method. The error is an *Error at a.Pos.
func (a *Adopter) Check(sig *types.Signature) error {
	return checkArg(a.Pos, a.Func, a.Arg, sig)
}

func checkArg(pos Pos, fn string, arg Param, sig *types.Signature) error {
	switch {
	case sig == nil:
		return Errorf(pos, "%s has no signature", fn)
	case arg == Receiver:
		if sig.Recv() == nil {
			return Errorf(pos, "%s is not a method: it has no receiver to take", fn)
		}
	case arg < 0 || int(arg) >= sig.Params().Len():
		return Errorf(pos, "arg: %d is not a parameter of %s (it has %s)",
			arg, fn, count(sig.Params().Len(), "parameter"))
	}
	return nil
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// describeParam describes v for messages: "parameter access uint32".
func describeParam(v *types.Var) string {
	typ := typeString(v.Type())
	if v.Name() == "" || v.Name() == "_" {
		return "a parameter of type " + typ
	}
	return "parameter " + v.Name() + " " + typ
}

// describeResult describes v for messages: "result fd [2]int".
func describeResult(v *types.Var) string {
	typ := typeString(v.Type())
	if v.Name() == "" || v.Name() == "_" {
		return "a result of type " + typ
	}
	return "result " + v.Name() + " " + typ
}

// typeString spells t with package names: "windows.ProcessInformation".
func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// count returns "no results", "1 result", "3 results".
func count(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// CheckDeclared checks the rules of s for the functions that pkg declares,
// once pkg is loaded, as built for goos: each name must resolve to a
// function or method of pkg (a misspelling or the wrong receiver kind is an
// error, with a suggestion when one is close), each rule must fit its
// function's signature (see Source.Check, Releaser.Check, Adopter.Check),
// a source's result must not be the error result, the bits of has-bits and
// lacks-bits must test an integer parameter, and the values of its when
// tests must resolve. Rules restricted to another GOOS are not checked.
// A name that resolves to nothing is an error only with a suggestion: the
// other receiver kind always, a close spelling only when portable says
// that every GOOS builds pkg from the same files (otherwise
// syscall.Accept4 may be another GOOS's API, not a misspelling of
// syscall.Accept). The error is an ErrorList, in file order.
func (s *Set) CheckDeclared(pkg *types.Package, goos string, portable bool) error {
	var errs ErrorList
	path := pkg.Path()
	at := func(name string) (Pos, bool) {
		// The rules for name that apply to goos, by their first position.
		var first Pos
		found := false
		consider := func(pos Pos, c Cond) {
			if c.GOOS != "" && c.GOOS != goos {
				return
			}
			if !found || before(pos, first) {
				first, found = pos, true
			}
		}
		for _, src := range s.Sources[name] {
			consider(src.Pos, src.Cond)
		}
		for _, rel := range s.Releasers[name] {
			consider(rel.Pos, rel.Cond)
		}
		if ad, ok := s.Adopters[name]; ok {
			consider(ad.Pos, Cond{})
		}
		if pos, ok := s.UseFuncs[name]; ok {
			consider(pos, s.UseConds[name])
		}
		if pos, ok := s.NoReturn[name]; ok {
			consider(pos, Cond{})
		}
		for _, r := range s.Thread[name] {
			consider(r.Pos, r.Cond)
		}
		for _, c := range s.Changes[name] {
			consider(c.Pos, c.Cond)
		}
		for _, cb := range s.Callbacks[name] {
			consider(cb.Pos, Cond{GOOS: cb.GOOS})
		}
		return first, found
	}
	for _, name := range s.packageNames(path) {
		pos, ok := at(name)
		if !ok {
			continue
		}
		if s.isVtable(name) {
			if err := checkVtable(pkg, name, pos); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		obj := LookupObject(pkg, name)
		fn, isFunc := obj.(*types.Func)
		switch {
		case obj == nil:
			if IsMethod(name) && !strings.HasPrefix(name, "(*") && checkVtable(pkg, name, pos) == nil {
				errs = append(errs, Errorf(pos, "%s is a vtable slot (a uintptr field), not a method: name it with vtable: in place of func:", name))
				continue
			}
			if alt := suggest(pkg, name, portable); alt != "" {
				errs = append(errs, Errorf(pos, "%s is not declared in package %s: did you mean %s?", name, path, alt))
			}
			continue
		case !isFunc:
			errs = append(errs, Errorf(pos, "%s is a %s, not a function", name, objectKind(obj)))
			continue
		}
		sig := fn.Type().(*types.Signature)
		errs = append(errs, s.checkRules(name, sig, pkg, goos)...)
	}
	slices.SortStableFunc(errs, func(a, b *Error) int {
		if before(a.Pos, b.Pos) {
			return -1
		}
		if before(b.Pos, a.Pos) {
			return 1
		}
		return 0
	})
	return errs.err()
}

// isVtable reports whether name is a vtable slot's: its rules say so.
func (s *Set) isVtable(name string) bool {
	srcs := s.Sources[name]
	return len(srcs) > 0 && srcs[0].Vtable
}

// checkVtable checks that the vtable slot name, "(path.T).F", is a field
// of struct type T of pkg whose type is an integer (uintptr), the
// address of a procedure.
func checkVtable(pkg *types.Package, name string, pos Pos) *Error {
	end := strings.Index(name, ")")
	typeName, field := name[1:end], name[end+2:]
	obj := LookupObject(pkg, typeName)
	tn, ok := obj.(*types.TypeName)
	if !ok {
		if obj == nil {
			return Errorf(pos, "vtable: %s is not declared in package %s", typeName, pkg.Path())
		}
		return Errorf(pos, "vtable: %s is a %s, not a struct type", typeName, objectKind(obj))
	}
	st, ok := tn.Type().Underlying().(*types.Struct)
	if !ok {
		return Errorf(pos, "vtable: %s is %s, not a struct type", typeName, typeString(tn.Type().Underlying()))
	}
	var v *types.Var
	for f := range st.Fields() {
		if f.Name() == field {
			v = f
		}
	}
	if v == nil {
		// A promoted slot is called through the struct that declares
		// it (SSA selects the embedded field first): name that one.
		if f, index, _ := types.LookupFieldOrMethod(st, false, tn.Pkg(), field); f != nil && len(index) > 1 {
			if embedded, ok := types.Unalias(st.Field(index[0]).Type()).(*types.Named); ok {
				return Errorf(pos, "vtable: %s of %s is promoted from the embedded %s: name (%s).%s", field, typeString(tn.Type()),
					typeString(embedded), embedded.Obj().Pkg().Path()+"."+embedded.Obj().Name(), field)
			}
		}
		return Errorf(pos, "vtable: %s is not a field of %s", field, typeString(tn.Type()))
	}
	if !isInteger(v.Type()) {
		return Errorf(pos, "vtable: field %s of %s is %s, not a procedure's address (uintptr)", field, typeString(tn.Type()), typeString(v.Type()))
	}
	return nil
}

// checkRules checks the rules for the function name, of signature sig
// declared in pkg, that apply to goos.
func (s *Set) checkRules(name string, sig *types.Signature, pkg *types.Package, goos string) ErrorList {
	var errs ErrorList
	add := func(err error) {
		if err == nil {
			return
		}
		if e, ok := err.(*Error); ok {
			errs = append(errs, e)
		}
	}
	applies := func(c Cond) bool { return c.GOOS == "" || c.GOOS == goos }
	for _, src := range s.Sources[name] {
		if !applies(src.Cond) {
			continue
		}
		if err := src.Check(sig); err != nil {
			add(err)
			continue
		}
		if n := sig.Results().Len(); src.Result >= 0 && int(src.Result) == n-1 && n > 1 && types.Identical(sig.Results().At(n-1).Type(), errorType) {
			add(Errorf(src.Pos, "result: %d is the error result of %s, not a handle", src.Result, name))
			continue
		}
		add(checkTests(src.When, sig, pkg))
	}
	for _, rel := range s.Releasers[name] {
		if !applies(rel.Cond) {
			continue
		}
		if err := rel.Check(sig); err != nil {
			add(err)
			continue
		}
		add(checkTests(rel.When, sig, pkg))
	}
	if ad, ok := s.Adopters[name]; ok {
		add(ad.Check(sig))
	}
	s.checkThreadRules(name, sig, pkg, applies, add)
	for _, cb := range s.Callbacks[name] {
		if applies(Cond{GOOS: cb.GOOS}) {
			add(cb.Check(sig))
		}
	}
	return errs
}

var errorType = types.Universe.Lookup("error").Type()

// checkTests checks that the values of tests resolve in pkg, and that
// has-bits and lacks-bits test integer parameters. The arguments are known
// to be parameters of sig.
func checkTests(tests []Test, sig *types.Signature, pkg *types.Package) error {
	for _, t := range tests {
		if t.Op == HasBits || t.Op == LacksBits {
			v := sig.Params().At(int(t.Arg))
			if b, ok := v.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
				return Errorf(t.Pos, "%s: arg %d is %s, not an integer that has bits", t.Op, t.Arg, describeParam(v))
			}
		}
		if _, _, err := t.Resolve(pkg); err != nil {
			return err
		}
	}
	return nil
}

// names returns every function name that s has a rule for, sorted.
func (s *Set) names() []string {
	seen := make(map[string]bool)
	for name := range s.Sources {
		seen[name] = true
	}
	for name := range s.Releasers {
		seen[name] = true
	}
	for name := range s.Adopters {
		seen[name] = true
	}
	for name := range s.UseFuncs {
		seen[name] = true
	}
	for name := range s.NoReturn {
		seen[name] = true
	}
	for name := range s.Thread {
		seen[name] = true
	}
	for name := range s.Changes {
		seen[name] = true
	}
	for name := range s.Callbacks {
		seen[name] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

func before(a, b Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
}

// suggest returns the full name of a function or method of pkg close to
// name, which resolves to nothing: the method with the other receiver
// kind, or with spelling, a name that differs only in case or by one or
// two edits (one for short names); "" if none is close.
func suggest(pkg *types.Package, name string, spelling bool) string {
	var cands []string
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		switch obj := scope.Lookup(n).(type) {
		case *types.Func:
			cands = append(cands, obj.FullName())
		case *types.TypeName:
			if named, ok := types.Unalias(obj.Type()).(*types.Named); ok {
				for m := range named.Methods() {
					cands = append(cands, m.FullName())
				}
			}
		}
	}
	if IsMethod(name) {
		// (p.T).M for (*p.T).M, and the other way.
		other := "(*" + name[1:]
		if strings.HasPrefix(name, "(*") {
			other = "(" + name[2:]
		}
		if slices.Contains(cands, other) {
			return other
		}
	}
	if !spelling {
		return ""
	}
	best, bestD := "", 3
	for _, c := range cands {
		if strings.EqualFold(c, name) {
			return c
		}
		limit := 2
		if len(name)-len(PkgPath(name)) < 8 {
			limit = 1
		}
		if d := distance(c, name, limit); d <= limit && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance returns the edit distance of a and b (insertions, deletions,
// substitutions and transpositions of adjacent bytes), or limit+1 when it
// is more than limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return min(d[len(a)][len(b)], limit+1)
}
