package sarif_test

import (
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handlecheck/handlecheck/internal/driver"
	"github.com/handlecheck/handlecheck/internal/sarif"
	"github.com/handlecheck/handlecheck/internal/sarif/sariftest"
)

// log is the part of a SARIF log the tests look at.
type log struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID, HelpURI      string
					ShortDescription struct{ Text string }
					Help             struct{ Text, Markdown string }
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful bool
		}
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Results            []struct {
			RuleID    string
			RuleIndex int
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string
						URIBaseID string `json:"uriBaseId"`
					}
					Region struct{ StartLine, StartColumn, EndLine, EndColumn int }
				}
				LogicalLocations []struct{ Name, Kind string }
			}
			RelatedLocations []struct {
				ID      int
				Message struct{ Text string }
			}
			PartialFingerprints map[string]string
			Fixes               []struct {
				ArtifactChanges []struct {
					ArtifactLocation struct{ URI string }
					Replacements     []struct {
						DeletedRegion   struct{ ByteOffset, ByteLength int }
						InsertedContent struct{ Text string }
					}
				}
			}
		}
	}
}

func write(t *testing.T, findings []driver.Finding, opts sarif.Options) (log, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := sarif.Write(&buf, findings, opts); err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(buf.Bytes()); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v\n%s", err, buf.Bytes())
	}
	var l log
	if err := json.Unmarshal(buf.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	return l, buf.Bytes()
}

// fixture writes a source file under a temporary base directory and
// returns the base and the file's path.
func fixture(t *testing.T) (string, string) {
	t.Helper()
	base := t.TempDir()
	file := filepath.Join(base, "pkg", "a.go")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "package pkg\n\nfunc F() {\n\ts := \"é𝄞\"; h := open()\n\t_ = h\n}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return base, file
}

func leak(file string, line, col int) driver.Finding {
	return driver.Finding{
		Analyzer: "handlecheck",
		Category: "leak",
		Message:  "handle from pkg.open is not closed on every path: release it with pkg.close",
		URL:      "https://github.com/handlecheck/handlecheck#leak",
		Posn:     token.Position{Filename: file, Line: line, Column: col},
		End:      token.Position{Filename: file, Line: line, Column: col + 6},
		Related: []driver.Related{{
			Posn:    token.Position{Filename: file, Line: line + 2, Column: 1},
			Message: "the handle from pkg.open is still held when the function returns here",
		}},
		Func: "F",
		GOOS: []string{"linux", "windows"},
		Fixes: []driver.Fix{{
			Message: "release it with defer close(h)",
			Edits:   []driver.Edit{{Filename: file, Start: 40, End: 40, New: "\n\tdefer close(h)"}},
		}},
	}
}

var opts = sarif.Options{
	Version: "v1.2.3",
	InfoURI: "https://github.com/handlecheck/handlecheck",
	HelpURI: "https://github.com/handlecheck/handlecheck#categories",
}

func TestLog(t *testing.T) {
	base, file := fixture(t)
	o := opts
	o.BaseDir = base
	// "é" is 2 bytes and 1 UTF-16 unit, "𝄞" 4 bytes and 2 units: the
	// call at byte columns 22 to 28 is at UTF-16 columns 19 to 25.
	l, raw := write(t, []driver.Finding{leak(file, 4, 22)}, o)
	run := l.Runs[0]

	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		rules[r.ID] = i
		anchor := r.ID
		if r.ID == "directive" {
			anchor = "suppressions-and-fixes"
		}
		if r.HelpURI != "https://github.com/handlecheck/handlecheck#"+anchor {
			t.Errorf("rule %s: helpUri %s", r.ID, r.HelpURI)
		}
		if r.ShortDescription.Text == "" || !strings.Contains(r.Help.Text, "Example:") || !strings.Contains(r.Help.Markdown, "```go") {
			t.Errorf("rule %s lacks a description or an example: %+v", r.ID, r)
		}
	}
	for _, c := range []string{"leak", "borrowed-release", "double-release", "wrong-releaser", "directive"} {
		if _, ok := rules[c]; !ok {
			t.Errorf("no rule for category %s", c)
		}
	}
	if got := run.OriginalURIBaseIDs[sarif.SrcRoot].URI; !strings.HasPrefix(got, "file:///") || !strings.HasSuffix(got, "/") {
		t.Errorf("%s = %q, want an absolute file URI ending in /", sarif.SrcRoot, got)
	}
	if !run.Invocations[0].ExecutionSuccessful {
		t.Error("executionSuccessful = false for a run without errors")
	}

	res := run.Results[0]
	if res.RuleID != "leak" || res.RuleIndex != rules["leak"] {
		t.Errorf("ruleId %s ruleIndex %d", res.RuleID, res.RuleIndex)
	}
	loc := res.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "pkg/a.go" || loc.ArtifactLocation.URIBaseID != sarif.SrcRoot {
		t.Errorf("artifactLocation = %+v, want pkg/a.go in %s", loc.ArtifactLocation, sarif.SrcRoot)
	}
	if r := loc.Region; r.StartLine != 4 || r.StartColumn != 19 || r.EndLine != 4 || r.EndColumn != 25 {
		t.Errorf("region = %+v, want line 4, UTF-16 columns 19 to 25", r)
	}
	if ll := res.Locations[0].LogicalLocations; len(ll) != 1 || ll[0].Name != "F" {
		t.Errorf("logicalLocations = %+v", ll)
	}
	if fx := res.Fixes; len(fx) != 1 || fx[0].ArtifactChanges[0].ArtifactLocation.URI != "pkg/a.go" ||
		fx[0].ArtifactChanges[0].Replacements[0].DeletedRegion.ByteOffset != 40 ||
		fx[0].ArtifactChanges[0].Replacements[0].InsertedContent.Text != "\n\tdefer close(h)" {
		t.Errorf("fixes = %+v", fx)
	}
	if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].ID != 1 || !strings.Contains(res.RelatedLocations[0].Message.Text, "still held") {
		t.Errorf("relatedLocations = %+v", res.RelatedLocations)
	}
	if n := bytes.Count(raw, []byte(filepath.ToSlash(base))); n != 1 {
		t.Errorf("the base directory appears %d times, want once (in originalUriBaseIds):\n%s", n, raw)
	}
}

// TestFingerprints checks that fingerprints do not change when a finding
// moves, and that two findings with the same key differ.
func TestFingerprints(t *testing.T) {
	base, file := fixture(t)
	o := opts
	o.BaseDir = base
	fp := func(findings ...driver.Finding) []string {
		l, _ := write(t, findings, o)
		var out []string
		for _, r := range l.Runs[0].Results {
			out = append(out, r.PartialFingerprints[sarif.FingerprintName])
		}
		return out
	}
	before := fp(leak(file, 4, 22))
	moved := fp(leak(file, 9, 22))
	if before[0] == "" || before[0] != moved[0] {
		t.Errorf("fingerprint changed when the finding moved: %s, %s", before[0], moved[0])
	}
	two := fp(leak(file, 4, 22), leak(file, 5, 2))
	if two[0] != before[0] || two[1] == two[0] {
		t.Errorf("two findings with one key: fingerprints %v (first alone: %s)", two, before[0])
	}
	other := leak(file, 4, 22)
	other.Func = "G"
	if g := fp(other); g[0] == before[0] {
		t.Error("a finding in another function has the same fingerprint")
	}
}

func TestErrors(t *testing.T) {
	o := opts
	o.Errors = []string{"handlecheck: rules.yaml:3:5: unknown key resorce"}
	l, _ := write(t, nil, o)
	if l.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Error("executionSuccessful = true for a run with errors")
	}
	if len(l.Runs[0].Results) != 0 {
		t.Errorf("results = %+v, want none", l.Runs[0].Results)
	}
}

// TestSchemaRejects checks that the validator is not vacuous.
func TestSchemaRejects(t *testing.T) {
	for _, bad := range []string{
		`{"version": "2.1.0"}`,
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
	} {
		if err := sariftest.Validate([]byte(bad)); err == nil {
			t.Errorf("%s: valid, want invalid", bad)
		}
	}
}
