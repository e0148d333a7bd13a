package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/handlecheck/handlecheck/internal/effects"
	"github.com/handlecheck/handlecheck/internal/keepalive"
	"github.com/handlecheck/handlecheck/internal/ownership"
	"github.com/handlecheck/handlecheck/rules"
)

// keepAliveCategory is the category of the findings of package keepalive:
// an *os.File's descriptor used in a system call after the file's last
// use, so that its finalizer may close the descriptor first.
const keepAliveCategory = "keepalive"

// runKeepAlive hands the findings of package keepalive on funcs to rep.
// A call acts on a descriptor as it does for use-after-release: a function
// of the rules' platform packages (`uses`: syscall, x/sys/unix,
// x/sys/windows...), or one whose summary says it uses the parameter, and
// not a release of it.
func runKeepAlive(o *effects.Oracle, funcs []*ssa.Function, rep *reporter) {
	c := &keepalive.Checker{Acts: func(cc *ssa.CallCommon, i int) bool {
		eff := o.Effects(cc)
		for _, rel := range eff.Releases {
			if rel.Operand == ownership.Arg(i) || rel.Value == cc.Args[i] {
				return false
			}
		}
		return eff.Acts || slices.Contains(eff.Uses, ownership.Arg(i))
	}}
	for _, f := range c.Check(funcs) {
		rep.keepAlive(f)
	}
}

// keepAlive reports a finding of package keepalive: a use after the
// file's last use, or (f.Closed) a use after release.
func (r *reporter) keepAlive(f keepalive.Finding) {
	d := analysis.Diagnostic{Category: keepAliveCategory, URL: "#" + keepAliveCategory}
	d.Pos, d.End = r.span(f.Pos)
	user := rules.ShortName(f.Callee)
	if f.Closed.IsValid() {
		uar := ownership.UseAfterRelease.String()
		d.Category, d.URL = uar, "#"+uar
		file := r.fileExpr(f.Fd, -1)
		d.Message = fmt.Sprintf("use after release: %s uses the descriptor from %s.Fd() after (*os.File).Close released it on line %d: the number may name another file by now; close %s after the descriptor's last use",
			user, file, r.line(f.Closed), file)
		d.Related = r.related(f.Closed, "the release")
		if f.Helper != nil {
			closer := "(*os.File).Close"
			if f.ClosedDeferred {
				closer = "the deferred " + closer
			}
			d.Message = fmt.Sprintf("use after release: %s uses the descriptor that %s returns, %s.Fd() of a file that %s on line %d closes before it returns: the number may name another file by now; return the *os.File and close it after the descriptor's last use",
				user, rules.ShortName(f.Helper.FullName()), file, closer, r.line(f.Closed))
			d.Related = append(r.related(f.Fd, "the descriptor is taken here"), r.related(f.Closed, "the release")...)
		}
		if f.Inner.IsValid() {
			d.Related = append(d.Related, r.related(f.Inner, "the descriptor is used here")...)
		}
		r.diags = append(r.diags, d)
		return
	}
	if f.Fd.IsValid() {
		file := r.fileExpr(f.Fd, -1)
		d.Message = fmt.Sprintf("call runtime.KeepAlive(%s) after this use of %s.Fd() by %s: %s is not used after it, so its finalizer may close the descriptor first",
			file, file, user, file)
		if r.line(f.Fd) != r.line(f.Pos) {
			d.Related = r.related(f.Fd, "the descriptor is taken here")
		}
	} else {
		file := r.fileExpr(f.Pos, f.Arg)
		d.Message = fmt.Sprintf("call runtime.KeepAlive(%s) after this call of %s, which uses %s.Fd() in a system call: %s is not used after it, so its finalizer may close the descriptor first",
			file, user, file, file)
	}
	if f.Inner.IsValid() {
		d.Related = append(d.Related, r.related(f.Inner, "the descriptor is used here")...)
	}
	r.diags = append(r.diags, d)
}

// fileExpr returns the source of the file in the call at pos: the
// receiver of f.Fd() (arg < 0), or the call's argument arg.
func (r *reporter) fileExpr(pos token.Pos, arg int) string {
	r.span(pos) // builds r.calls
	c, ok := r.calls[pos]
	if !ok {
		return "f"
	}
	if arg < 0 {
		if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
			return types.ExprString(sel.X)
		}
		return "f"
	}
	if arg < len(c.Args) {
		return types.ExprString(c.Args[arg])
	}
	return "f"
}

func (r *reporter) line(pos token.Pos) int { return r.pass.Fset.Position(pos).Line }
