package driver

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"log"
	"net/url"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// This file is the driver's own loader and checker. It does what packages.Load in LoadAllSyntax mode followed by
// checker.Analyze does, with the same passes, facts and errors, but one
// package at a time: a package is parsed and type-checked once the
// packages it imports are analyzed, all analyzers are run on it, and then
// its syntax, its types.Info and the analyzers' results (the inspector,
// the CFGs, SSA) are dropped. Only its types and its facts outlive it, and
// only until every package that imports it has been analyzed (its types
// then live on as long as its importers' types refer to them). With test
// variants, which repeat a package and its importers for each test, that
// frees each test's packages once the test's main package is analyzed.
// packages.Load would hold the syntax and types.Info of the whole
// dependency graph at once, and checker.Analyze every pass's results and a
// copy of all facts per package until the end.

// listMode is what analyzeSource needs of the go command: the listing
// that packages.LoadAllSyntax makes (the same go list invocation), without
// parsing or type-checking anything.
const listMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedDeps | packages.NeedTypesSizes | packages.NeedModule

// A srcPackage is one package of the graph being analyzed from source.
type srcPackage struct {
	p         *packages.Package
	imports   []*srcPackage // distinct, in the order of their import paths
	importers []*srcPackage
	acts      []*action // requirements before the analyzers that require them
	root      *action   // the action of the analyzer asked for, on a root package

	// Under graph.mu:
	waiting int // imports not analyzed yet
	users   int // importers not analyzed yet
	order   int // n's place in a depth-first postorder from the roots

	types    *types.Package
	illTyped bool
	// findings are the root action's diagnostics, converted while the
	// syntax was there.
	findings []Finding
	// givenUp are the handles the root action's result says it gave up
	// (see Result.GivenUp), converted in the same way.
	givenUp []Finding
}

// An action is one analyzer on one package, as in checker.Analyze.
type action struct {
	a    *analysis.Analyzer
	pkg  *srcPackage
	deps []*action // the requirements on pkg, then the same analyzer on the imports
	err  error

	result       any // until pkg is analyzed
	objectFacts  map[objectFactKey]analysis.Fact
	packageFacts map[packageFactKey]analysis.Fact
	diags        []analysis.Diagnostic
}

func (act *action) String() string { return fmt.Sprintf("%s@%s", act.a, act.pkg.p) }

type objectFactKey struct {
	obj types.Object
	typ reflect.Type
}

type packageFactKey struct {
	pkg *types.Package
	typ reflect.Type
}

// A graph is the packages being analyzed from source.
type graph struct {
	fset  *token.FileSet
	pkgs  map[*packages.Package]*srcPackage
	roots []*srcPackage

	mu    sync.Mutex
	cond  *sync.Cond
	ready []*srcPackage
	left  int // packages not analyzed yet
}

// analyzeSource runs a on the root packages of a listing made with
// listMode, and on all the packages they depend on, from source. The
// parse and type errors are added to each package's Errors, as
// packages.Load adds them. It returns the root actions, in the order of
// roots.
func analyzeSource(a *analysis.Analyzer, roots []*packages.Package) []*action {
	g := &graph{fset: token.NewFileSet(), pkgs: map[*packages.Package]*srcPackage{}}
	g.cond = sync.NewCond(&g.mu)
	var node func(p *packages.Package) *srcPackage
	order := 0
	node = func(p *packages.Package) *srcPackage {
		if n, ok := g.pkgs[p]; ok {
			return n
		}
		n := &srcPackage{p: p}
		g.pkgs[p] = n
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			imp := node(p.Imports[path])
			if !slices.Contains(n.imports, imp) {
				n.imports = append(n.imports, imp)
				imp.importers = append(imp.importers, n)
			}
		}
		n.order = order
		order++
		return n
	}
	for _, p := range roots {
		g.roots = append(g.roots, node(p))
	}

	// The actions, as checker.Analyze makes them: an analyzer's
	// requirements on the same package, and, for an analyzer with facts,
	// the same analyzer on each package imported (by sorted import path).
	type key struct {
		a *analysis.Analyzer
		n *srcPackage
	}
	actions := map[key]*action{}
	var mkAction func(a *analysis.Analyzer, n *srcPackage) *action
	mkAction = func(a *analysis.Analyzer, n *srcPackage) *action {
		k := key{a, n}
		if act, ok := actions[k]; ok {
			return act
		}
		act := &action{a: a, pkg: n}
		for _, req := range a.Requires {
			act.deps = append(act.deps, mkAction(req, n))
		}
		if len(a.FactTypes) > 0 {
			paths := make([]string, 0, len(n.p.Imports))
			for path := range n.p.Imports {
				paths = append(paths, path)
			}
			sort.Strings(paths)
			for _, path := range paths {
				act.deps = append(act.deps, mkAction(a, g.pkgs[n.p.Imports[path]]))
			}
		}
		actions[k] = act
		n.acts = append(n.acts, act) // after its requirements on n
		return act
	}
	var out []*action
	for _, n := range g.roots {
		n.root = mkAction(a, n)
		out = append(out, n.root)
	}

	for _, n := range g.pkgs {
		n.waiting = len(n.imports)
		n.users = len(n.importers)
		if n.waiting == 0 {
			g.ready = append(g.ready, n)
		}
	}
	g.left = len(g.pkgs)

	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := g.next(); n != nil; n = g.next() {
				g.analyze(n)
				g.done(n)
			}
		}()
	}
	wg.Wait()
	return out
}

// next waits for a package whose imports are all analyzed and returns it:
// the first in a depth-first postorder from the roots. That finishes one
// root's dependencies (a test variant's family, say) before it starts on
// the next one's, so that few packages wait for importers at a time and
// their facts and types can be dropped early. It returns nil when all are
// analyzed.
func (g *graph) next() *srcPackage {
	g.mu.Lock()
	defer g.mu.Unlock()
	for len(g.ready) == 0 {
		if g.left == 0 {
			return nil
		}
		g.cond.Wait()
	}
	best := 0
	for i, n := range g.ready {
		b := g.ready[best]
		if n.order < b.order {
			best = i
		}
	}
	n := g.ready[best]
	g.ready = slices.Delete(g.ready, best, best+1)
	return n
}

// done records that n is analyzed: its importers may be ready, and the
// facts of the packages that have no importer left to inherit them are
// dropped.
func (g *graph) done(n *srcPackage) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, up := range n.importers {
		if up.waiting--; up.waiting == 0 {
			g.ready = append(g.ready, up)
		}
	}
	for _, imp := range n.imports {
		if imp.users--; imp.users == 0 {
			imp.drop()
		}
	}
	if n.users == 0 {
		n.drop()
	}
	g.left--
	g.cond.Broadcast()
}

// drop forgets n's facts and types once every package that imports n has
// been analyzed: n's types stay only as long as its importers' types
// refer to them.
func (n *srcPackage) drop() {
	n.types = nil
	for _, act := range n.acts {
		act.objectFacts = nil
		act.packageFacts = nil
	}
}

// analyze parses and type-checks n, as packages.Load does, and runs its
// actions, as checker.Analyze does. Then it drops all but n's types and
// facts.
func (g *graph) analyze(n *srcPackage) {
	p := n.p
	var files []*ast.File
	var info *types.Info
	if p.PkgPath == "unsafe" {
		n.types = types.Unsafe
		info = newTypesInfo()
	} else {
		files, info = g.check(n)
	}
	p.IllTyped = n.illTyped

	for _, act := range n.acts {
		act.exec(g.fset, files, info)
	}
	if r := n.root; r != nil {
		for _, d := range r.diags {
			n.findings = append(n.findings, newFinding(r.a, p.ID, g.fset, files, d))
		}
		if gu, ok := r.result.(interface{ GivenUpDiagnostics() []analysis.Diagnostic }); ok {
			for _, d := range gu.GivenUpDiagnostics() {
				n.givenUp = append(n.givenUp, newFinding(r.a, p.ID, g.fset, files, d))
			}
		}
	}
	for _, act := range n.acts {
		act.result = nil
		act.diags = nil
	}
}

// check parses and type-checks n as packages.Load does in LoadAllSyntax
// mode, with the same errors in the same order.
func (g *graph) check(n *srcPackage) ([]*ast.File, *types.Info) {
	p := n.p
	n.types = types.NewPackage(p.PkgPath, p.Name)
	var typeErrors []types.Error
	appendError := func(err error) {
		switch err := err.(type) {
		case *os.PathError:
			p.Errors = append(p.Errors, packages.Error{Pos: err.Path + ":1", Msg: err.Err.Error(), Kind: packages.ParseError})
		case scanner.ErrorList:
			for _, err := range err {
				p.Errors = append(p.Errors, packages.Error{Pos: err.Pos.String(), Msg: err.Msg, Kind: packages.ParseError})
			}
		case types.Error:
			typeErrors = append(typeErrors, err)
			p.Errors = append(p.Errors, packages.Error{Pos: err.Fset.Position(err.Pos).String(), Msg: err.Msg, Kind: packages.TypeError})
		default:
			p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
		}
	}

	var files []*ast.File
	for _, name := range p.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			appendError(err)
			continue
		}
		f, err := parser.ParseFile(g.fset, name, src, parser.AllErrors|parser.ParseComments)
		if f != nil {
			files = append(files, f)
		}
		if err != nil {
			appendError(err)
		}
	}

	info := newTypesInfo()
	tc := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			imp := p.Imports[path]
			if imp == nil {
				// Cycles and packages missing from the listing, which
				// packages.Load words as "import cycle" or "missing package".
				return nil, fmt.Errorf("no metadata for %s", path)
			}
			return g.pkgs[imp].types, nil
		}),
		Error: appendError,
		Sizes: p.TypesSizes,
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		tc.GoVersion = "go" + p.Module.GoVersion
	}
	typErr := types.NewChecker(tc, g.fset, n.types, info).Files(files)
	if typErr != nil && len(p.Errors) == 0 && len(files) > 0 {
		if msg := typErr.Error(); strings.HasPrefix(msg, "package requires newer Go version") {
			appendError(types.Error{Fset: g.fset, Pos: files[0].Package, Msg: msg})
		}
	}
	if typErr != nil && len(p.Errors) == 0 {
		appendError(typErr)
	}
	p.TypeErrors = append(p.TypeErrors, typeErrors...)
	n.illTyped = len(p.Errors) > 0
	for _, imp := range n.imports {
		if imp.illTyped {
			n.illTyped = true
		}
	}
	return files, info
}

func newTypesInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// exec runs the action, as the checker's Action.execOnce does.
func (act *action) exec(fset *token.FileSet, files []*ast.File, info *types.Info) {
	var failed []string
	for _, dep := range act.deps {
		if dep.err != nil {
			failed = append(failed, dep.String())
		}
	}
	if failed != nil {
		sort.Strings(failed)
		act.err = fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
		return
	}

	inputs := map[*analysis.Analyzer]any{}
	act.objectFacts = map[objectFactKey]analysis.Fact{}
	act.packageFacts = map[packageFactKey]analysis.Fact{}
	for _, dep := range act.deps {
		if dep.pkg == act.pkg {
			inputs[dep.a] = dep.result
		} else {
			act.inheritFacts(dep)
		}
	}

	p := act.pkg.p
	module := &analysis.Module{}
	if p.Module != nil {
		module = analysisModule(p.Module)
	}
	pass := &analysis.Pass{
		Analyzer:     act.a,
		Fset:         fset,
		Files:        files,
		OtherFiles:   p.OtherFiles,
		IgnoredFiles: p.IgnoredFiles,
		Pkg:          act.pkg.types,
		TypesInfo:    info,
		TypesSizes:   p.TypesSizes,
		TypeErrors:   p.TypeErrors,
		Module:       module,
		ResultOf:     inputs,
		Report:       func(d analysis.Diagnostic) { act.diags = append(act.diags, d) },

		ImportObjectFact:  act.objectFact,
		ImportPackageFact: act.packageFact,
		AllObjectFacts:    act.allObjectFacts,
		AllPackageFacts:   act.allPackageFacts,
	}
	pass.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
		if pass.ExportObjectFact == nil {
			log.Panicf("%s: Pass.ExportObjectFact(%s, %T) called after Run", act, obj, fact)
		}
		if obj.Pkg() != act.pkg.types {
			log.Panicf("internal error: in analysis %s of package %s: Fact.Set(%s, %T): can't set facts on objects belonging another package", act.a, p, obj, fact)
		}
		act.objectFacts[objectFactKey{obj, factType(fact)}] = fact
	}
	pass.ExportPackageFact = func(fact analysis.Fact) {
		if pass.ExportPackageFact == nil {
			log.Panicf("%s: Pass.ExportPackageFact(%T) called after Run", act, fact)
		}
		act.packageFacts[packageFactKey{act.pkg.types, factType(fact)}] = fact
	}
	pass.ReadFile = func(filename string) ([]byte, error) {
		readable := slices.Contains(pass.OtherFiles, filename) || slices.Contains(pass.IgnoredFiles, filename) ||
			slices.ContainsFunc(files, func(f *ast.File) bool { return fset.File(f.FileStart).Name() == filename })
		if !readable {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", filename)
		}
		return os.ReadFile(filename)
	}

	act.result, act.err = func() (any, error) {
		if act.pkg.illTyped && !act.a.RunDespiteErrors {
			return nil, fmt.Errorf("analysis skipped due to errors in package")
		}
		result, err := act.a.Run(pass)
		if err != nil {
			return nil, err
		}
		if got, want := reflect.TypeOf(result), act.a.ResultType; got != want {
			return nil, fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v",
				pass.Pkg.Path(), pass.Analyzer, got, want)
		}
		for i := range act.diags {
			u, err := diagnosticURL(act.a, act.diags[i])
			if err != nil {
				return nil, err
			}
			act.diags[i].URL = u
		}
		return result, nil
	}()
	pass.ExportObjectFact = nil
	pass.ExportPackageFact = nil
}

// inheritFacts adds the facts of dep, on a package that act's package
// imports, to act's, leaving out those on objects that cannot be seen
// from act's package, as the checker does.
func (act *action) inheritFacts(dep *action) {
	for key, fact := range dep.objectFacts {
		if exportedFrom(key.obj, dep.pkg.types) {
			act.objectFacts[key] = fact
		}
	}
	for key, fact := range dep.packageFacts {
		act.packageFacts[key] = fact
	}
}

// exportedFrom is the checker's over-approximation of whether obj may be
// visible to a package that imports pkg.
func exportedFrom(obj types.Object, pkg *types.Package) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Exported() && obj.Pkg() == pkg || obj.Signature().Recv() != nil
	case *types.Var:
		if obj.IsField() {
			return true
		}
		return obj.Pkg() == pkg
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}

func factType(fact analysis.Fact) reflect.Type {
	t := reflect.TypeOf(fact)
	if t.Kind() != reflect.Pointer {
		log.Fatalf("invalid Fact type: got %T, want pointer", fact)
	}
	return t
}

func (act *action) objectFact(obj types.Object, ptr analysis.Fact) bool {
	if obj == nil {
		panic("nil object")
	}
	if v, ok := act.objectFacts[objectFactKey{obj, factType(ptr)}]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
		return true
	}
	return false
}

func (act *action) packageFact(pkg *types.Package, ptr analysis.Fact) bool {
	if pkg == nil {
		panic("nil package")
	}
	if v, ok := act.packageFacts[packageFactKey{pkg, factType(ptr)}]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
		return true
	}
	return false
}

func (act *action) allObjectFacts() []analysis.ObjectFact {
	facts := make([]analysis.ObjectFact, 0, len(act.objectFacts))
	for k, fact := range act.objectFacts {
		facts = append(facts, analysis.ObjectFact{Object: k.obj, Fact: fact})
	}
	return facts
}

func (act *action) allPackageFacts() []analysis.PackageFact {
	facts := make([]analysis.PackageFact, 0, len(act.packageFacts))
	for k, fact := range act.packageFacts {
		facts = append(facts, analysis.PackageFact{Package: k.pkg, Fact: fact})
	}
	return facts
}

// diagnosticURL is the diagnostic's URL as the checker resolves it: its
// own, or "#" and its category, against the analyzer's.
func diagnosticURL(a *analysis.Analyzer, d analysis.Diagnostic) (string, error) {
	if d.URL == "" && d.Category == "" && a.URL == "" {
		return "", nil
	}
	raw := d.URL
	if d.URL == "" && d.Category != "" {
		raw = "#" + d.Category
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid Diagnostic.URL %q: %s", raw, err)
	}
	base, err := url.Parse(a.URL)
	if err != nil {
		return "", fmt.Errorf("invalid Analyzer.URL %q: %s", a.URL, err)
	}
	return base.ResolveReference(u).String(), nil
}

func analysisModule(mod *packages.Module) *analysis.Module {
	if mod == nil {
		return nil
	}
	var modErr *analysis.ModuleError
	if mod.Error != nil {
		modErr = &analysis.ModuleError{Err: mod.Error.Err}
	}
	return &analysis.Module{
		Path:      mod.Path,
		Version:   mod.Version,
		Replace:   analysisModule(mod.Replace),
		Time:      mod.Time,
		Main:      mod.Main,
		Indirect:  mod.Indirect,
		Dir:       mod.Dir,
		GoMod:     mod.GoMod,
		GoVersion: mod.GoVersion,
		Error:     modErr,
	}
}
