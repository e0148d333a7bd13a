package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// oracle answers the engine's questions about calls from the rules. It is
// used by one pass at a time.
type oracle struct {
	rules   *rules.Set
	effects map[*types.Func]ownership.Effects
	err     error // the first rule found not to fit its function
}

func newOracle(rs *rules.Set) *oracle {
	return &oracle{rules: rs, effects: make(map[*types.Func]ownership.Effects)}
}

// Effects implements ownership.Oracle.
func (o *oracle) Effects(c *ssa.CallCommon) ownership.Effects {
	obj := callee(c)
	if obj == nil {
		if b, ok := c.Value.(*ssa.Builtin); ok {
			return ownership.Effects{UseOnly: b.Name() != "append"}
		}
		return ownership.Effects{} // a function value: unknown
	}
	eff, ok := o.effects[obj]
	if !ok {
		eff = o.compute(obj, c.IsInvoke())
		o.effects[obj] = eff
	}
	return eff
}

// callee returns the function or interface method a call calls, if known.
func callee(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	if fn := c.StaticCallee(); fn != nil {
		if obj, ok := fn.Object().(*types.Func); ok {
			return obj.Origin()
		}
	}
	return nil
}

// compute derives a function's effects from the rules.
func (o *oracle) compute(fn *types.Func, invoke bool) ownership.Effects {
	name := fn.FullName()
	sig := fn.Type().(*types.Signature)
	// param maps a rule's parameter index (or rules.Receiver) to an Operand.
	param := func(i int) ownership.Operand {
		switch {
		case i == rules.Receiver && invoke:
			return ownership.Recv
		case i == rules.Receiver:
			return 0
		case sig.Recv() != nil && !invoke:
			return i + 1
		}
		return i
	}
	var eff ownership.Effects
	if src, ok := o.rules.Sources[name]; ok && o.check(src.Check(sig)) {
		acq := ownership.Acquire{
			Result: src.Result, Out: -1,
			Borrowed: src.Borrowed,
			ErrGate:  !src.NoErrorGate && lastIsError(sig),
			NoLeak:   src.Resource.NoLeak,
			Resource: src.Resource.Name,
			Rule:     src,
		}
		if src.Out >= 0 {
			acq.Result, acq.Out = -1, param(src.Out)
		}
		eff.Acquires = append(eff.Acquires, acq)
	}
	for _, rel := range o.rules.Releasers[name] {
		if !o.check(rel.Check(sig)) {
			continue
		}
		op := param(rel.Arg)
		merged := false
		for i := range eff.Releases {
			if r := &eff.Releases[i]; r.Operand == op {
				r.Resources = append(r.Resources, rel.Resource.Name)
				merged = true
			}
		}
		if !merged {
			eff.Releases = append(eff.Releases, ownership.Release{
				Operand: op, Resources: []string{rel.Resource.Name}, Rule: rel,
			})
		}
	}
	if ad, ok := o.rules.Adopters[name]; ok && o.check(ad.Check(sig)) {
		eff.Adopts = append(eff.Adopts, param(ad.Arg))
	}
	if errorTests[name] {
		eff.NonNilIfTrue = []ownership.Operand{0}
	}
	_, eff.NoReturn = o.rules.NoReturn[name]
	_, eff.UseOnly = o.rules.UseFuncs[name]
	if fn.Pkg() != nil {
		if _, ok := o.rules.UsePackages[fn.Pkg().Path()]; ok {
			eff.UseOnly = true
		}
	}
	return eff
}

// check records the first error of a rule that does not fit its function.
func (o *oracle) check(err error) bool {
	if err != nil && o.err == nil {
		o.err = err
	}
	return err == nil
}

// errorTests are functions that return true only for a non-nil error
// (their first argument); a handle whose acquiring call's error passes one
// is not valid on that branch.
var errorTests = map[string]bool{
	"errors.Is":                true,
	"errors.As":                true,
	"github.com/pkg/errors.Is": true,
	"github.com/pkg/errors.As": true,
	"golang.org/x/xerrors.Is":  true,
	"golang.org/x/xerrors.As":  true,
}

var errorType = types.Universe.Lookup("error").Type()

func lastIsError(sig *types.Signature) bool {
	n := sig.Results().Len()
	return n > 0 && types.Identical(sig.Results().At(n-1).Type(), errorType)
}
