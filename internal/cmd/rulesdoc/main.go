// Command rulesdoc writes docs/rules.md, the table of handlecheck's default
// rules with the documentation each rests on, from rules.yaml and
// rules_reviewed.yaml, and the coverage of the native-procedure rules of
// rules_win32.yaml and rules_win32_overlay.yaml. Run it from the module
// root:
//
//	go run ./internal/cmd/rulesdoc
//
// A test in internal/rulesdoc fails while the committed docs/rules.md
// differs from what this command writes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/handlecheck/handlecheck"
	"github.com/handlecheck/handlecheck/internal/rulesdoc"
)

func main() {
	root := flag.String("root", ".", "the module root, holding rules.yaml and "+rulesdoc.ReviewedName)
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "rulesdoc:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	rulesData, err := os.ReadFile(filepath.Join(root, handlecheck.DefaultRulesName))
	if err != nil {
		return err
	}
	reviewed, err := os.ReadFile(filepath.Join(root, rulesdoc.ReviewedName))
	if err != nil {
		return err
	}
	var win32 []handlecheck.RulesFile
	for _, name := range []string{handlecheck.Win32RulesName, handlecheck.Win32OverlayName} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return err
		}
		win32 = append(win32, handlecheck.RulesFile{Name: name, Data: data})
	}
	doc, err := rulesdoc.Generate(handlecheck.DefaultRulesName, rulesData, reviewed, win32...)
	if err != nil {
		return err
	}
	out := filepath.Join(root, filepath.FromSlash(rulesdoc.DocName))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, doc, 0o644)
}
