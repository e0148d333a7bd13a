// Command sidebyside measures handlecheck next to staticcheck and go vet,
// as CI runs them: a cold run (fresh caches for all three: the go
// command's build cache and the tool's own) and a warm run (the same
// command again, nothing changed), for each target. It writes a Markdown
// table of wall time, CPU time (user+sys) and peak RSS (getrusage of the
// process tree, what /usr/bin/time -v prints), with the load average of
// the machine before each run.
//
// Usage, from the eval directory:
//
//	go run ./cmd/sidebyside [-targets std,module,corpus] [-modules NAME,...] [-goos windows,linux] [-tools handlecheck,staticcheck,vet] [-n] [-o table.md] [-json results.json] [-logs dir]
//
// -tools leaves tools out (handlecheck always runs: the ratios are to it);
// go vet's cold run of std alone takes about 650 s of CPU.
//
// The targets:
//
//   - std: the standard library, GOOS=windows, test files off where the
//     tool can turn them off (go vet cannot);
//   - module: one corpus module's package, github.com/kardianos/service,
//     GOOS=windows, test files on;
//   - corpus: every module of the corpus (internal/corpus, the modules
//     evalrun runs; std is the std target), for each GOOS of -goos, test
//     files on, the packages given as evalrun gives them. -modules takes a
//     subset.
//
// For the corpus, each module and GOOS is one unit: the three tools' cold
// runs one after the other, then their warm runs in the same order, the
// order rotated from one unit to the next so that a drift of the
// machine's load does not always fall on the same tool. The table has a
// row per unit and tool, then sums (wall, CPU) and medians and maxima
// (RSS) per tool, and ratios to handlecheck per unit.
//
// handlecheck is built from the repository, staticcheck v0.8.2 installed
// from the module proxy into a temporary directory.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/handlecheck/handlecheck/eval/internal/corpus"
	"github.com/handlecheck/handlecheck/eval/internal/hcrun"
)

const staticcheckVersion = "v0.8.2"

// A unit is what the tools run on once cold and once warm.
type unit struct {
	name string
	goos string
	// args per tool, after the tool's name.
	hc, sc, vet []string
	note        string
	// noCacheRow adds a row for handlecheck -cache=false.
	noCacheRow bool
	packages   int
}

var fixed = []unit{
	{
		name:       "std",
		goos:       "windows",
		hc:         []string{"-goos=windows", "-test=false", "std"},
		sc:         []string{"-tests=false", "std"},
		vet:        []string{"vet", "std"},
		note:       "GOOS=windows; test files off for handlecheck and staticcheck (go vet has no such flag)",
		noCacheRow: true,
	},
	{
		name:       "module",
		goos:       "windows",
		hc:         []string{"-goos=windows", "github.com/kardianos/service"},
		sc:         []string{"github.com/kardianos/service"},
		vet:        []string{"vet", "github.com/kardianos/service"},
		note:       "github.com/kardianos/service v1.3.0 (one package), GOOS=windows, test files on",
		noCacheRow: true,
	},
}

// A Measure is one run of one tool.
type Measure struct {
	WallS     float64 `json:"wall_s"`
	CPUS      float64 `json:"cpu_s"`       // user+sys of the process tree
	MaxRSSMB  float64 `json:"max_rss_mb"`  // largest process (rusage)
	TreeRSSMB float64 `json:"tree_rss_mb"` // largest sum over the process group (sampled)
	Exit      int     `json:"exit"`
	TimedOut  bool    `json:"timed_out,omitempty"`
	Load      float64 `json:"load1_before"`
	Log       string  `json:"log"` // base name of the .stdout and .stderr files
}

// A Row is one tool on one unit.
type Row struct {
	Unit     string   `json:"unit"`
	GOOS     string   `json:"goos"`
	Packages int      `json:"packages,omitempty"`
	Tool     string   `json:"tool"`
	Args     []string `json:"args"`
	Cold     Measure  `json:"cold"`
	Warm     Measure  `json:"warm"`
}

type tool struct {
	name string
	bin  string
	args func(u *unit) []string
	// env is the tool's own cache setting, for a cache directory.
	env func(dir string) []string
}

var (
	flagTargets = flag.String("targets", "std,module", "comma-separated targets: std, module, corpus")
	flagOnly    = flag.String("only", "", "old name of -targets")
	flagModules = flag.String("modules", "", "with -targets corpus: comma-separated corpus `names` (default: every module)")
	flagGOOS    = flag.String("goos", strings.Join(corpus.GOOSes, ","), "with -targets corpus: comma-separated `GOOS` values")
	flagOut     = flag.String("o", "", "write the Markdown tables to `file` too")
	flagJSON    = flag.String("json", "", "write every measure to `file` (JSON)")
	flagLogs    = flag.String("logs", "", "keep each run's stdout and stderr in `dir` (default: a temporary directory, removed)")
	flagHC      = flag.String("handlecheck", "", "handlecheck binary; built from the repository when empty")
	flagSC      = flag.String("staticcheck", "", "staticcheck binary; staticcheck "+staticcheckVersion+" installed into a temporary directory when empty")
	flagRender  = flag.String("render", "", "only print the tables of the -json `file` of an earlier run (one cut short, say)")
	flagList    = flag.Bool("n", false, "print the units and their commands, run nothing")
	flagTimeout = flag.Duration("timeout", 30*time.Minute, "time limit of one run")
	flagTools   = flag.String("tools", "handlecheck,staticcheck,vet", "comma-separated `tools` to run: handlecheck, staticcheck, vet (handlecheck always runs)")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("sidebyside: ")
	flag.Parse()
	if _, err := os.Stat("internal/corpus"); err != nil {
		log.Fatal("run from the eval directory: cd eval && go run ./cmd/sidebyside")
	}
	if *flagRender != "" {
		data, err := os.ReadFile(*flagRender)
		if err != nil {
			log.Fatal(err)
		}
		var rows []*Row
		if err := json.Unmarshal(data, &rows); err != nil {
			log.Fatalf("%s: %v", *flagRender, err)
		}
		fmt.Print(render(time.Time{}, nil, rows))
		return
	}
	targets := *flagTargets
	if *flagOnly != "" {
		targets = *flagOnly
	}
	runs := listFlag("-tools", "tool", *flagTools, "handlecheck", "staticcheck", "vet")
	runs["handlecheck"] = true
	want := listFlag("-targets", "target", targets, "std", "module", "corpus")

	tmp, err := os.MkdirTemp("", "sidebyside")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	logDir := filepath.Join(tmp, "logs")
	if *flagLogs != "" {
		logDir = *flagLogs
	}
	if logDir, err = filepath.Abs(logDir); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		log.Fatal(err)
	}

	var units []*unit
	for i := range fixed {
		if want[fixed[i].name] {
			units = append(units, &fixed[i])
		}
	}
	if want["corpus"] {
		us, err := corpusUnits()
		if err != nil {
			log.Fatal(err)
		}
		units = append(units, us...)
	}

	if *flagList {
		for _, u := range units {
			fmt.Printf("%s GOOS=%s (%d packages)\n\thandlecheck %s\n\tstaticcheck %s\n\tgo %s\n", u.name, u.goos, u.packages, strings.Join(u.hc, " "), strings.Join(u.sc, " "), strings.Join(u.vet, " "))
		}
		return
	}
	hc, sc := *flagHC, *flagSC
	if hc == "" {
		hc = filepath.Join(tmp, "handlecheck")
		mustRun("..", nil, "go", "build", "-o", hc, "./cmd/handlecheck")
	}
	if sc == "" && runs["staticcheck"] {
		bin := filepath.Join(tmp, "bin")
		mustRun(tmp, []string{"GOBIN=" + bin, "GOFLAGS=-mod=mod"}, "go", "install", "honnef.co/go/tools/cmd/staticcheck@"+staticcheckVersion)
		sc = filepath.Join(bin, "staticcheck")
	}
	tools := []tool{
		{"handlecheck", hc, func(u *unit) []string { return u.hc }, func(dir string) []string { return []string{"HANDLECHECK_CACHE=" + dir} }},
	}
	if runs["staticcheck"] {
		tools = append(tools, tool{"staticcheck " + staticcheckVersion, sc, func(u *unit) []string { return u.sc }, func(dir string) []string { return []string{"STATICCHECK_CACHE=" + dir} }})
	}
	if runs["vet"] {
		tools = append(tools, tool{"go vet", "go", func(u *unit) []string { return u.vet }, func(string) []string { return nil }})
	}
	noCache := tool{"handlecheck -cache=false", hc, func(u *unit) []string { return append([]string{"-cache=false"}, u.hc...) }, func(string) []string { return nil }}

	started := time.Now().UTC()
	var rows []*Row
	nCorpus := 0
	for _, u := range units {
		ts := tools
		if u.noCacheRow {
			ts = append([]tool{tools[0], noCache}, tools[1:]...)
		} else {
			// Rotate the order from one corpus unit to the next.
			r := nCorpus % len(tools)
			ts = append(append([]tool{}, tools[r:]...), tools[:r]...)
			nCorpus++
		}
		rs := make([]*Row, len(ts))
		for i, t := range ts {
			rs[i] = &Row{Unit: u.name, GOOS: u.goos, Packages: u.packages, Tool: t.name, Args: t.args(u)}
		}
		caches := make([]string, len(ts))
		for i := range ts {
			caches[i] = filepath.Join(tmp, fmt.Sprintf("cache-%d", i))
			os.RemoveAll(caches[i])
		}
		run := func(i int, phase string) Measure {
			t := ts[i]
			base := filepath.Join(logDir, fmt.Sprintf("%s_%s_%s_%s", slug(u.name), u.goos, slug(t.name), phase))
			env := append([]string{"GOOS=" + u.goos, "GOCACHE=" + filepath.Join(caches[i], "go")}, t.env(filepath.Join(caches[i], "tool"))...)
			m := timed(env, base, t.bin, rs[i].Args...)
			log.Printf("%s %s %s %s: %.1fs wall, %.1fs CPU, %.0f MB, exit %d, load %.1f", u.name, u.goos, t.name, phase, m.WallS, m.CPUS, m.MaxRSSMB, m.Exit, m.Load)
			return m
		}
		if u.noCacheRow {
			// std and module, as before: each tool cold then warm.
			for i := range ts {
				rs[i].Cold = run(i, "cold")
				rs[i].Warm = run(i, "warm")
			}
		} else {
			for i := range ts {
				rs[i].Cold = run(i, "cold")
			}
			for i := range ts {
				rs[i].Warm = run(i, "warm")
			}
		}
		for _, c := range caches {
			os.RemoveAll(c)
		}
		// Report in the tools' own order.
		sort.SliceStable(rs, func(i, j int) bool { return toolRank(rs[i].Tool) < toolRank(rs[j].Tool) })
		rows = append(rows, rs...)
		if *flagJSON != "" {
			writeJSON(*flagJSON, rows) // as we go: a run cut short keeps what it did
		}
	}

	text := render(started, units, rows)
	fmt.Print(text)
	if *flagOut != "" {
		if err := os.WriteFile(*flagOut, []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if *flagJSON != "" {
		writeJSON(*flagJSON, rows)
	}
}

// listFlag returns the set of the comma-separated names in value, the
// value of flag name; a name not in known is fatal.
func listFlag(name, what, value string, known ...string) map[string]bool {
	set := map[string]bool{}
	for _, v := range strings.Split(value, ",") {
		if !slices.Contains(known, v) {
			log.Fatalf("%s: unknown %s %q (%s)", name, what, v, strings.Join(known, ", "))
		}
		set[v] = true
	}
	return set
}

func toolRank(name string) int {
	switch {
	case name == "handlecheck":
		return 0
	case strings.HasPrefix(name, "handlecheck"):
		return 1
	case strings.HasPrefix(name, "staticcheck"):
		return 2
	}
	return 3
}

// corpusUnits lists, for each corpus module of -modules and GOOS of -goos,
// the packages evalrun gives the tools. std is left to the std target: its
// test files, which the corpus units include, make a cold go vet compile
// every std test variant (about 10 minutes per GOOS on 2 cores).
func corpusUnits() ([]*unit, error) {
	var names []string
	if *flagModules != "" {
		names = strings.Split(*flagModules, ",")
	}
	entries, err := corpus.Select(names)
	if err != nil {
		return nil, fmt.Errorf("-modules: %v", err)
	}
	var units []*unit
	for _, e := range entries {
		if e.Module == "" {
			if *flagModules != "" {
				return nil, fmt.Errorf("-modules: std is the std target, not a corpus unit")
			}
			continue
		}
		for _, goos := range strings.Split(*flagGOOS, ",") {
			p, err := corpus.List([]string{"GOOS=" + goos}, e)
			if err != nil {
				return nil, err
			}
			loads := len(p.All)
			for _, le := range p.Errors {
				if !le.Dependency && strings.Contains(le.Error, "build constraints exclude all Go files") {
					loads--
				}
			}
			if loads == 0 {
				log.Printf("%s %s: no package builds for this GOOS, left out", e.Name, goos)
				continue
			}
			args := p.Args()
			units = append(units, &unit{
				name:     e.Name,
				goos:     goos,
				hc:       append([]string{"-goos=" + goos, "-test=true"}, args...),
				sc:       append([]string{"-tests=true"}, args...),
				vet:      append([]string{"vet"}, args...),
				packages: len(p.All),
			})
		}
	}
	return units, nil
}

// timed runs name with args from the eval directory in a process group
// of its own, the environment extended by env, and measures it. Exit
// codes are recorded, not checked: the tools report findings.
func timed(env []string, base, name string, args ...string) Measure {
	m := Measure{Load: load1(), Log: filepath.Base(base)}
	r, err := hcrun.Run("", env, *flagTimeout, base, name, args...)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	m.WallS, m.CPUS = r.WallS, r.UserS+r.SysS
	m.MaxRSSMB, m.TreeRSSMB = float64(r.MaxRSSKiB)/1024, float64(r.TreeRSS)/1024
	m.Exit, m.TimedOut = r.ExitCode, r.TimedOut
	return m
}

func render(started time.Time, units []*unit, rows []*Row) string {
	var b strings.Builder
	if started.IsZero() {
		fmt.Fprintf(&b, "Rendered from %s: ", *flagRender)
	} else {
		fmt.Fprintf(&b, "Measured from %s to %s on %d cores with `go run ./cmd/sidebyside -targets %s` (eval/): ",
			started.Format("2006-01-02 15:04"), time.Now().UTC().Format("15:04 UTC"), runtime.NumCPU(), *flagTargets)
	}
	fmt.Fprintf(&b, "wall and CPU (user+sys of the process tree) seconds and peak RSS (getrusage: the largest process; for go vet, the compiler or a vet process) of each run, with the 1-minute load average just before it. Cold: fresh build cache (GOCACHE) and fresh tool cache; warm: the same command again, nothing changed.\n\n")
	fmt.Fprintf(&b, "| target | GOOS | tool | cold wall | cold CPU | cold RSS | warm wall | warm CPU | warm RSS | exit (cold, warm) | load (cold, warm) |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f s | %.2f s | %.0f MB | %.2f s | %.2f s | %.0f MB | %s, %s | %.1f, %.1f |\n",
			r.Unit, r.GOOS, r.Tool, r.Cold.WallS, r.Cold.CPUS, r.Cold.MaxRSSMB, r.Warm.WallS, r.Warm.CPUS, r.Warm.MaxRSSMB, exit(r.Cold), exit(r.Warm), r.Cold.Load, r.Warm.Load)
	}
	b.WriteString("\n")
	for _, u := range units {
		if u.note != "" {
			fmt.Fprintf(&b, "- %s: %s.\n", u.name, u.note)
		}
	}

	// Over the corpus units.
	byTool := map[string][]*Row{}
	var names []string
	var loads []float64
	for _, r := range rows {
		if r.Unit == "std" || r.Unit == "module" {
			continue
		}
		if byTool[r.Tool] == nil {
			names = append(names, r.Tool)
		}
		byTool[r.Tool] = append(byTool[r.Tool], r)
		loads = append(loads, r.Cold.Load, r.Warm.Load)
	}
	if len(names) == 0 {
		return b.String()
	}
	sort.Slice(loads, func(i, j int) bool { return loads[i] < loads[j] })
	n := len(byTool[names[0]])
	fmt.Fprintf(&b, "\nOver the %d corpus units (module and GOOS): sums of wall and CPU, median and largest peak RSS of a unit. Load average before the runs: median %.1f, from %.1f to %.1f.\n\n", n, median(loads), loads[0], loads[len(loads)-1])
	fmt.Fprintf(&b, "| tool | cold wall | cold CPU | cold RSS median / max | warm wall | warm CPU | warm RSS median / max |\n|---|---|---|---|---|---|---|\n")
	for _, name := range names {
		rs := byTool[name]
		fmt.Fprintf(&b, "| %s | %.1f s | %.1f s | %.0f / %.0f MB | %.2f s | %.2f s | %.0f / %.0f MB |\n", name,
			sum(rs, func(r *Row) float64 { return r.Cold.WallS }), sum(rs, func(r *Row) float64 { return r.Cold.CPUS }),
			med(rs, func(r *Row) float64 { return r.Cold.MaxRSSMB }), maxOf(rs, func(r *Row) float64 { return r.Cold.MaxRSSMB }),
			sum(rs, func(r *Row) float64 { return r.Warm.WallS }), sum(rs, func(r *Row) float64 { return r.Warm.CPUS }),
			med(rs, func(r *Row) float64 { return r.Warm.MaxRSSMB }), maxOf(rs, func(r *Row) float64 { return r.Warm.MaxRSSMB }))
	}

	// Ratios of handlecheck to the others, unit by unit.
	hc := byTool["handlecheck"]
	fmt.Fprintf(&b, "\nhandlecheck / the other tool, unit by unit (median, and the range):\n\n| ratio | cold CPU | cold RSS | warm wall | warm CPU | warm RSS |\n|---|---|---|---|---|---|\n")
	for _, name := range names[1:] {
		other := byTool[name]
		if len(other) != len(hc) {
			continue
		}
		ratio := func(f func(r *Row) float64) string {
			var rs []float64
			for i := range hc {
				if d := f(other[i]); d > 0 {
					rs = append(rs, f(hc[i])/d)
				}
			}
			if len(rs) == 0 {
				return "-"
			}
			sort.Float64s(rs)
			return fmt.Sprintf("%.2f (%.2f-%.2f)", median(rs), rs[0], rs[len(rs)-1])
		}
		fmt.Fprintf(&b, "| handlecheck / %s | %s | %s | %s | %s | %s |\n", name,
			ratio(func(r *Row) float64 { return r.Cold.CPUS }), ratio(func(r *Row) float64 { return r.Cold.MaxRSSMB }),
			ratio(func(r *Row) float64 { return r.Warm.WallS }), ratio(func(r *Row) float64 { return r.Warm.CPUS }),
			ratio(func(r *Row) float64 { return r.Warm.MaxRSSMB }))
	}
	return b.String()
}

func exit(m Measure) string {
	if m.TimedOut {
		return "timeout"
	}
	return strconv.Itoa(m.Exit)
}

func sum(rs []*Row, f func(*Row) float64) float64 {
	var s float64
	for _, r := range rs {
		s += f(r)
	}
	return s
}

func maxOf(rs []*Row, f func(*Row) float64) float64 {
	var m float64
	for _, r := range rs {
		if v := f(r); v > m {
			m = v
		}
	}
	return m
}

func med(rs []*Row, f func(*Row) float64) float64 {
	var vs []float64
	for _, r := range rs {
		vs = append(vs, f(r))
	}
	sort.Float64s(vs)
	return median(vs)
}

// median of sorted values.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}

func writeJSON(file string, rows []*Row) {
	data, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

func slug(s string) string {
	return strings.NewReplacer("/", "_", ".", "_", " ", "_", "=", "_").Replace(s)
}

func load1() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

func mustRun(dir string, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
