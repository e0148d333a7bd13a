// Command floor is the cost floor of handlecheck: an analyzer that requires
// what handlecheck requires (ctrlflow, and SSA as built by buildssa) and
// reports nothing. Its time and memory are those of loading, parsing and
// type-checking the packages, computing ctrlflow's facts over every
// dependency and building SSA for the root packages: what any analyzer of
// handlecheck's kind pays before it starts its own work.
//
// It is a singlechecker like handlecheck, so it takes the same flags
// (-json, -test) plus -goos, which sets GOOS before loading.
package main

import (
	"flag"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// Analyzer requires buildssa and ctrlflow and reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:     "floor",
	Doc:      "load, type-check, compute ctrlflow facts and build SSA; report nothing",
	Requires: []*analysis.Analyzer{buildssa.Analyzer, ctrlflow.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		_ = pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
		_ = pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
		return nil, nil
	},
}

func main() {
	flag.Func("goos", "analyze packages as built for `GOOS` (sets GOOS before loading)", func(s string) error {
		return os.Setenv("GOOS", s)
	})
	singlechecker.Main(Analyzer)
}
