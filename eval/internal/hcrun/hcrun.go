// Package hcrun is what the evaluation commands (cmd/evalrun, cmd/fresh,
// cmd/recall) share: reading handlecheck's -json output, and running a
// tool as a measured process group.
package hcrun

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// A Diagnostic is one handlecheck finding of the -json output.
type Diagnostic struct {
	Package  string // the package ID the driver printed it under
	Category string
	Posn     string // file:line:col
	Message  string
	Related  []Related
}

// A Related is a related position of a Diagnostic.
type Related struct {
	Posn    string
	Message string
}

// An Error is an analysis error the -json output printed for a package,
// {"error": "..."} in the place of the analyzer's diagnostics.
type Error struct {
	Package  string
	Analyzer string
	Message  string
}

// Parse reads handlecheck's -json output (package ID -> analyzer ->
// diagnostics or {"error": ...}; the go/analysis JSON tree). It returns
// handlecheck's diagnostics and every analyzer's errors, both in package
// order. Other analyzers' diagnostics (ctrlflow's, say) are dropped.
func Parse(data []byte) ([]Diagnostic, []Error, error) {
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, nil, fmt.Errorf("cannot parse handlecheck -json output: %v", err)
	}
	ids := make([]string, 0, len(tree))
	for id := range tree {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var diags []Diagnostic
	var errs []Error
	for _, id := range ids {
		names := make([]string, 0, len(tree[id]))
		for an := range tree[id] {
			names = append(names, an)
		}
		sort.Strings(names)
		for _, an := range names {
			raw := tree[id][an]
			var e struct {
				Error string `json:"error"`
			}
			if json.Unmarshal(raw, &e) == nil && e.Error != "" {
				errs = append(errs, Error{Package: id, Analyzer: an, Message: e.Error})
				continue
			}
			if an != "handlecheck" {
				continue
			}
			var ds []struct {
				Category string `json:"category"`
				Posn     string `json:"posn"`
				Message  string `json:"message"`
				Related  []struct {
					Posn    string `json:"posn"`
					Message string `json:"message"`
				} `json:"related"`
			}
			if err := json.Unmarshal(raw, &ds); err != nil {
				return nil, nil, fmt.Errorf("%s: cannot parse diagnostics: %v", id, err)
			}
			for _, d := range ds {
				diag := Diagnostic{Package: id, Category: d.Category, Posn: d.Posn, Message: d.Message}
				for _, r := range d.Related {
					diag.Related = append(diag.Related, Related{Posn: r.Posn, Message: r.Message})
				}
				diags = append(diags, diag)
			}
		}
	}
	return diags, errs, nil
}

// SplitPosn splits a "file:line:col" position; the file name may contain
// colons. A position of another form is returned whole as the file, with
// line and column 0.
func SplitPosn(p string) (file string, line, col int) {
	i := strings.LastIndex(p, ":")
	if i < 0 {
		return p, 0, 0
	}
	j := strings.LastIndex(p[:i], ":")
	if j < 0 {
		return p, 0, 0
	}
	l, err1 := strconv.Atoi(p[j+1 : i])
	c, err2 := strconv.Atoi(p[i+1:])
	if err1 != nil || err2 != nil {
		return p, 0, 0
	}
	return p[:j], l, c
}

// PosnLess orders file:line:col positions by file, then line and column
// as numbers.
func PosnLess(a, b string) bool {
	fa, la, ca := SplitPosn(a)
	fb, lb, cb := SplitPosn(b)
	if fa != fb {
		return fa < fb
	}
	if la != lb {
		return la < lb
	}
	return ca < cb
}
