// Command evalrun is handlecheck's real-world evaluation: it builds
// handlecheck (from the repository) and the floor tool, runs handlecheck over
// every module of the corpus pinned in ../../go.mod and over the standard
// library, for GOOS=windows and GOOS=linux, and measures handlecheck against
// the floor tool and go vet on the same packages.
//
// Run it from the eval directory:
//
//	go run ./cmd/evalrun
//
// It writes out/results.json (every finding, counts, load errors),
// out/summary.md (counts by module, GOOS and category, and the findings) and
// out/perf.md (wall time, CPU time and peak memory of handlecheck, floor and
// go vet, and their ratios). See ../../README.md.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/module"

	"github.com/handlecheck/handlecheck/eval/internal/corpus"
	"github.com/handlecheck/handlecheck/eval/internal/hcrun"
)

// An entry is one module of the corpus (or the standard library).
type entry = corpus.Entry

// categories are handlecheck's categories, in report order.
var categories = []string{"leak", "borrowed-release", "double-release", "wrong-releaser", "borrowed-change", "use-after-release", "impersonation", "keepalive"}

var (
	flagGOOS    = flag.String("goos", "windows,linux", "comma-separated `GOOS` values to analyze for")
	flagOnly    = flag.String("only", "", "comma-separated corpus `names` to run (default: all)")
	flagTest    = flag.Bool("test", true, "analyze test files too (handlecheck and floor -test flag)")
	flagPerf    = flag.Bool("perf", true, "also run the floor tool and go vet and measure all three")
	flagOut     = flag.String("out", "out", "output `directory`")
	flagTimeout = flag.Duration("timeout", 10*time.Minute, "time limit of one tool run")
	flagVetStd  = flag.Bool("vetstd", false, "measure go vet on std too (with test files; a fresh build cache first compiles every std test variant for each GOOS: about 10 minutes each on 2 cores)")
	flagRender  = flag.Bool("render", false, "only rewrite summary.md and perf.md from the results.json of -out")
	flagSums    = flag.Bool("sums", true, "first add to go.sum the sums of every module in the build list (see README)")
	flagRules   = flag.String("rules", "", "comma-separated rules `files` that handlecheck loads on top of the default rules (its -rules flag; relative to eval), e.g. ../rules/net/net.yaml")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("evalrun: ")
	flag.Parse()
	start := time.Now()

	if err := checkDir(); err != nil {
		log.Fatal(err)
	}
	outDir, err := filepath.Abs(*flagOut)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		log.Fatal(err)
	}
	logDir := filepath.Join(outDir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		log.Fatal(err)
	}

	if *flagRender {
		data, err := os.ReadFile(filepath.Join(outDir, "results.json"))
		if err != nil {
			log.Fatal(err)
		}
		var res Results
		if err := json.Unmarshal(data, &res); err != nil {
			log.Fatal(err)
		}
		if err := writeAll(outDir, &res); err != nil {
			log.Fatal(err)
		}
		return
	}

	var names []string
	if *flagOnly != "" {
		names = strings.Split(*flagOnly, ",")
	}
	entries, err := corpus.Select(names)
	if err != nil {
		log.Fatalf("-only: %v", err)
	}
	gooses := strings.Split(*flagGOOS, ",")

	if *flagSums {
		if err := completeSums(); err != nil {
			log.Fatalf("completing go.sum: %v", err)
		}
	}

	res := &Results{
		Generated:  time.Now().UTC().Format(time.RFC3339),
		Tests:      *flagTest,
		Machine:    machine(),
		GOOSes:     gooses,
		Categories: categories,
	}
	res.Go = strings.TrimSpace(mustOutput("", nil, "go", "env", "GOVERSION"))
	gomodcache := strings.TrimSpace(mustOutput("", nil, "go", "env", "GOMODCACHE"))
	goroot := strings.TrimSpace(mustOutput("", nil, "go", "env", "GOROOT"))
	rw := &rewriter{modcache: gomodcache + string(filepath.Separator), goroot: filepath.Join(goroot, "src") + string(filepath.Separator), gover: res.Go}

	// Build the tools.
	hc := filepath.Join(outDir, "handlecheck")
	floor := filepath.Join(outDir, "floor")
	log.Printf("building handlecheck and floor")
	mustRun("..", nil, "go", "build", "-o", hc, "./cmd/handlecheck")
	mustRun("", nil, "go", "build", "-o", floor, "./cmd/floor")
	res.Handlecheck = toolInfo(hc)
	res.Handlecheck.Commit = strings.TrimSpace(output("..", nil, "git", "rev-parse", "HEAD"))
	res.Handlecheck.Dirty = strings.TrimSpace(output("..", nil, "git", "status", "--porcelain", "--", "analyzer", "internal", "rules", "cmd", "rules.yaml", "embed.go", "go.mod", "go.sum")) != ""
	res.Floor = toolInfo(floor)

	// Module versions.
	for _, e := range entries {
		m := ModuleResult{Name: e.Name, Module: e.Module, GOOS: map[string]*GOOSResult{}}
		if e.Module == "" {
			m.Version = res.Go
		} else {
			var info struct{ Version string }
			if err := json.Unmarshal([]byte(mustOutput("", nil, "go", "list", "-m", "-json", e.Module)), &info); err != nil {
				log.Fatal(err)
			}
			m.Version = info.Version
		}
		res.Modules = append(res.Modules, &m)
	}

	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	for _, goos := range gooses {
		for i, e := range entries {
			m := res.Modules[i]
			g := &GOOSResult{Counts: map[string]int{}}
			m.GOOS[goos] = g
			runOne(e, i, goos, g, hc, floor, nonce, rw, logDir)
			// Write as we go: a run cut short still leaves its results.
			if err := writeAll(outDir, res); err != nil {
				log.Fatal(err)
			}
		}
	}
	res.TotalWall = time.Since(start).Round(time.Second).String()
	if err := writeAll(outDir, res); err != nil {
		log.Fatal(err)
	}
	log.Printf("done in %s: %s, %s, %s", res.TotalWall,
		filepath.Join(*flagOut, "results.json"), filepath.Join(*flagOut, "summary.md"), filepath.Join(*flagOut, "perf.md"))
}

// checkDir checks that the current directory is the eval module.
func checkDir() error {
	data, err := os.ReadFile("go.mod")
	if err != nil || !bytes.Contains(data, []byte("module github.com/handlecheck/handlecheck/eval\n")) {
		return errors.New("run from the eval directory of the handlecheck repository: cd eval && go run ./cmd/evalrun")
	}
	return nil
}

// runOne analyzes one corpus entry for one GOOS, and measures the tools.
func runOne(e entry, idx int, goos string, g *GOOSResult, hc, floor, nonce string, rw *rewriter, logDir string) {
	tag := fmt.Sprintf("%s %s", goos, e.Name)
	env := []string{"GOOS=" + goos}

	// The packages: the module's own, for this GOOS. A pattern like
	// golang.zx2c4.com/wireguard/... also matches the packages of nested
	// modules (golang.zx2c4.com/wireguard/windows), so when it does the
	// tools get the module's packages by name instead.
	pkgs, err := corpus.List(env, e)
	if err != nil {
		g.Failure = err.Error()
		log.Printf("%s: %s", tag, g.Failure)
		return
	}
	for _, le := range pkgs.Errors {
		le.Error = rw.text(le.Error)
		g.LoadErrors = append(g.LoadErrors, le)
	}
	g.Packages = len(pkgs.All)
	args := pkgs.Args()
	if pkgs.Foreign > 0 {
		g.Args = fmt.Sprintf("the %d packages of module %s (%s also matches %d packages of other modules)", len(pkgs.All), e.Module, pkgs.Pattern, pkgs.Foreign)
	} else {
		g.Args = pkgs.Pattern
	}
	if len(pkgs.All) == 0 {
		g.Failure = "no packages"
		return
	}

	vet := *flagPerf && (e.Module != "" || *flagVetStd)

	// Warm up: compile every package and dependency (export data, in the
	// build cache) so that go vet below, like the go/packages-based tools,
	// finds its dependencies built; this also warms the file cache for all.
	// Without go vet, a go list is enough to warm the file cache.
	warm := []string{"list", "-e", "-deps"}
	if vet {
		warm = append(warm, "-export")
	}
	if *flagTest {
		warm = append(warm, "-test")
	}
	t0 := time.Now()
	run("", env, filepath.Join(logDir, fmt.Sprintf("%s_%s_warm", goos, slug(e.Name))), "go", append(warm, args...)...)
	g.WarmupWall = time.Since(t0).Seconds()

	testFlag := "-test=" + strconv.FormatBool(*flagTest)
	logBase := filepath.Join(logDir, fmt.Sprintf("%s_%s", goos, slug(e.Name)))

	// handlecheck.
	log.Printf("%s: handlecheck (%d packages)", tag, len(pkgs.All))
	hcArgs := []string{"-goos=" + goos, "-json", testFlag, "-cache=false"}
	if *flagRules != "" {
		hcArgs = append(hcArgs, "-rules="+absList(*flagRules))
	}
	hcArgs = append(hcArgs, args...)
	m := measure("", nil, logBase+"_handlecheck", hc, hcArgs...)
	g.Perf = map[string]*Measure{"handlecheck": m}
	g.ExitCode = m.ExitCode
	g.Command = "handlecheck " + strings.Join(shortArgs(hcArgs), " ")
	parseHandlecheck(g, logBase+"_handlecheck", rw)
	g.Findings = dedupe(g.Findings)
	for _, f := range g.Findings {
		g.Counts[f.Category]++
		if file, _, _ := hcrun.SplitPosn(f.Posn); strings.HasSuffix(file, "_test.go") {
			g.InTests++
		}
	}
	g.Total = len(g.Findings)
	log.Printf("%s: %d findings %v, %d load errors, %d internal errors, %.1fs, %d MiB",
		tag, g.Total, g.Counts, len(g.LoadErrors), len(g.InternalErrors), m.WallS, m.MaxRSSKiB/1024)

	if !*flagPerf {
		return
	}
	// floor.
	log.Printf("%s: floor", tag)
	fm := measure("", nil, logBase+"_floor", floor, append([]string{"-goos=" + goos, "-json", testFlag}, args...)...)
	g.Perf["floor"] = fm
	// go vet, default suite. Its results are cached by the go command; a
	// fresh value of a vet flag that changes nothing (printf.funcs names a
	// function that does not exist) changes the cache key, so every package
	// and dependency is vetted anew while compiled dependencies are reused.
	// The value is fresh for each run: like handlecheck, which computes
	// ctrlflow's facts for every dependency in each run, go vet must not
	// reuse the facts of the dependencies vetted by an earlier run.
	if !vet {
		log.Printf("%s: wall handlecheck %.1fs floor %.1fs (go vet not measured: see -vetstd)", tag, m.WallS, fm.WallS)
		return
	}
	log.Printf("%s: go vet", tag)
	vetNonce := fmt.Sprintf("evalrun%s%s%d", nonce, goos, idx)
	vm := measure("", env, logBase+"_govet", "go", append([]string{"vet", "-printf.funcs=" + vetNonce}, args...)...)
	g.Perf["go vet"] = vm
	log.Printf("%s: wall handlecheck %.1fs floor %.1fs vet %.1fs", tag, m.WallS, fm.WallS, vm.WallS)
}

// absList makes each path of a comma-separated list absolute.
func absList(list string) string {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if a, err := filepath.Abs(p); err == nil {
			p = a
		}
		out = append(out, p)
	}
	return strings.Join(out, ",")
}

func shortArgs(args []string) []string {
	if len(args) > 8 {
		return append(append([]string{}, args[:4]...), fmt.Sprintf("... (%d packages)", len(args)-3))
	}
	return args
}

func slug(s string) string {
	return strings.NewReplacer("/", "_", ".", "_").Replace(s)
}

// parseHandlecheck reads handlecheck's -json output and stderr.
func parseHandlecheck(g *GOOSResult, base string, rw *rewriter) {
	stdout, _ := os.ReadFile(base + ".stdout")
	stderr, _ := os.ReadFile(base + ".stderr")

	// stderr: package load errors (printed one per line, continued by
	// indented lines), analyzer panics, crashes.
	var lines []string
	for _, l := range strings.Split(string(stderr), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if (strings.HasPrefix(l, "\t") || strings.HasPrefix(l, " ")) && len(lines) > 0 {
			lines[len(lines)-1] += "\n" + l
			continue
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		l = rw.text(l)
		switch {
		case strings.Contains(l, "internal error"):
			g.InternalErrors = append(g.InternalErrors, l)
		case strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "goroutine "):
			g.Crash = append(g.Crash, l)
		default:
			g.Stderr = append(g.Stderr, l)
		}
	}
	if len(g.Stderr) > 200 {
		g.Stderr = append(g.Stderr[:200], fmt.Sprintf("... %d more lines in %s.stderr", len(g.Stderr)-200, base))
	}
	if g.ExitCode != 0 && g.ExitCode != 1 && g.ExitCode != 3 {
		g.Crash = append(g.Crash, fmt.Sprintf("exit code %d (see %s.stderr)", g.ExitCode, base))
	}

	diags, errs, err := hcrun.Parse(stdout)
	if err != nil {
		if len(bytes.TrimSpace(stdout)) > 0 || g.ExitCode != 1 {
			g.Crash = append(g.Crash, err.Error())
		}
		return
	}
	for _, e := range errs {
		switch {
		case strings.Contains(e.Message, "internal error"):
			for _, l := range strings.Split(e.Message, "\n") {
				g.InternalErrors = append(g.InternalErrors, rw.text(l)+" [package "+e.Package+"]")
			}
		case strings.HasPrefix(e.Message, "failed prerequisites") || strings.HasPrefix(e.Message, "analysis skipped due to errors in package"):
			if e.Analyzer == "handlecheck" {
				g.SkippedPackages = append(g.SkippedPackages, e.Package+": "+e.Message)
			}
		default:
			g.AnalyzerErrors = append(g.AnalyzerErrors, fmt.Sprintf("%s: %s: %s", e.Package, e.Analyzer, rw.text(e.Message)))
		}
	}
	for _, d := range diags {
		f := Finding{Category: d.Category, Posn: rw.posn(d.Posn), Message: d.Message, Package: d.Package}
		if f.Category == "" {
			f.Category = "(none)"
		}
		for _, r := range d.Related {
			f.Related = append(f.Related, Related{Posn: rw.posn(r.Posn), Message: r.Message})
		}
		g.Findings = append(g.Findings, f)
	}
}

// dedupe drops the copies of a finding reported again for a test variant
// of its package, and sorts the findings by position.
func dedupe(fs []Finding) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, f := range fs {
		k := f.Category + "\x00" + f.Posn + "\x00" + f.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return hcrun.PosnLess(out[i].Posn, out[j].Posn) })
	return out
}

// rewriter shortens file names: the module cache prefix goes (leaving
// module@version/path, the module path unescaped), and GOROOT/src becomes
// std@goVERSION.
type rewriter struct {
	modcache, goroot, gover string
}

func (r *rewriter) posn(p string) string {
	if strings.HasPrefix(p, r.modcache) {
		rest := p[len(r.modcache):]
		// Unescape module@version: "!x" stands for "X".
		end := strings.Index(rest, "@")
		if end >= 0 {
			if k := strings.Index(rest[end:], "/"); k >= 0 {
				end += k
			} else {
				end = len(rest)
			}
			return unescape(rest[:end]) + rest[end:]
		}
		return rest
	}
	if strings.HasPrefix(p, r.goroot) {
		return "std@" + r.gover + "/" + p[len(r.goroot):]
	}
	return p
}

// text rewrites every file name in a message.
func (r *rewriter) text(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, r.modcache)
		j := strings.Index(s, r.goroot)
		if i < 0 || (j >= 0 && j < i) {
			i = j
		}
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexAny(s, " \t\n\"'()")
		if end < 0 {
			end = len(s)
		}
		b.WriteString(r.posn(s[:end]))
		s = s[end:]
	}
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '!' && i+1 < len(s) && 'a' <= s[i+1] && s[i+1] <= 'z' {
			b.WriteByte(s[i+1] - 'a' + 'A')
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// toolInfo reads the module versions a binary was built with.
func toolInfo(bin string) ToolInfo {
	out := output("", nil, "go", "version", "-m", bin)
	ti := ToolInfo{Binary: bin}
	if data, err := os.ReadFile(bin); err == nil {
		ti.SHA256 = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == "dep" && f[1] == "golang.org/x/tools" {
			ti.XTools = f[2]
		}
		if len(f) >= 2 && strings.HasSuffix(f[0], ":") && ti.Go == "" {
			ti.Go = f[1]
		}
	}
	return ti
}

func machine() string {
	s := fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "MemTotal:") {
				f := strings.Fields(l)
				if kb, err := strconv.Atoi(f[1]); err == nil {
					s += fmt.Sprintf(", %.1f GiB", float64(kb)/(1<<20))
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				s += ", " + strings.TrimSpace(l[strings.Index(l, ":")+1:])
				break
			}
		}
	}
	return s
}

// completeSums adds to go.sum the sums of every module in the build list.
// go mod tidy keeps only the sums of the modules that provide packages
// imported (transitively) by tools.go, but the corpus patterns also load
// the modules' commands, internal packages and tests, whose dependencies
// need sums too. Each sum comes from go mod download, which checks it
// against the checksum database.
func completeSums() error {
	out, err := outputErr("", nil, "go", "list", "-m", "-json", "all")
	if err != nil {
		return err
	}
	var want, sumFiles []string
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var m struct {
			Path, Version, Dir string
			Main               bool
			Replace            *struct{ Path, Version, Dir string }
		}
		if err := dec.Decode(&m); err != nil {
			return err
		}
		if m.Main {
			continue
		}
		if m.Dir != "" {
			sumFiles = append(sumFiles, filepath.Join(m.Dir, "go.sum"))
		}
		if m.Replace != nil {
			if m.Replace.Version == "" {
				continue // a directory
			}
			want = append(want, m.Replace.Path+"@"+m.Replace.Version)
			continue
		}
		want = append(want, m.Path+"@"+m.Version)
	}
	data, err := os.ReadFile("go.sum")
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			have[l] = true
		}
	}
	var missing []string
	for _, mv := range want {
		i := strings.LastIndex(mv, "@")
		prefix := mv[:i] + " " + mv[i+1:] + " h1:" // the zip's sum, not the go.mod's
		found := false
		for l := range have {
			if strings.HasPrefix(l, prefix) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, mv)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	log.Printf("go.sum: downloading %d modules to record their sums", len(missing))
	cmd := exec.Command("go", append([]string{"mod", "download", "-json"}, missing...)...)
	cmd.Stderr = os.Stderr
	dl, _ := cmd.Output() // failures are reported per module below
	var added []string
	dec = json.NewDecoder(bytes.NewReader(dl))
	for dec.More() {
		var m struct{ Path, Version, Sum, GoModSum, Error string }
		if err := dec.Decode(&m); err != nil {
			return err
		}
		if m.Error != "" {
			// The checksum database does not know some pseudo-versions
			// that a module's own go.mod replaces a dependency with
			// (golang.zx2c4.com/wireguard/windows's lxn/walk and
			// lxn/win): take their sums from the go.sum of the module
			// that uses them, as its own builds do.
			if lines := sumsFromFiles(sumFiles, m.Path, m.Version); len(lines) > 0 {
				log.Printf("go.sum: %s@%s: not in the checksum database: sums taken from %s", m.Path, m.Version, lines[0][:strings.Index(lines[0], "\x00")])
				for _, l := range lines {
					l = l[strings.Index(l, "\x00")+1:]
					if !have[l] {
						have[l] = true
						added = append(added, l)
					}
				}
				continue
			}
			log.Printf("go.sum: %s@%s: %s", m.Path, m.Version, m.Error)
			continue
		}
		for _, l := range []string{
			m.Path + " " + m.Version + " " + m.Sum,
			m.Path + " " + m.Version + "/go.mod " + m.GoModSum,
		} {
			if !strings.HasSuffix(l, " ") && !have[l] {
				have[l] = true
				added = append(added, l)
			}
		}
	}
	if len(added) == 0 {
		return nil
	}
	lines := make([]string, 0, len(have))
	for l := range have {
		lines = append(lines, l)
	}
	sort.Slice(lines, func(i, j int) bool { return sumLess(lines[i], lines[j]) })
	log.Printf("go.sum: added %d lines", len(added))
	return os.WriteFile("go.sum", []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// sumsFromFiles returns the lines of the go.sum files that give the sums of
// path@version, each as "file\x00line".
func sumsFromFiles(files []string, path, version string) []string {
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, path+" "+version+" ") || strings.HasPrefix(l, path+" "+version+"/go.mod ") {
				out = append(out, f+"\x00"+strings.TrimSpace(l))
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// sumLess orders go.sum lines as the go command does (module.Sort): by
// module path, then version, a version's zip before its go.mod.
func sumLess(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) < 2 || len(fb) < 2 {
		return a < b
	}
	ms := []module.Version{{Path: fb[0], Version: fb[1]}, {Path: fa[0], Version: fa[1]}}
	module.Sort(ms)
	return ms[0].Path == fa[0] && ms[0].Version == fa[1] && a != b
}

// ---- running and measuring ----

// Measure is one measured tool run.
type Measure struct {
	Command   string  `json:"command"`
	ExitCode  int     `json:"exit_code"`
	WallS     float64 `json:"wall_s"`
	UserS     float64 `json:"user_s"`
	SysS      float64 `json:"sys_s"`
	MaxRSSKiB int64   `json:"max_rss_kib"`       // largest RSS of one process of the tree (rusage)
	TreeRSS   int64   `json:"tree_peak_rss_kib"` // largest sum of RSS over the process group (sampled)
	TimedOut  bool    `json:"timed_out,omitempty"`
	// Load1 is the 1-minute load average of the machine just before and
	// just after the run: other work on the machine slows the run down.
	Load1Before float64 `json:"load1_before"`
	Load1After  float64 `json:"load1_after"`
}

// load1 returns the 1-minute load average.
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

// measure runs a command in its own process group with stdout and stderr
// to base.stdout and base.stderr, and measures it.
func measure(dir string, env []string, base string, name string, args ...string) *Measure {
	m := &Measure{Command: name + " " + strings.Join(shortArgs(args), " "), Load1Before: load1()}
	r, err := hcrun.Run(dir, env, *flagTimeout, base, name, args...)
	if err != nil {
		log.Fatal(err)
	}
	m.Load1After = load1()
	m.ExitCode, m.TimedOut = r.ExitCode, r.TimedOut
	m.WallS, m.UserS, m.SysS = r.WallS, r.UserS, r.SysS
	m.MaxRSSKiB, m.TreeRSS = r.MaxRSSKiB, r.TreeRSS
	return m
}

// run runs a command with output to base.stdout and base.stderr, not
// measured; failures are left to the caller to notice in the logs.
func run(dir string, env []string, base string, name string, args ...string) int {
	m := measure(dir, env, base, name, args...)
	return m.ExitCode
}

func mustRun(dir string, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
}

func outputErr(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v: %s", name, strings.Join(shortArgs(args), " "), err, firstLines(stderr.String(), 10))
	}
	return string(out), nil
}

func output(dir string, env []string, name string, args ...string) string {
	out, _ := outputErr(dir, env, name, args...)
	return out
}

func mustOutput(dir string, env []string, name string, args ...string) string {
	out, err := outputErr(dir, env, name, args...)
	if err != nil {
		log.Fatal(err)
	}
	return out
}

func firstLines(s string, n int) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	var b []string
	for sc.Scan() && len(b) < n {
		b = append(b, sc.Text())
	}
	return strings.Join(b, "\n")
}
