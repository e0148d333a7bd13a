package rulescheck

// These tests hold rules.yaml (through the real loader: rules.Parse, then
// rules.Merge) against the platform packages as go/types sees them, built
// for GOOS=windows and for GOOS=linux, and against rules_reviewed.yaml:
//
//   - TestRulesResolve: every function a rule names exists in at least one
//     GOOS and fits the rule there (a source's result or out index names a
//     handle-typed value, as defined below; a releaser's or adopter's arg
//     is a parameter).
//   - TestCoverage: every exported function and method in the packages in
//     scope that hands out a handle-typed value has an owned or borrowed
//     rule, or is on the reviewed list. An x/sys upgrade that adds such an
//     API fails here until someone classifies it.
//   - TestReviewedList: every reviewed entry still exists and has no rule.
//   - TestReleaserLike: every function of a `uses` package whose name says
//     it releases something is a releaser or adopter, or is reviewed as
//     not one (a `uses` function must never keep or release a handle).
//
// Handle-typed. A function or method "hands out" a handle-typed value when
// one of its results, or a value written through one of its pointer
// parameters (an "out"), is handle-typed by the rule of its package:
//
// Windows (golang.org/x/sys/windows, .../windows/registry, .../windows/svc,
// .../windows/svc/mgr, .../windows/svc/eventlog and syscall, GOOS=windows):
//   - a result of, or an out pointing at, one of the handle types:
//     windows.Handle, windows.Token, windows.HWND, windows.DevInfo,
//     windows.HSPFILEQ, syscall.Handle, syscall.Token, registry.Key, and
//     the pointers to objects the APIs allocate: *windows.DLL, *syscall.DLL,
//     *mgr.Mgr, *mgr.Service, *eventlog.Log, *windows.SID, *syscall.SID,
//     *windows.CertContext, *syscall.CertContext, *windows.CertChainContext,
//     *syscall.CertChainContext, *windows.ProcThreadAttributeListContainer;
//   - a uintptr result (Windows APIs return addresses, cookies and some
//     handles as uintptr) or a *uint16 result (a string the API may have
//     allocated: GetEnvironmentStrings);
//   - an out of pointer-to-pointer type (**T, *unsafe.Pointer): the C
//     idiom for a buffer the callee allocates and the caller must free.
//
// Linux (golang.org/x/sys/unix and syscall, GOOS=linux):
//   - a result of type int whose name, lowercased, ends in "fd" (fd, nfd,
//     newfd, fsfd): x/sys and syscall name their descriptor results; or,
//     in a function that also returns an error, whose name is "", "r" or
//     "ret", the names the generators give a system call's result they
//     know nothing about (OpenTree's r int, FcntlInt's int);
//   - any result of type []int or [N]int (Socketpair's fd [2]int,
//     ParseUnixRights' []int);
//   - any parameter of type []int, variadic ones included: the callee may
//     write descriptors into it (Pipe's p []int).
//
// os and net (both GOOS): a result of type *os.File, *os.Root, *os.Process
// or uintptr.
//
// Not handle-typed, so not required: handles inside structs
// (CreateProcess's ProcessInformation), handles written into a []Handle
// (syscall.Pipe on Windows) and descriptors passed in by the caller (Dup3's
// newfd). rules.yaml and the reviewed list name the known ones all the same.
//
// A rule that names a struct field (`field`) must name one that is
// handle-typed as a result would be or, on Windows, any pointer (a buffer
// the callee allocates: DataBlob.Data); a rule that names an element
// (`index`) of an array or slice must name an int on Linux and a handle
// type on Windows.

import (
	"fmt"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/internal/rulesdoc"
	"github.com/handlecheck/handlecheck/rules"
)

const (
	xwin = "golang.org/x/sys/windows"
	xreg = "golang.org/x/sys/windows/registry"
	xmgr = "golang.org/x/sys/windows/svc/mgr"
	xlog = "golang.org/x/sys/windows/svc/eventlog"
)

// scope lists, per GOOS, the packages whose exported functions and methods
// must be classified, each with the rule ("windows", "linux", "osnet")
// that says which of their values are handle-typed.
var scope = map[string]map[string]string{
	"windows": {
		xwin: "windows", xreg: "windows", "golang.org/x/sys/windows/svc": "windows",
		xmgr: "windows", xlog: "windows", "syscall": "windows",
		"os": "osnet", "net": "osnet",
	},
	"linux": {
		"golang.org/x/sys/unix": "linux", "syscall": "linux",
		"os": "osnet", "net": "osnet",
	},
}

// extraPkgs are loaded so that the names in other rules (noreturn, uses)
// can be checked too; they are not classified.
var extraPkgs = []string{"log", "log/slog", "testing", "runtime", "fmt", "strconv", "errors"}

// windowsHandleTypes are the Windows handle types, as types.TypeString
// prints them.
var windowsHandleTypes = map[string]bool{
	xwin + ".Handle": true, xwin + ".Token": true, xwin + ".HWND": true,
	xwin + ".DevInfo": true, xwin + ".HSPFILEQ": true,
	"syscall.Handle": true, "syscall.Token": true,
	xreg + ".Key":       true,
	"*" + xwin + ".DLL": true, "*syscall.DLL": true,
	"*" + xmgr + ".Mgr": true, "*" + xmgr + ".Service": true,
	"*" + xlog + ".Log": true,
	"*" + xwin + ".SID": true, "*syscall.SID": true,
	"*" + xwin + ".CertContext": true, "*syscall.CertContext": true,
	"*" + xwin + ".CertChainContext": true, "*syscall.CertChainContext": true,
	"*" + xwin + ".ProcThreadAttributeListContainer": true,
}

// osnetHandleTypes are the handle types of os and net, as types.TypeString
// prints them.
var osnetHandleTypes = map[string]bool{"*os.File": true, "*os.Root": true, "*os.Process": true}

// A slot is a place where a function hands out a handle-typed value.
type slot struct {
	result bool // a result; else a parameter (an out, or a []int)
	index  int
	v      *types.Var
}

func (s slot) String() string {
	what := "param"
	if s.result {
		what = "result"
	}
	return fmt.Sprintf("%s %d (%s)", what, s.index, types.TypeString(s.v.Type(), qualifier))
}

func qualifier(p *types.Package) string { return p.Name() }

// slots returns where fn hands out handle-typed values under rule.
func slots(fn *types.Func, rule string) []slot {
	sig := fn.Type().(*types.Signature)
	var out []slot
	results := sig.Results()
	withErr := results.Len() > 0 && types.TypeString(results.At(results.Len()-1).Type(), nil) == "error"
	for i := range results.Len() {
		if v := results.At(i); isHandleResult(v, rule, withErr) || i == 0 && rule == "linux" && rules.IsRawSyscall(fn.FullName()) {
			out = append(out, slot{true, i, v})
		}
	}
	for i := range sig.Params().Len() {
		if v := sig.Params().At(i); isHandleParam(v, rule) {
			out = append(out, slot{false, i, v})
		}
	}
	return out
}

// isHandleResult reports whether result v is handle-typed under rule;
// withErr says whether v's function returns an error last.
func isHandleResult(v *types.Var, rule string, withErr bool) bool {
	t := v.Type()
	switch rule {
	case "windows":
		return isWindowsHandle(t) || isBasic(t, types.Uintptr) || types.TypeString(t, nil) == "*uint16"
	case "linux":
		name := strings.ToLower(v.Name())
		unnamed := name == "" || name == "r" || name == "ret"
		return isBasic(t, types.Int) && (strings.HasSuffix(name, "fd") || unnamed && withErr) || isIntList(t)
	case "osnet":
		return isBasic(t, types.Uintptr) || osnetHandleTypes[types.TypeString(t, nil)]
	}
	return false
}

func isHandleParam(v *types.Var, rule string) bool {
	t := v.Type()
	switch rule {
	case "windows":
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return false
		}
		elem := p.Elem()
		_, ptrToPtr := elem.Underlying().(*types.Pointer)
		return isWindowsHandle(elem) || ptrToPtr || isBasic(elem, types.UnsafePointer)
	case "linux":
		s, ok := t.(*types.Slice)
		return ok && isBasic(s.Elem(), types.Int)
	}
	return false
}

func isWindowsHandle(t types.Type) bool { return windowsHandleTypes[types.TypeString(t, nil)] }

// isHandleField reports whether a struct field that a rule names (`field`)
// is handle-typed under rule: as a result would be, or, on Windows, any
// pointer (a buffer the callee allocates, as DataBlob.Data).
func isHandleField(f *types.Var, rule string) bool {
	if rule == "windows" {
		if _, ok := f.Type().Underlying().(*types.Pointer); ok {
			return true
		}
	}
	return isHandleResult(f, rule, false)
}

// element returns the element type of a slice, an array or a pointer to
// an array.
func element(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	switch t := t.Underlying().(type) {
	case *types.Slice:
		return t.Elem()
	case *types.Array:
		return t.Elem()
	}
	return t
}

// isHandleElement reports whether an element of an array or slice that a
// rule indexes (`index`) is handle-typed under rule: an int on Linux, a
// handle type on Windows.
func isHandleElement(t types.Type, rule string) bool {
	switch rule {
	case "windows":
		return isWindowsHandle(t)
	case "linux":
		return isBasic(t, types.Int)
	}
	return false
}

func isBasic(t types.Type, kind types.BasicKind) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Kind() == kind
}

// isIntList reports whether t is []int or [N]int.
func isIntList(t types.Type) bool {
	switch t := t.(type) {
	case *types.Slice:
		return isBasic(t.Elem(), types.Int)
	case *types.Array:
		return isBasic(t.Elem(), types.Int)
	}
	return false
}

// A universe is the loaded packages of one GOOS.
type universe struct {
	goos string
	// funcs holds every function and method (exported or not, interface
	// methods too) of every loaded package and its dependencies, by
	// FullName.
	funcs map[string]*types.Func
	pkgs  map[string]*types.Package
	// inScope are the exported functions and methods of the packages in
	// scope, by FullName, with the rule of their package. A method
	// promoted into an exported type is named by its declaration:
	// (*net.TCPConn).File is (*net.conn).File.
	inScope map[string]string
}

var universes = map[string]func() (*universe, error){
	"windows": sync.OnceValues(func() (*universe, error) { return load("windows") }),
	"linux":   sync.OnceValues(func() (*universe, error) { return load("linux") }),
}

// both returns the windows and linux universes, in that order.
func both(t *testing.T) []*universe {
	t.Helper()
	var us []*universe
	for _, goos := range []string{"windows", "linux"} {
		u, err := universes[goos]()
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	return us
}

func load(goos string) (*universe, error) {
	patterns := append(slices.Sorted(maps.Keys(scope[goos])), extraPkgs...)
	cfg := &packages.Config{
		Mode: packages.NeedTypes | packages.NeedName | packages.NeedImports | packages.NeedDeps,
		Env:  append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0"),
	}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("GOOS=%s: %v", goos, err)
	}
	u := &universe{
		goos:    goos,
		funcs:   make(map[string]*types.Func),
		pkgs:    make(map[string]*types.Package),
		inScope: make(map[string]string),
	}
	var errs []string
	packages.Visit(roots, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
		if p.Types != nil {
			u.add(p.Types)
		}
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("GOOS=%s: %s", goos, strings.Join(errs, "\n"))
	}
	return u, nil
}

// add records pkg's functions and methods.
func (u *universe) add(pkg *types.Package) {
	u.pkgs[pkg.Path()] = pkg
	rule := scope[u.goos][pkg.Path()]
	sc := pkg.Scope()
	for _, name := range sc.Names() {
		switch obj := sc.Lookup(name).(type) {
		case *types.Func:
			u.funcs[obj.FullName()] = obj
			if rule != "" && obj.Exported() {
				u.inScope[obj.FullName()] = rule
			}
		case *types.TypeName:
			if obj.IsAlias() {
				continue
			}
			named, ok := obj.Type().(*types.Named)
			if !ok {
				continue
			}
			if iface, ok := named.Underlying().(*types.Interface); ok {
				for m := range iface.Methods() {
					u.funcs[m.FullName()] = m
				}
			}
			for m := range named.Methods() {
				u.funcs[m.FullName()] = m
			}
			if rule == "" || !obj.Exported() {
				continue
			}
			for _, t := range []types.Type{named, types.NewPointer(named)} {
				for sel := range types.NewMethodSet(t).Methods() {
					if m := sel.Obj().(*types.Func); m.Exported() && m.Pkg() != nil {
						u.inScope[m.FullName()] = rule
					}
				}
			}
		}
	}
}

// defaults loads rules.yaml through the real loader.
func defaults(t *testing.T) *rules.Set {
	t.Helper()
	f, err := rules.Parse(handlecheck.DefaultRulesName, handlecheck.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	s, err := rules.Merge(f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// reviewed loads rules_reviewed.yaml: the groups, and each function's group.
func reviewed(t *testing.T) ([]rulesdoc.Group, map[string]*rulesdoc.Group) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", rulesdoc.ReviewedName))
	if err != nil {
		t.Fatal(err)
	}
	groups, err := rulesdoc.ParseReviewed(data)
	if err != nil {
		t.Fatal(err)
	}
	byFunc := make(map[string]*rulesdoc.Group)
	for i := range groups {
		for _, fn := range groups[i].Funcs {
			byFunc[fn] = &groups[i]
		}
	}
	return groups, byFunc
}

// ruleFor returns the rule of fn's package in u, or "" if it is not in scope.
func (u *universe) ruleFor(fn *types.Func) string {
	if fn.Pkg() == nil {
		return ""
	}
	return scope[u.goos][fn.Pkg().Path()]
}

func TestRulesResolve(t *testing.T) {
	for _, e := range resolveErrors(both(t), defaults(t)) {
		t.Error(e)
	}
}

// resolveErrors checks the rules of s against the universes us: every
// function a rule names exists in at least one GOOS (in its GOOS, for a
// rule with one) and fits the rule there, and every name in a condition
// or in also-valid-with resolves. Native procedures have no signature;
// they need only a resource (Merge checks it exists).
func resolveErrors(us []*universe, s *rules.Set) []string {
	var errs []string
	errorf := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	// ruleError reports an error of rules' checks, an *rules.Error, under u.
	ruleError := func(u *universe, err error) {
		if e, ok := err.(*rules.Error); ok {
			errorf("%s: GOOS=%s: %s", e.Pos, u.goos, e.Msg)
		} else {
			errorf("GOOS=%s: %v", u.goos, err)
		}
	}
	// exists reports whether name is a function in some universe of goos
	// ("" for any), and calls check for each one it is in.
	exists := func(pos rules.Pos, name, goos string, check func(u *universe, fn *types.Func)) {
		found := false
		for _, u := range us {
			if goos != "" && u.goos != goos {
				continue
			}
			if fn, ok := u.funcs[name]; ok {
				found = true
				if check != nil {
					check(u, fn)
				}
			}
		}
		switch {
		case found:
		case goos != "" && !slices.ContainsFunc(us, func(u *universe) bool { return u.goos == goos }):
			errorf("%s: %s: goos %s is not checked here (only windows and linux)", pos, name, goos)
		case goos != "":
			errorf("%s: %s does not exist under GOOS=%s", pos, name, goos)
		default:
			errorf("%s: %s does not exist under GOOS=windows or GOOS=linux", pos, name)
		}
	}
	// checkCond checks a rule's tests for a call of fn under u.
	checkCond := func(u *universe, fn *types.Func, c rules.Cond) {
		for _, test := range c.When {
			if test.Op != rules.From {
				if _, _, err := test.Resolve(fn.Pkg()); err != nil {
					ruleError(u, err)
				}
				continue
			}
			for _, f := range test.Funcs {
				if u.funcs[f] == nil {
					errorf("%s: GOOS=%s: from: %s does not exist", test.Pos, u.goos, f)
				}
			}
		}
	}
	for _, src := range allSources(s) {
		if src.Resource == nil {
			errorf("%s: %s has no resource", src.Pos, src.Func)
		}
		if rules.IsNative(src.Func) {
			continue
		}
		exists(src.Pos, src.Func, src.GOOS, func(u *universe, fn *types.Func) {
			if err := src.Check(fn.Type().(*types.Signature)); err != nil {
				ruleError(u, err)
				return
			}
			checkCond(u, fn, src.Cond)
			for _, name := range src.ValidErrs {
				switch obj := rules.LookupObject(fn.Pkg(), name); obj.(type) {
				case *types.Const, *types.Var:
				case nil:
					errorf("%s: GOOS=%s: %s: also-valid-with: %s does not exist", src.Pos, u.goos, src.Func, name)
				default:
					errorf("%s: GOOS=%s: %s: also-valid-with: %s is not a constant or variable", src.Pos, u.goos, src.Func, name)
				}
			}
			rule := u.ruleFor(fn)
			if rule == "" {
				errorf("%s: %s is not in a package this test classifies (add its package to scope)", src.Pos, src.Func)
				return
			}
			if src.Field != "" {
				// Check has found the field; its type must be a handle.
				elem := fn.Type().(*types.Signature).Params().At(int(src.Out)).Type().Underlying().(*types.Pointer).Elem()
				obj, _, _ := types.LookupFieldOrMethod(elem, true, fn.Pkg(), src.Field)
				if f, ok := obj.(*types.Var); ok && !isHandleField(f, rule) {
					errorf("%s: GOOS=%s: %s: field %s is %s, not handle-typed", src.Pos, u.goos, src.Func, src.Field,
						types.TypeString(f.Type(), qualifier))
				}
				return
			}
			result, index := src.Result >= 0, int(src.Result)
			if !result {
				index = int(src.Out)
			}
			if src.Index >= 0 {
				// Check has found an array or slice; its elements must be handles.
				var t types.Type
				if result {
					t = fn.Type().(*types.Signature).Results().At(index).Type()
				} else {
					t = fn.Type().(*types.Signature).Params().At(index).Type()
				}
				if el := element(t); !isHandleElement(el, rule) {
					errorf("%s: GOOS=%s: %s: the elements of the rule's %s are %s, not handle-typed", src.Pos, u.goos, src.Func,
						describeIndex(result, index), types.TypeString(el, qualifier))
				}
				return
			}
			all := slots(fn, rule)
			if !slices.ContainsFunc(all, func(sl slot) bool { return sl.result == result && sl.index == index }) {
				errorf("%s: GOOS=%s: %s: the rule's %s is not handle-typed; its handle-typed values: %v",
					src.Pos, u.goos, src.Func, describeIndex(result, index), all)
			}
		})
	}
	for _, name := range slices.Sorted(maps.Keys(s.Releasers)) {
		for _, rel := range s.Releasers[name] {
			if rules.IsNative(rel.Func) {
				continue
			}
			exists(rel.Pos, rel.Func, rel.GOOS, func(u *universe, fn *types.Func) {
				if err := rel.Check(fn.Type().(*types.Signature)); err != nil {
					ruleError(u, err)
					return
				}
				checkCond(u, fn, rel.Cond)
			})
		}
	}
	for _, ad := range sorted(s.Adopters) {
		exists(ad.Pos, ad.Func, "", func(u *universe, fn *types.Func) {
			if err := ad.Check(fn.Type().(*types.Signature)); err != nil {
				ruleError(u, err)
			}
		})
	}
	for _, m := range []map[string]rules.Pos{s.UseFuncs, s.NoReturn} {
		for _, name := range slices.Sorted(maps.Keys(m)) {
			exists(m[name], name, "", nil)
		}
	}
	for _, path := range slices.Sorted(maps.Keys(s.UsePackages)) {
		if !slices.ContainsFunc(us, func(u *universe) bool { return u.pkgs[path] != nil }) {
			errorf("%s: uses package %s is not loaded under either GOOS", s.UsePackages[path], path)
		}
	}
	return errs
}

// allSources returns every source rule of s, by function then file order.
func allSources(s *rules.Set) []*rules.Source {
	var out []*rules.Source
	for _, name := range slices.Sorted(maps.Keys(s.Sources)) {
		out = append(out, s.Sources[name]...)
	}
	return out
}

// covered reports whether fn has a source rule that applies under goos.
func covered(s *rules.Set, fn, goos string) bool {
	return slices.ContainsFunc(s.Sources[fn], func(src *rules.Source) bool { return src.GOOS == "" || src.GOOS == goos })
}

func describeIndex(result bool, i int) string {
	if result {
		return fmt.Sprintf("result %d", i)
	}
	return fmt.Sprintf("out %d", i)
}

func TestCoverage(t *testing.T) {
	us := both(t)
	s := defaults(t)
	_, byFunc := reviewed(t)
	missing := make(map[string][]string) // name -> descriptions per GOOS
	for _, u := range us {
		for name, rule := range u.inScope {
			sl := slots(u.funcs[name], rule)
			if len(sl) == 0 || covered(s, name, u.goos) || byFunc[name] != nil {
				continue
			}
			missing[name] = append(missing[name], fmt.Sprintf("GOOS=%s %s %v", u.goos,
				strings.TrimPrefix(types.TypeString(u.funcs[name].Type(), qualifier), "func"), sl))
		}
	}
	if len(missing) == 0 {
		return
	}
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(missing)) {
		fmt.Fprintf(&b, "\n  %s\t%s", name, strings.Join(missing[name], "; "))
	}
	t.Errorf("%d functions hand out a handle-typed value but have no owned or borrowed rule in rules.yaml and are not in %s; classify each:%s",
		len(missing), rulesdoc.ReviewedName, b.String())
}

func TestReviewedList(t *testing.T) {
	us := both(t)
	s := defaults(t)
	groups, _ := reviewed(t)
	for _, g := range groups {
		for _, name := range g.Funcs {
			if !slices.ContainsFunc(us, func(u *universe) bool { return u.funcs[name] != nil }) {
				t.Errorf("%s: %s no longer exists under GOOS=windows or GOOS=linux: remove it", rulesdoc.ReviewedName, name)
			}
			if srcs := s.Sources[name]; len(srcs) > 0 && g.Kind != "not-a-releaser" && !reviewedElsewhere(us, name, srcs) {
				t.Errorf("%s: %s is reviewed as %s but %s has a rule for it: drop one", rulesdoc.ReviewedName, name, g.Kind, srcs[0].Pos)
			}
			if g.Kind == "not-a-releaser" && (s.Releasers[name] != nil || s.Adopters[name] != nil) {
				t.Errorf("%s: %s is reviewed as not a releaser but rules.yaml releases or adopts with it", rulesdoc.ReviewedName, name)
			}
		}
	}
}

// releaserLike matches the names of functions and methods that sound like
// they end a handle's life.
var releaserLike = regexp.MustCompile(`Close|Free|Destroy|Delete|Deregister|Disconnect|Release|Unmap|Unload|Unregister|Revert|Munmap`)

func TestReleaserLike(t *testing.T) {
	us := both(t)
	s := defaults(t)
	_, byFunc := reviewed(t)
	unclassified := make(map[string]bool)
	for _, u := range us {
		for name := range u.inScope {
			fn := u.funcs[name]
			sig := fn.Type().(*types.Signature)
			if _, ok := s.UsePackages[fn.Pkg().Path()]; !ok || !releaserLike.MatchString(fn.Name()) {
				continue
			}
			if sig.Params().Len() == 0 && sig.Recv() == nil {
				continue // nothing to release
			}
			if s.Releasers[name] == nil && s.Adopters[name] == nil && byFunc[name] == nil {
				unclassified[name] = true
			}
		}
	}
	if len(unclassified) > 0 {
		t.Errorf("%d functions of `uses` packages are named like releasers but neither release nor adopt in rules.yaml nor are reviewed in %s:\n  %s",
			len(unclassified), rulesdoc.ReviewedName, strings.Join(slices.Sorted(maps.Keys(unclassified)), "\n  "))
	}
}

func sorted[T any](m map[string]*T) []*T {
	var out []*T
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// TestHandleTyped pins the definition of handle-typed on known APIs.
func TestHandleTyped(t *testing.T) {
	us := both(t)
	byGOOS := map[string]*universe{"windows": us[0], "linux": us[1]}
	for _, tc := range []struct {
		goos, fn string
		want     string // fmt of slots
	}{
		{"windows", xwin + ".OpenProcessToken", "[param 2 (*windows.Token)]"},
		{"windows", xwin + ".CreateFile", "[result 0 (windows.Handle)]"},
		{"windows", xwin + ".GetForegroundWindow", "[result 0 (windows.HWND)]"},
		{"windows", xwin + ".ConvertStringSidToSid", "[param 1 (**windows.SID)]"},
		{"windows", xwin + ".MapViewOfFile", "[result 0 (uintptr)]"},
		{"windows", xwin + ".GetEnvironmentStrings", "[result 0 (*uint16)]"},
		{"windows", xreg + ".OpenKey", "[result 0 (registry.Key)]"},
		{"windows", xmgr + ".Connect", "[result 0 (*mgr.Mgr)]"},
		{"windows", xwin + ".CloseHandle", "[]"},
		{"windows", "syscall.Open", "[result 0 (syscall.Handle)]"},
		{"linux", "syscall.Open", "[result 0 (int)]"},
		{"linux", "golang.org/x/sys/unix.Accept", "[result 0 (int)]"},
		{"linux", "golang.org/x/sys/unix.OpenTree", "[result 0 (int)]"},
		{"linux", "golang.org/x/sys/unix.Pipe2", "[param 0 ([]int)]"},
		{"linux", "golang.org/x/sys/unix.Socketpair", "[result 0 ([2]int)]"},
		{"linux", "golang.org/x/sys/unix.Getpagesize", "[]"},
		{"linux", "golang.org/x/sys/unix.Read", "[]"},
		{"linux", "(*os.File).Fd", "[result 0 (uintptr)]"},
		{"linux", "(*net.conn).File", "[result 0 (*os.File)]"},
		{"linux", "os.Pipe", "[result 0 (*os.File) result 1 (*os.File)]"},
		{"windows", "os.OpenRoot", "[result 0 (*os.Root)]"},
		{"windows", "os.FindProcess", "[result 0 (*os.Process)]"},
	} {
		u := byGOOS[tc.goos]
		fn, ok := u.funcs[tc.fn]
		if !ok {
			t.Errorf("GOOS=%s: %s not found", tc.goos, tc.fn)
			continue
		}
		if got := fmt.Sprint(slots(fn, u.ruleFor(fn))); got != tc.want {
			t.Errorf("GOOS=%s: slots(%s) = %s, want %s", tc.goos, tc.fn, got, tc.want)
		}
	}
}

// reviewedElsewhere reports whether every rule of srcs is for a GOOS and
// name exists under a GOOS none of them names: the reviewed entry speaks
// of that GOOS (syscall.Syscall: rules for Linux, a procedure's raw call
// on Windows).
func reviewedElsewhere(us []*universe, name string, srcs []*rules.Source) bool {
	for _, u := range us {
		if u.funcs[name] == nil {
			continue
		}
		if !slices.ContainsFunc(srcs, func(src *rules.Source) bool { return src.GOOS == "" || src.GOOS == u.goos }) {
			return true
		}
	}
	return false
}
