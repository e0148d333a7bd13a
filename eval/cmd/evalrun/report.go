package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/handlecheck/handlecheck/eval/internal/corpus"
)

// Results is out/results.json.
type Results struct {
	Generated   string          `json:"generated"`
	TotalWall   string          `json:"total_wall,omitempty"`
	Go          string          `json:"go"`
	Machine     string          `json:"machine"`
	Tests       bool            `json:"tests"` // -test flag of handlecheck and floor
	Handlecheck ToolInfo        `json:"handlecheck"`
	Floor       ToolInfo        `json:"floor"`
	GOOSes      []string        `json:"goos"`
	Categories  []string        `json:"categories"`
	Modules     []*ModuleResult `json:"modules"`
}

// ToolInfo says what a tool binary was built from.
type ToolInfo struct {
	Binary string `json:"binary"`
	SHA256 string `json:"sha256"`
	Go     string `json:"go"`
	XTools string `json:"x_tools"`
	Commit string `json:"commit,omitempty"`
	Dirty  bool   `json:"dirty,omitempty"` // uncommitted changes in the analyzer's sources
}

// ModuleResult is one corpus entry.
type ModuleResult struct {
	Name    string                 `json:"name"`
	Module  string                 `json:"module,omitempty"`
	Version string                 `json:"version"`
	GOOS    map[string]*GOOSResult `json:"goos"`
}

// GOOSResult is one corpus entry analyzed for one GOOS.
type GOOSResult struct {
	Args     string `json:"args"`     // the packages given to the tools
	Command  string `json:"command"`  // the handlecheck command line
	Packages int    `json:"packages"` // the module's packages for this GOOS
	ExitCode int    `json:"exit_code"`
	Failure  string `json:"failure,omitempty"`

	Counts   map[string]int `json:"counts"` // by category
	Total    int            `json:"total"`
	InTests  int            `json:"in_tests"` // findings in _test.go files
	Findings []Finding      `json:"findings"`

	// LoadErrors are the packages that do not load (go list), with their
	// errors; Dependency marks an error in a dependency of the package.
	LoadErrors []LoadError `json:"load_errors,omitempty"`
	// SkippedPackages are the packages handlecheck did not analyze because
	// they, or a dependency, did not load.
	SkippedPackages []string `json:"skipped_packages,omitempty"`
	// InternalErrors are analyzer panics ("internal error analyzing ...").
	InternalErrors []string `json:"internal_errors,omitempty"`
	// AnalyzerErrors are other errors returned by an analyzer.
	AnalyzerErrors []string `json:"analyzer_errors,omitempty"`
	// Crash holds signs of a crash: a runtime panic, an unexpected exit
	// code, unparsable output.
	Crash []string `json:"crash,omitempty"`
	// Stderr is what else handlecheck printed (load errors, mostly).
	Stderr []string `json:"stderr,omitempty"`

	WarmupWall float64             `json:"warmup_wall_s"`
	Perf       map[string]*Measure `json:"perf,omitempty"` // handlecheck, floor, go vet
}

// Finding is one handlecheck diagnostic.
type Finding struct {
	Category string    `json:"category"`
	Posn     string    `json:"posn"`
	Message  string    `json:"message"`
	Related  []Related `json:"related,omitempty"`
	Package  string    `json:"package"`
}

// Related is a diagnostic's related position.
type Related struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// LoadError is a package that does not load.
// LoadError is a package that does not load.
type LoadError = corpus.LoadError

func writeAll(dir string, res *Results) error {
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.md"), []byte(summary(res)), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "perf.md"), []byte(perf(res)), 0o644)
}

// extraCategories returns the categories found that are not handlecheck's
// documented ones.
func extraCategories(res *Results) []string {
	known := map[string]bool{}
	for _, c := range res.Categories {
		known[c] = true
	}
	set := map[string]bool{}
	for _, m := range res.Modules {
		for _, g := range m.GOOS {
			for c := range g.Counts {
				if !known[c] {
					set[c] = true
				}
			}
		}
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func summary(res *Results) string {
	var b strings.Builder
	cats := append(append([]string{}, res.Categories...), extraCategories(res)...)
	fmt.Fprintf(&b, "# handlecheck on real modules\n\n")
	fmt.Fprintf(&b, "Generated %s by `go run ./cmd/evalrun` (%s; %s). handlecheck %s%s, built with %s and x/tools %s. Test files analyzed: %v.\n\n",
		res.Generated, res.Go, res.Machine, short(res.Handlecheck.Commit), dirty(res.Handlecheck.Dirty), res.Handlecheck.Go, res.Handlecheck.XTools, res.Tests)

	fmt.Fprintf(&b, "## Counts\n\n")
	fmt.Fprintf(&b, "| module | version | GOOS | packages | %s | total | in _test.go | load errors | skipped pkgs | internal errors | exit |\n", strings.Join(cats, " | "))
	fmt.Fprintf(&b, "|---|---|---|---:|%s---:|---:|---:|---:|---:|---:|\n", strings.Repeat("---:|", len(cats)))
	totals := map[string]map[string]int{}
	for _, m := range res.Modules {
		for _, goos := range res.GOOSes {
			g := m.GOOS[goos]
			if g == nil {
				continue
			}
			if totals[goos] == nil {
				totals[goos] = map[string]int{}
			}
			var cells []string
			for _, c := range cats {
				cells = append(cells, fmt.Sprint(g.Counts[c]))
				totals[goos][c] += g.Counts[c]
			}
			totals[goos]["total"] += g.Total
			totals[goos]["packages"] += g.Packages
			exit := fmt.Sprint(g.ExitCode)
			if g.Failure != "" {
				exit = "failed: " + g.Failure
			}
			if len(g.Crash) > 0 {
				exit += " CRASH"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %d | %d | %d | %d | %d | %s |\n", m.Name, m.Version, goos, g.Packages,
				strings.Join(cells, " | "), g.Total, g.InTests, countPkgs(g.LoadErrors), len(g.SkippedPackages), len(g.InternalErrors), exit)
			totals[goos]["tests"] += g.InTests
		}
	}
	for _, goos := range res.GOOSes {
		t := totals[goos]
		var cells []string
		for _, c := range cats {
			cells = append(cells, fmt.Sprintf("**%d**", t[c]))
		}
		fmt.Fprintf(&b, "| **all** | | %s | %d | %s | **%d** | %d | | | | |\n", goos, t["packages"], strings.Join(cells, " | "), t["total"], t["tests"])
	}
	fmt.Fprintf(&b, "\nin _test.go: findings (of the total) in test files. load errors: packages of the module that go list reports as not loading for that GOOS; skipped pkgs: packages (test variants included) that handlecheck did not analyze because they or a dependency did not load or type-check; internal errors: analyzer panics; exit: handlecheck's exit status (1: some package did not load). Details in results.json.\n")

	fmt.Fprintf(&b, "\n## Internal errors (analyzer panics)\n\n")
	bullets(&b, res, "None.", func(g *GOOSResult) []string {
		var lines []string
		for _, e := range g.InternalErrors {
			lines = append(lines, fmt.Sprintf("`%s`", oneLine(e)))
		}
		for _, e := range g.Crash {
			lines = append(lines, fmt.Sprintf("CRASH `%s`", oneLine(e)))
		}
		for _, e := range g.AnalyzerErrors {
			lines = append(lines, fmt.Sprintf("analyzer error `%s`", oneLine(e)))
		}
		return lines
	})

	fmt.Fprintf(&b, "\n## Load errors\n\n")
	bullets(&b, res, "None.", func(g *GOOSResult) []string {
		var lines []string
		deps := map[string][]string{}
		for _, e := range g.LoadErrors {
			if e.Dependency {
				deps[oneLine(e.Error)] = append(deps[oneLine(e.Error)], e.Package)
				continue
			}
			lines = append(lines, fmt.Sprintf("%s: `%s`", e.Package, oneLine(e.Error)))
		}
		keys := make([]string, 0, len(deps))
		for k := range deps {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			lines = append(lines, fmt.Sprintf("%d packages with a dependency error `%s`", len(deps[k]), k))
		}
		return lines
	})

	fmt.Fprintf(&b, "\n## What handlecheck printed on stderr\n\nPackage load and type errors, as handlecheck reported them (at most 10 lines per module and GOOS; all in results.json).\n\n")
	bullets(&b, res, "Nothing.", func(g *GOOSResult) []string {
		var lines []string
		for i, l := range g.Stderr {
			if i == 10 {
				lines = append(lines, fmt.Sprintf("... %d more", len(g.Stderr)-10))
				break
			}
			lines = append(lines, fmt.Sprintf("`%s`", oneLine(l)))
		}
		return lines
	})

	fmt.Fprintf(&b, "\n## Findings\n")
	for _, m := range res.Modules {
		for _, goos := range res.GOOSes {
			g := m.GOOS[goos]
			if g == nil || len(g.Findings) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n### %s@%s, GOOS=%s (%d)\n\n", m.Name, m.Version, goos, len(g.Findings))
			for _, f := range g.Findings {
				fmt.Fprintf(&b, "- `%s` **%s**: %s\n", f.Posn, f.Category, f.Message)
				for _, r := range f.Related {
					fmt.Fprintf(&b, "  - `%s`: %s\n", r.Posn, r.Message)
				}
			}
		}
	}
	return b.String()
}

func countPkgs(errs []LoadError) int {
	set := map[string]bool{}
	for _, e := range errs {
		set[e.Package] = true
	}
	return len(set)
}

func perf(res *Results) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# handlecheck performance\n\n")
	fmt.Fprintf(&b, "Generated %s (%s; %s). Test files analyzed by handlecheck and floor: %v (go vet always vets them).\n\n", res.Generated, res.Go, res.Machine, res.Tests)
	fmt.Fprintf(&b, "- **handlecheck**: `handlecheck -goos=GOOS -json -test=%v PACKAGES` (built from the repository, x/tools %s)\n", res.Tests, res.Handlecheck.XTools)
	fmt.Fprintf(&b, "- **floor**: the same with eval/cmd/floor, an analyzer that requires buildssa and ctrlflow and reports nothing: loading, type-checking every package from source, ctrlflow facts for every dependency, SSA of the root packages (x/tools %s)\n", res.Floor.XTools)
	fmt.Fprintf(&b, "- **go vet**: `GOOS=GOOS go vet -printf.funcs=<nonce> PACKAGES`, default suite; dependencies already compiled (a warm-up `go list -export -deps [-test]` first), vet results not cached: the nonce, fresh for each run, changes the cache key, so every package and every dependency is vetted anew in each run, as handlecheck computes ctrlflow facts for every dependency in each run\n\n")
	fmt.Fprintf(&b, "wall: elapsed seconds; cpu: user+system seconds of the whole process tree; RSS: largest resident set of one process of the tree (getrusage, like `/usr/bin/time -v`); tree RSS: largest sum of the resident sets of the tree's processes, sampled every 50 ms (go vet runs a vet and compile process per package, two at once here).\n\n")

	tools := []string{"handlecheck", "floor", "go vet"}
	fmt.Fprintf(&b, "| module | GOOS | pkgs | wall hc | wall floor | wall vet | cpu hc | cpu floor | cpu vet | RSS hc MiB | RSS floor | RSS vet | tree RSS vet | wall hc/floor | wall hc/vet | cpu hc/floor | cpu hc/vet | RSS hc/floor | RSS hc/vet | RSS hc/tree vet | vet exit | load |\n")
	fmt.Fprintf(&b, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	type agg struct {
		wall, cpu float64
		rss, tree int64
	}
	tot := map[string]map[string]*agg{}
	for _, goos := range res.GOOSes {
		tot[goos] = map[string]*agg{}
		for _, t := range tools {
			tot[goos][t] = &agg{}
		}
	}
	for _, m := range res.Modules {
		for _, goos := range res.GOOSes {
			g := m.GOOS[goos]
			if g == nil || g.Perf == nil || g.Perf["floor"] == nil {
				continue
			}
			h, f, v := g.Perf["handlecheck"], g.Perf["floor"], g.Perf["go vet"]
			if v == nil {
				// go vet not measured (std without -vetstd).
				fmt.Fprintf(&b, "| %s | %s | %d | %.1f%s | %.1f%s | - | %.1f | %.1f | - | %d | %d | - | - | %s | - | %s | - | %s | - | - | - | %.1f |\n",
					m.Name, goos, g.Packages, h.WallS, flagOf(h), f.WallS, flagOf(f), h.UserS+h.SysS, f.UserS+f.SysS,
					h.MaxRSSKiB/1024, f.MaxRSSKiB/1024, ratio(h.WallS, f.WallS), ratio(h.UserS+h.SysS, f.UserS+f.SysS), ratio(float64(h.MaxRSSKiB), float64(f.MaxRSSKiB)), maxLoad(h, f))
				for _, t := range tools[:2] {
					p := g.Perf[t]
					a := tot[goos][t+" (std)"]
					if a == nil {
						a = &agg{}
						tot[goos][t+" (std)"] = a
					}
					a.wall += p.WallS
					a.cpu += p.UserS + p.SysS
					a.rss = max(a.rss, p.MaxRSSKiB)
				}
				continue
			}
			for _, t := range tools {
				p := g.Perf[t]
				a := tot[goos][t]
				a.wall += p.WallS
				a.cpu += p.UserS + p.SysS
				a.rss = max(a.rss, p.MaxRSSKiB)
				a.tree = max(a.tree, p.TreeRSS)
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %.1f%s | %.1f%s | %.1f%s | %.1f | %.1f | %.1f | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %d | %.1f |\n",
				m.Name, goos, g.Packages,
				h.WallS, flagOf(h), f.WallS, flagOf(f), v.WallS, flagOf(v),
				h.UserS+h.SysS, f.UserS+f.SysS, v.UserS+v.SysS,
				h.MaxRSSKiB/1024, f.MaxRSSKiB/1024, v.MaxRSSKiB/1024, v.TreeRSS/1024,
				ratio(h.WallS, f.WallS), ratio(h.WallS, v.WallS), ratio(h.UserS+h.SysS, f.UserS+f.SysS), ratio(h.UserS+h.SysS, v.UserS+v.SysS),
				ratio(float64(h.MaxRSSKiB), float64(f.MaxRSSKiB)), ratio(float64(h.MaxRSSKiB), float64(v.MaxRSSKiB)), ratio(float64(h.MaxRSSKiB), float64(v.TreeRSS)), v.ExitCode, maxLoad(h, f, v))
		}
	}
	for _, goos := range res.GOOSes {
		h, f, v := tot[goos]["handlecheck"], tot[goos]["floor"], tot[goos]["go vet"]
		if h.wall == 0 {
			continue
		}
		fmt.Fprintf(&b, "| **all measured with go vet (sum; RSS max)** | %s | | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | | |\n",
			goos, h.wall, f.wall, v.wall, h.cpu, f.cpu, v.cpu, h.rss/1024, f.rss/1024, v.rss/1024, v.tree/1024,
			ratio(h.wall, f.wall), ratio(h.wall, v.wall), ratio(h.cpu, f.cpu), ratio(h.cpu, v.cpu), ratio(float64(h.rss), float64(f.rss)), ratio(float64(h.rss), float64(v.rss)), ratio(float64(h.rss), float64(v.tree)))
	}
	for _, goos := range res.GOOSes {
		h, f := tot[goos]["handlecheck (std)"], tot[goos]["floor (std)"]
		hs, fs := tot[goos]["handlecheck"], tot[goos]["floor"]
		if h == nil || hs.wall == 0 {
			continue
		}
		fmt.Fprintf(&b, "| **all (sum; RSS max)** | %s | | %.1f | %.1f | - | %.1f | %.1f | - | %d | %d | - | - | %s | - | %s | - | %s | - | - | | |\n",
			goos, h.wall+hs.wall, f.wall+fs.wall, h.cpu+hs.cpu, f.cpu+fs.cpu, max(h.rss, hs.rss)/1024, max(f.rss, fs.rss)/1024,
			ratio(h.wall+hs.wall, f.wall+fs.wall), ratio(h.cpu+hs.cpu, f.cpu+fs.cpu), ratio(float64(max(h.rss, hs.rss)), float64(max(f.rss, fs.rss))))
	}
	fmt.Fprintf(&b, "\nA - under go vet: not measured. go vet on std is measured only with -vetstd: vetting std's test files needs every std test variant compiled first, about 10 minutes per GOOS on a fresh build cache of this 2-core machine, too much for the default run (see eval/README.md).\n")
	fmt.Fprintf(&b, "\nload: the highest 1-minute load average seen just before or after the three runs of the row; this machine has 2 cores and the tools themselves load it to about 2, so a higher value means other work ran at the same time and slowed the wall times (CPU times suffer less).\n")
	fmt.Fprintf(&b, "\nvet exit: 1 when go vet reports something or some package does not build for that GOOS; a go vet that stops at once on packages that do not build (windows-only modules on linux) measures nothing, its row compares little.\n")
	fmt.Fprintf(&b, "\nhc = handlecheck. A * after a wall time: the run timed out. handlecheck's own tree RSS is in results.json (tree_peak_rss_kib); it is close to its single-process RSS, go list being small beside it.\n")
	fmt.Fprintf(&b, "\nhandlecheck − floor is the cost of handlecheck's own work (rules, its own SSA building — it builds SSA itself, only for packages that mention a handle source — and the ownership analysis); the floor also builds SSA for every root package, so the difference can be negative.\n")
	return b.String()
}

func maxLoad(ms ...*Measure) float64 {
	var l float64
	for _, m := range ms {
		l = max(l, m.Load1Before, m.Load1After)
	}
	return l
}

func flagOf(m *Measure) string {
	if m.TimedOut {
		return "*"
	}
	return ""
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func dirty(d bool) string {
	if d {
		return " (with uncommitted changes)"
	}
	return ""
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "\t", " ")
	s = strings.ReplaceAll(s, "`", "'")
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
}

// bullets writes, for each module and GOOS run in order, one bullet per
// line that lines returns for it, prefixed with the module and GOOS; or
// empty when no run has any.
func bullets(b *strings.Builder, res *Results, empty string, lines func(*GOOSResult) []string) {
	n := 0
	for _, m := range res.Modules {
		for _, goos := range res.GOOSes {
			g := m.GOOS[goos]
			if g == nil {
				continue
			}
			for _, l := range lines(g) {
				fmt.Fprintf(b, "- %s %s: %s\n", m.Name, goos, l)
				n++
			}
		}
	}
	if n == 0 {
		fmt.Fprintf(b, "%s\n", empty)
	}
}
