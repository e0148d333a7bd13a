package rules

import (
	"fmt"
	"go/types"
)

// Check reports whether s fits sig, the signature of s.Func: Out must name
// a pointer parameter, Result a result. The error is an *Error at s.Pos.
func (s *Source) Check(sig *types.Signature) error {
	if sig == nil {
		return Errorf(s.Pos, "%s has no signature", s.Func)
	}
	if s.Out >= 0 {
		params := sig.Params()
		if s.Out >= params.Len() {
			return Errorf(s.Pos, "out: %d is not a pointer parameter of %s (it has %s)",
				s.Out, s.Func, count(params.Len(), "parameter"))
		}
		if v := params.At(s.Out); !isPointer(v.Type()) {
			return Errorf(s.Pos, "out: %d names %s, not a pointer", s.Out, describeParam(v))
		}
	}
	if s.Result >= 0 {
		if n := sig.Results().Len(); s.Result >= n {
			return Errorf(s.Pos, "result: %d is not a result of %s (it has %s)",
				s.Result, s.Func, count(n, "result"))
		}
	}
	return nil
}

// Check reports whether r fits sig, the signature of r.Func: Arg must be
// a parameter, or Receiver of a method. The error is an *Error at r.Pos.
func (r *Releaser) Check(sig *types.Signature) error {
	return checkArg(r.Pos, r.Func, r.Arg, sig)
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
	typ := types.TypeString(v.Type(), func(p *types.Package) string { return p.Name() })
	if v.Name() == "" || v.Name() == "_" {
		return "a parameter of type " + typ
	}
	return "parameter " + v.Name() + " " + typ
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
