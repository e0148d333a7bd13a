// Command handlecheck reports misuse of owned and borrowed OS handles: leaks,
// releases of borrowed handles, double releases and wrong releasers.
//
// Standalone:
//
//	handlecheck [-rules FILE] [-goos windows] ./...
//
// As a go vet tool:
//
//	GOOS=windows go vet -vettool=$(which handlecheck) ./...
//
// Exit status: 0 no findings, 1 an error (bad rules, packages that do not
// load), 3 findings reported (0 with -json).
package main

import (
	"flag"
	"os"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/handlecheck/handlecheck/analyzer"
)

func main() {
	// -goos selects the platform whose files are analyzed when handlecheck
	// loads packages itself (standalone): *_windows.go files are skipped
	// unless GOOS=windows. Under go vet, set GOOS for go vet instead.
	flag.Func("goos", "analyze packages as built for `GOOS` (standalone mode only)", func(s string) error {
		return os.Setenv("GOOS", s)
	})
	singlechecker.Main(analyzer.Analyzer)
}
