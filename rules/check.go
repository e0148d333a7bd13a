package rules

import (
	"fmt"
	"go/token"
	"go/types"
)

// Check reports whether s fits sig, the signature of s.Func: Out must name
// a pointer parameter (a slice or pointer to array with Index; a pointer
// to a struct that has the field with Field), Result a result (an array
// with Index), Index must be in bounds of an array, and the arguments of
// When must be parameters. A native procedure has no signature: Check
// accepts it whatever sig is. The error is an *Error at s.Pos, or at the
// test's position for a When test.
func (s *Source) Check(sig *types.Signature) error {
	if IsNative(s.Func) {
		return nil
	}
	if sig == nil {
		return Errorf(s.Pos, "%s has no signature", s.Func)
	}
	if s.Out >= 0 {
		params := sig.Params()
		if s.Out >= params.Len() {
			return Errorf(s.Pos, "out: %d is not a pointer parameter of %s (it has %s)",
				s.Out, s.Func, count(params.Len(), "parameter"))
		}
		v := params.At(s.Out)
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
		if s.Result >= n {
			return Errorf(s.Pos, "result: %d is not a result of %s (it has %s)",
				s.Result, s.Func, count(n, "result"))
		}
		if s.Index >= 0 {
			v := sig.Results().At(s.Result)
			if err := s.checkIndex(v.Type(), "result", describeResult(v), false); err != nil {
				return err
			}
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
		if n := sig.Params().Len(); t.Arg >= n {
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

func checkArg(pos Pos, fn string, arg int, sig *types.Signature) error {
	switch {
	case sig == nil:
		return Errorf(pos, "%s has no signature", fn)
	case arg == Receiver:
		if sig.Recv() == nil {
			return Errorf(pos, "%s is not a method: it has no receiver to take", fn)
		}
	case arg < 0 || arg >= sig.Params().Len():
		return Errorf(pos, "arg: %d is not a parameter of %s (it has %s)",
			arg, fn, count(sig.Params().Len(), "parameter"))
	}
	return nil
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
