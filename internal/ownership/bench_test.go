package ownership_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/handlecheck/handlecheck/internal/ownership"
)

// fakeOracle knows a few local functions: open() (h int, err error) and
// openTo(*int) error hand out an owned "fd", openPair element 0 of an
// array, borrow() int a borrowed one; close(h) releases an fd, closeSock(h)
// only a "sock", use(h) only uses it; pass(h, err) returns h, and
// check(h, err) returns h and err, as they are (Passes). Any other
// function a handle is passed to takes it over (hands it on).
type fakeOracle struct{}

// fakeEffects are what fakeOracle answers, made once: a real Oracle
// (package effects) keeps its answers per callee and per call, so that
// the engine, which asks again for a call at every block and tracker that
// reaches it, gets them without an allocation; so must the benchmark's.
var fakeEffects = map[string]ownership.Effects{
	"open":      {Acquires: []ownership.Acquire{{Result: 0, Out: ownership.NoOperand, ErrGate: true, Resource: "fd"}}},
	"openTo":    {Acquires: []ownership.Acquire{{Result: ownership.NoResult, Out: ownership.Arg(0), ErrGate: true, Resource: "fd"}}, UseOnly: true},
	"borrow":    {Acquires: []ownership.Acquire{{Result: 0, Out: ownership.NoOperand, Borrowed: true, Resource: "fd"}}},
	"openPair":  {Acquires: []ownership.Acquire{{Result: 0, Out: ownership.NoOperand, Part: ownership.Part{Kind: ownership.Elem, N: 0}, ErrGate: true, Resource: "fd"}}},
	"closeSock": {Releases: []ownership.Release{{Operand: 0, Resources: []string{"sock"}}}, UseOnly: true},
	"close":     {Releases: []ownership.Release{{Operand: 0, Resources: []string{"fd"}}}, UseOnly: true},
	"use":       {UseOnly: true},
	"pass":      {Passes: []ownership.Pass{{Operand: 0, Result: 0, Err: ownership.NoResult, ErrOperand: ownership.NoOperand}}},
	"check":     {Passes: []ownership.Pass{{Operand: 0, Result: 0, Err: 1, ErrOperand: 1}}},
}

func (fakeOracle) Effects(c *ssa.CallCommon) ownership.Effects {
	fn := c.StaticCallee()
	if fn == nil {
		return ownership.Effects{}
	}
	return fakeEffects[fn.Name()]
}

const prelude = `package p

func open() (int, error)
func openTo(*int) error
func borrow() int
func openPair() ([2]int, error)
func close(int) error
func closeSock(int) error
func use(int) bool
func pass(int, error) int
func check(int, error) (int, error)
func errOf() error
`

// build type-checks src and builds function f in SSA form.
func build(tb testing.TB, src string) *ssa.Function {
	tb.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		tb.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return pkg.Func("f")
}

// chain generates f with n handles, each opened, used under a branch and
// closed, in sequence: about 4n blocks.
func chain(n int) string {
	var b strings.Builder
	b.WriteString(prelude + "func f(c []bool) error {\n")
	for i := range n {
		fmt.Fprintf(&b, "\th%d, err := open()\n\tif err != nil {\n\t\treturn err\n\t}\n", i)
		fmt.Fprintf(&b, "\tif use(h%d) {\n\t\tclose(h%d)\n\t} else {\n\t\tclose(h%d)\n\t}\n", i, i, i)
	}
	b.WriteString("\treturn nil\n}\n")
	return b.String()
}

// loops generates f with d nested loops, each opening and deferring a
// close of its own handle: a deep loop nest with a long defer chain. Each
// level has its own variables (i, h, err), which go/ssa's lifting gives a
// phi at every enclosing loop header before it prunes the dead ones:
// O(d²) phis, so building f takes about 25 s of CPU and 1.3 GB at
// d = 1,250 (5,003 blocks) and more than 7 GB at d = 5,000. See nest for
// the same nest at 20,000 blocks.
func loops(d int) string {
	var b strings.Builder
	b.WriteString(prelude + "func f(n int) {\n")
	for i := range d {
		fmt.Fprintf(&b, "for i%d := 0; i%d < n; i%d++ {\n", i, i, i)
		fmt.Fprintf(&b, "h%d, err := open()\nif err != nil {\ncontinue\n}\ndefer close(h%d)\n", i, i)
	}
	b.WriteString(strings.Repeat("}\n", d) + "}\n")
	return b.String()
}

// nest generates f with d nested loops, each opening a handle, deferring
// its close and, after the loops inside it, using the handle in h, which
// carries the handles of the inner levels out of their loops:
//
//	var h int
//	var err error
//	for more() {
//		h, err = open()
//		if err != nil {
//			continue
//		}
//		defer close(h)
//		for more() {
//			... d-1 more levels
//		}
//		use(h)
//	}
//	use(h)
//
// It is the nest of loops (d loops each containing every inner block, d
// acquisitions each deferring a close, run again on every iteration of
// each enclosing loop), with the variables shared by the levels and
// conditions with no counter, so that go/ssa gives each header one phi
// per variable (O(d), built in under 1 s at 20,000 blocks). It asks
// more of the engine than loops: every handle is carried in the phis of
// h out through each enclosing loop (one phi per header, a slot each)
// instead of dying at its defer, so a tracker that followed its own
// handle out, or slots counted against a budget of a few thousand,
// would cost O(d²) or give up (both did).
func nest(d int) string {
	var b strings.Builder
	b.WriteString(prelude + "func more() bool\n\nfunc f() {\n\tvar h int\n\tvar err error\n")
	for range d {
		b.WriteString("for more() {\nh, err = open()\nif err != nil {\ncontinue\n}\ndefer close(h)\n")
	}
	b.WriteString(strings.Repeat("}\nuse(h)\n", d) + "}\n")
	return b.String()
}

// shared generates f with n handles that all flow through one variable
// and one loop: many handles whose paths merge.
func shared(n int) string {
	var b strings.Builder
	b.WriteString(prelude + "func f(c []bool) {\n\tvar last int\n\tfor _, x := range c {\n")
	for i := range n {
		fmt.Fprintf(&b, "\t\tif x {\n\t\t\th%d, err := open()\n\t\t\tif err == nil {\n\t\t\t\tif last != 0 {\n\t\t\t\t\tclose(last)\n\t\t\t\t}\n\t\t\t\tlast = h%d\n\t\t\t}\n\t\t}\n", i, i)
	}
	b.WriteString("\t}\n\tif last != 0 {\n\t\tclose(last)\n\t}\n}\n")
	return b.String()
}

// switchLoop generates f with one loop around a switch of n cases; each
// case opens a handle, closes the one in h and stores the new one in h:
// n handles merging through one loop-carried variable (issue 12).
func switchLoop(n int) string {
	var b strings.Builder
	b.WriteString(prelude + "func f(c []int) {\n\tvar h int\n\tfor _, x := range c {\n\t\tswitch x {\n")
	for i := range n {
		fmt.Fprintf(&b, "\t\tcase %d:\n\t\t\tg, err := open()\n\t\t\tif err != nil {\n\t\t\t\tcontinue\n\t\t\t}\n\t\t\tif h != 0 {\n\t\t\t\tclose(h)\n\t\t\t}\n\t\t\th = g\n", i)
	}
	b.WriteString("\t\t}\n\t}\n\tif h != 0 {\n\t\tclose(h)\n\t}\n}\n")
	return b.String()
}

// tokReuse generates f with one variable tok that n out-parameter
// acquisitions write to, each then used and closed (issue 12).
func tokReuse(n int) string {
	var b strings.Builder
	b.WriteString(prelude + "func f() {\n\tvar tok int\n")
	for range n {
		b.WriteString("\tif openTo(&tok) == nil {\n\t\tuse(tok)\n\t\tclose(tok)\n\t}\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// benchShapes are the generated functions BenchmarkEngine times: each
// shape at sizes growing 4x, up to about 20,000 blocks.
var benchShapes = []struct {
	name string
	src  func() string
}{
	{"chain/handles=62", func() string { return chain(62) }},
	{"chain/handles=250", func() string { return chain(250) }},
	{"chain/handles=1000", func() string { return chain(1000) }},
	{"chain/handles=4000", func() string { return chain(4000) }},
	{"loops/depth=20", func() string { return loops(20) }},
	{"loops/depth=78", func() string { return loops(78) }},
	{"loops/depth=312", func() string { return loops(312) }},
	{"loops/depth=1250", func() string { return loops(1250) }},
	{"nest/depth=20", func() string { return nest(20) }},
	{"nest/depth=78", func() string { return nest(78) }},
	{"nest/depth=312", func() string { return nest(312) }},
	{"nest/depth=1250", func() string { return nest(1250) }},
	{"nest/depth=5000", func() string { return nest(5000) }},
	{"shared/handles=16", func() string { return shared(16) }},
	{"shared/handles=63", func() string { return shared(63) }},
	{"shared/handles=250", func() string { return shared(250) }},
	{"shared/handles=1000", func() string { return shared(1000) }},
	{"shared/handles=4000", func() string { return shared(4000) }},
	{"switchloop/cases=16", func() string { return switchLoop(16) }},
	{"switchloop/cases=63", func() string { return switchLoop(63) }},
	{"switchloop/cases=250", func() string { return switchLoop(250) }},
	{"switchloop/cases=1000", func() string { return switchLoop(1000) }},
	{"switchloop/cases=4000", func() string { return switchLoop(4000) }},
	{"tokreuse/uses=156", func() string { return tokReuse(156) }},
	{"tokreuse/uses=625", func() string { return tokReuse(625) }},
	{"tokreuse/uses=2500", func() string { return tokReuse(2500) }},
	{"tokreuse/uses=10000", func() string { return tokReuse(10000) }},
}

// BenchmarkEngine times Analyze on each shape in a process whose live
// heap is little more than the function's SSA (1-30 MB). It fails if the
// engine gives a handle up.
func BenchmarkEngine(b *testing.B) { benchEngine(b) }

// liveHeap is the live heap BenchmarkEngineLiveHeap holds: about what a
// real handlecheck run holds while it analyzes a function (the package's
// and its imports' types and syntax, x/sys, their SSA: tens to hundreds
// of MB; the corpus runs peak at 150-700 MB RSS, EVALUATION.md).
const liveHeap = 256 << 20

// BenchmarkEngineLiveHeap is BenchmarkEngine with liveHeap bytes held
// live, so that the collector paces itself as it does in a real run:
// below its 4 MB minimum heap goal, BenchmarkEngine's process collects
// once per 4 MB allocated whatever the heap it marks, which grows with
// the function, a cost that grows as size² until the heap passes a few
// MB. What is held is one pointer-free block: it sets the heap goal
// (cycles once per ~256 MB allocated) but costs nothing to mark, so this
// leaves out the marking of a real live heap, which over many functions
// is linear in what the engine allocates (cycles in proportion to
// allocation / live heap, each in proportion to the live heap). Read it
// beside BenchmarkEngine, never instead of it.
func BenchmarkEngineLiveHeap(b *testing.B) {
	held := make([]byte, liveHeap) // never written: no page of it is touched
	benchEngine(b)
	runtime.KeepAlive(held)
}

func benchEngine(b *testing.B) {
	for _, c := range benchShapes {
		b.Run(c.name, func(b *testing.B) {
			fn := build(b, c.src()) // before b.Loop, which resets the timer
			// The build's garbage out of the CPU time, and its freed heap
			// given back to the OS now (go/ssa takes 1.3 GB building
			// loops/depth=1250; the scavenger returning it in the
			// background would be counted as the engine's CPU time).
			debug.FreeOSMemory()
			var n int
			var cpu0 int64
			m0 := make([]metrics.Sample, len(benchMetrics))
			b.ReportAllocs()
			for b.Loop() {
				if cpu0 == 0 {
					cpu0 = cpuTime() // after b.Loop's first call resets the timer
					readMetrics(m0)
				}
				res := ownership.Analyze(fn, fakeOracle{})
				n = len(res.Findings)
				if len(res.GivenUp) > 0 {
					b.Fatalf("%d handles given up, first: %s", len(res.GivenUp), res.GivenUp[0].Reason)
				}
			}
			cpu1 := cpuTime()
			// The runtime's CPU classes are a snapshot taken at the end
			// of each collection (runtime/metrics.go, cpuStatsAggregate):
			// one now brings them up to date, as FreeOSMemory's did before
			// the loop; what it costs, measured by a second one (of the
			// same live heap, with nothing allocated between), is not the
			// loop's.
			m1 := make([]metrics.Sample, len(benchMetrics))
			m2 := make([]metrics.Sample, len(benchMetrics))
			runtime.GC()
			readMetrics(m1)
			runtime.GC()
			readMetrics(m2)
			b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			for i, bm := range benchMetrics {
				forced := metricValue(m2[i]) - metricValue(m1[i])
				b.ReportMetric(bm.scale*(metricValue(m1[i])-metricValue(m0[i])-forced)/float64(b.N), bm.unit)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fn.Blocks)), "ns/block")
			b.ReportMetric(float64(len(fn.Blocks)), "blocks")
			b.ReportMetric(float64(n), "findings")
		})
	}
}

// benchMetrics are the runtime's own counters benchEngine reports per op,
// read around the timed loop (after b.Loop's first call, as cpu-ns/op).
// The CPU classes are the runtime's estimates of P time, GOMAXPROCS
// integrated over the wall clock and split by what each P ran: user Go
// code, the collector (its workers and the assists of user goroutines),
// not time the OS gave the thread, so a P whose thread waits for a core
// is counted all the same (compare cpu-ns/op, from getrusage); and they
// move only at the end of a collection, so that benchEngine collects
// before reading them (and takes out what that collection costs).
var benchMetrics = []struct {
	name, unit string
	scale      float64
}{
	{"/cpu/classes/user:cpu-seconds", "user-ns/op", 1e9},
	{"/cpu/classes/gc/total:cpu-seconds", "gc-ns/op", 1e9},
	{"/gc/cycles/total:gc-cycles", "gc/op", 1},
}

func readMetrics(s []metrics.Sample) {
	for i, bm := range benchMetrics {
		s[i].Name = bm.name
	}
	metrics.Read(s)
}

func metricValue(s metrics.Sample) float64 {
	switch s.Value.Kind() {
	case metrics.KindFloat64:
		return s.Value.Float64()
	case metrics.KindUint64:
		return float64(s.Value.Uint64())
	}
	return 0
}

// TestGenerated checks what the engine says about the generated functions
// the benchmark times: no findings for correct code, and the expected leak
// when one close is removed.
func TestGenerated(t *testing.T) {
	for name, src := range map[string]string{"chain": chain(50), "loops": loops(20), "nest": nest(50), "shared": shared(20),
		"switchloop": switchLoop(300), "tokreuse": tokReuse(1000)} {
		if got := ownership.Analyze(build(t, src), fakeOracle{}).Findings; len(got) != 0 {
			t.Errorf("%s: %d findings on correct code, first %v", name, len(got), got[0].Kind)
		}
	}
	leaky := strings.Replace(chain(50), "\t} else {\n\t\tclose(h7)\n", "\t} else {\n", 1)
	got := ownership.Analyze(build(t, leaky), fakeOracle{}).Findings
	if len(got) != 1 || got[0].Kind != ownership.Leak {
		t.Fatalf("leaky chain: got %d findings, want one leak", len(got))
	}

	// One level of the nest forgets its defer: that handle leaks (lost
	// where the next level overwrites h, or the acquisition runs again).
	// Another closes the handle in h after the loops inside it, which the
	// defers of the inner levels (or its own) close again at exit: one
	// double release, whichever handle h holds there. The handles are
	// carried out of the nest in h, through the continuations they share.
	lines0 := strings.Count(prelude, "\n") + 5 // func more, func f and its variables before the nest
	leakyNest := nest(50)
	i := nthIndex(leakyNest, "defer close(h)\n", 24)
	leakyNest = leakyNest[:i] + leakyNest[i+len("defer close(h)\n"):]
	fn := build(t, leakyNest)
	res := ownership.Analyze(fn, fakeOracle{})
	if len(res.Findings) != 1 || res.Findings[0].Kind != ownership.Leak || len(res.GivenUp) != 0 {
		t.Errorf("leaky nest: got %d findings and %d given up, want one leak and none", len(res.Findings), len(res.GivenUp))
	} else if pos, want := fn.Prog.Fset.Position(res.Findings[0].Pos), lines0+24*6+2; pos.Line != want { // 24 levels of 6 lines, for more()
		t.Errorf("leaky nest: leak reported on line %d, want %d", pos.Line, want)
	}
	doubleNest := nest(50)
	i = nthIndex(doubleNest, "use(h)\n", 20) + len("use(h)\n") // after the loop of level 30 of 50
	doubleNest = doubleNest[:i] + "close(h)\n" + doubleNest[i:]
	fn = build(t, doubleNest)
	res = ownership.Analyze(fn, fakeOracle{})
	if len(res.Findings) != 1 || res.Findings[0].Kind != ownership.DoubleRelease || len(res.GivenUp) != 0 {
		t.Errorf("double nest: got %d findings and %d given up, want one double release and none", len(res.Findings), len(res.GivenUp))
	} else if pos, want := fn.Prog.Fset.Position(res.Findings[0].Pos), lines0+50*6+21*2+1; pos.Line != want {
		t.Errorf("double nest: double release reported on line %d, want %d", pos.Line, want)
	}

	// Every case of the switch loop forgets to close the old handle: all
	// 300 leak (each is overwritten in h), and none is given up.
	leakySwitch := strings.ReplaceAll(switchLoop(300), "\t\t\tif h != 0 {\n\t\t\t\tclose(h)\n\t\t\t}\n", "")
	res = ownership.Analyze(build(t, leakySwitch), fakeOracle{})
	if len(res.Findings) != 300 || len(res.GivenUp) != 0 {
		t.Errorf("leaky switch loop: got %d findings and %d given up, want 300 leaks and none", len(res.Findings), len(res.GivenUp))
	}
	for _, f := range res.Findings {
		if f.Kind != ownership.Leak {
			t.Errorf("leaky switch loop: got a %v, want only leaks", f.Kind)
			break
		}
	}

	// Sequential ifs through one variable, one of which overwrites last
	// without closing it: whichever handle last holds there leaks, and
	// each of the 200 can (on a later iteration, when the ifs after it
	// did not run). The continuations the handles share must keep that.
	leakyShared := shared(200)
	i = nthIndex(leakyShared, "\t\t\t\t\tclose(last)\n", 99)
	leakyShared = leakyShared[:i] + leakyShared[i+len("\t\t\t\t\tclose(last)\n"):]
	res = ownership.Analyze(build(t, leakyShared), fakeOracle{})
	if len(res.Findings) != 200 || len(res.GivenUp) != 0 {
		t.Errorf("leaky shared: got %d findings and %d given up, want 200 leaks and none", len(res.Findings), len(res.GivenUp))
	}
	for _, f := range res.Findings {
		if f.Kind != ownership.Leak || !f.Lost {
			t.Errorf("leaky shared: got a %v (lost %v), want only leaks where the handle is overwritten", f.Kind, f.Lost)
			break
		}
	}

	// The 500th of 1000 uses of tok forgets its close: found, nothing
	// given up (the old engine gave up at about 65 uses).
	src := tokReuse(1000)
	i = nthIndex(src, "\t\tclose(tok)\n", 499)
	src = src[:i] + src[i+len("\t\tclose(tok)\n"):]
	fn = build(t, src)
	res = ownership.Analyze(fn, fakeOracle{})
	if len(res.Findings) != 1 || res.Findings[0].Kind != ownership.Leak || len(res.GivenUp) != 0 {
		t.Fatalf("tok reused: got %d findings and %d given up, want one leak and none", len(res.Findings), len(res.GivenUp))
	}
	pos := fn.Prog.Fset.Position(res.Findings[0].Pos)
	if want := strings.Count(prelude, "\n") + 3 + 499*4; pos.Line != want { // prelude, func f, var tok, 499 uses
		t.Errorf("tok reused: leak reported on line %d, want %d", pos.Line, want)
	}
}

// nthIndex returns the index of the (n+1)th occurrence of sub in s.
func nthIndex(s, sub string, n int) int {
	i := strings.Index(s, sub)
	for range n {
		i += 1 + strings.Index(s[i+1:], sub)
	}
	return i
}
