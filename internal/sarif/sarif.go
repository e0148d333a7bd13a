// Package sarif writes findings as a SARIF 2.1.0 log, the format GitHub
// code scanning and other result viewers read.
//
// A log has one rule per diagnostic category. File locations are relative
// to a base directory named %SRCROOT% (given as an absolute URI in
// originalUriBaseIds), so that a log made in a repository's root has
// repository-relative paths. Each result carries a partial fingerprint
// that does not depend on line numbers: the baseline key of the finding
// (category, file, function, message without line numbers) and its
// ordinal among findings with that key.
package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/handlecheck/handlecheck/internal/baseline"
	"github.com/handlecheck/handlecheck/internal/driver"
)

// Schema is the URI of the schema the log follows.
const Schema = "https://json.schemastore.org/sarif-2.1.0.json"

// FingerprintName is the key of handlecheck's partial fingerprint.
const FingerprintName = "handlecheckKey/v1"

// SrcRoot is the uriBaseId of the base directory.
const SrcRoot = "%SRCROOT%"

// Options describe the tool and the run.
type Options struct {
	Version string // the tool's version, "" when unknown
	// InfoURI is the tool's home page; HelpURI is the page whose anchors
	// are the categories.
	InfoURI, HelpURI string
	// BaseDir is the absolute directory that locations are relative to.
	BaseDir string
	// Errors are the run's errors, one per package; a log with errors
	// says that the run did not succeed.
	Errors []string
}

// Write writes findings to w as a SARIF log.
func Write(w io.Writer, findings []driver.Finding, opts Options) error {
	data, err := json.MarshalIndent(build(findings, opts), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

type (
	sarifLog struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []run  `json:"runs"`
	}
	run struct {
		Tool               tool                    `json:"tool"`
		Invocations        []invocation            `json:"invocations"`
		OriginalURIBaseIDs map[string]artifactPath `json:"originalUriBaseIds,omitempty"`
		Results            []result                `json:"results"`
	}
	tool struct {
		Driver toolComponent `json:"driver"`
	}
	toolComponent struct {
		Name            string `json:"name"`
		Version         string `json:"version,omitempty"`
		SemanticVersion string `json:"semanticVersion,omitempty"`
		InformationURI  string `json:"informationUri"`
		Rules           []rule `json:"rules"`
	}
	rule struct {
		ID                   string     `json:"id"`
		Name                 string     `json:"name"`
		ShortDescription     text       `json:"shortDescription"`
		FullDescription      text       `json:"fullDescription"`
		Help                 help       `json:"help"`
		HelpURI              string     `json:"helpUri"`
		DefaultConfiguration ruleConfig `json:"defaultConfiguration"`
		Properties           properties `json:"properties"`
	}
	ruleConfig struct {
		Level string `json:"level"`
	}
	properties struct {
		Tags []string `json:"tags,omitempty"`
		GOOS []string `json:"goos,omitempty"`
	}
	text struct {
		Text string `json:"text"`
	}
	help struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	invocation struct {
		ExecutionSuccessful bool           `json:"executionSuccessful"`
		Notifications       []notification `json:"toolExecutionNotifications,omitempty"`
	}
	notification struct {
		Level   string `json:"level"`
		Message text   `json:"message"`
	}
	artifactPath struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	result struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             text              `json:"message"`
		Locations           []location        `json:"locations"`
		RelatedLocations    []location        `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Fixes               []fix             `json:"fixes,omitempty"`
		Properties          *properties       `json:"properties,omitempty"`
	}
	fix struct {
		Description     text             `json:"description"`
		ArtifactChanges []artifactChange `json:"artifactChanges"`
	}
	artifactChange struct {
		ArtifactLocation artifactPath  `json:"artifactLocation"`
		Replacements     []replacement `json:"replacements"`
	}
	replacement struct {
		DeletedRegion   byteRegion `json:"deletedRegion"`
		InsertedContent *text      `json:"insertedContent,omitempty"`
	}
	byteRegion struct {
		ByteOffset int `json:"byteOffset"`
		ByteLength int `json:"byteLength"`
	}
	location struct {
		ID               *int              `json:"id,omitempty"`
		PhysicalLocation physicalLocation  `json:"physicalLocation"`
		LogicalLocations []logicalLocation `json:"logicalLocations,omitempty"`
		Message          *text             `json:"message,omitempty"`
	}
	physicalLocation struct {
		ArtifactLocation artifactPath `json:"artifactLocation"`
		Region           *region      `json:"region,omitempty"`
	}
	region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	logicalLocation struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	}
)

const level = "error"

func build(findings []driver.Finding, opts Options) *sarifLog {
	b := &builder{opts: opts, index: map[string]int{}, lines: map[string][][]byte{}}
	for _, c := range categories {
		b.addRule(rule{
			ID:               c.id,
			Name:             c.name,
			ShortDescription: text{c.short},
			FullDescription:  text{c.full},
			Help: help{
				Text:     c.full + "\n\nExample:\n\n" + indent(c.example) + "\n",
				Markdown: c.full + "\n\nExample:\n\n```go\n" + c.example + "\n```\n",
			},
			HelpURI: resolve(opts.HelpURI, "#"+cmpOr(c.anchor, c.id)),
		})
	}
	r := run{
		Tool: tool{Driver: toolComponent{
			Name:           "handlecheck",
			Version:        opts.Version,
			InformationURI: opts.InfoURI,
		}},
		Invocations: []invocation{{ExecutionSuccessful: len(opts.Errors) == 0}},
		Results:     []result{},
	}
	if v := opts.Version; strings.HasPrefix(v, "v") && strings.Count(v, ".") >= 2 {
		r.Tool.Driver.SemanticVersion = strings.TrimPrefix(v, "v")
	}
	for _, e := range opts.Errors {
		r.Invocations[0].Notifications = append(r.Invocations[0].Notifications, notification{Level: "error", Message: text{e}})
	}
	if opts.BaseDir != "" {
		r.OriginalURIBaseIDs = map[string]artifactPath{SrcRoot: {URI: fileURI(opts.BaseDir) + "/"}}
	}
	keys, ordinals := baseline.Keys(findings, opts.BaseDir)
	for i, f := range findings {
		res := result{
			RuleID:    b.ruleFor(f),
			Level:     level,
			Message:   text{f.Message},
			Locations: []location{b.location(f.Posn, f.End)},
			PartialFingerprints: map[string]string{
				FingerprintName: fmt.Sprintf("%s:%d", keys[i].Hash(), ordinals[i]),
			},
			Properties: &properties{GOOS: f.GOOS},
		}
		res.RuleIndex = b.index[res.RuleID]
		if f.Func != "" {
			res.Locations[0].LogicalLocations = []logicalLocation{{Name: f.Func, Kind: kind(f.Func)}}
		}
		for _, x := range f.Fixes {
			res.Fixes = append(res.Fixes, b.fix(x))
		}
		for j, rel := range f.Related {
			loc := b.location(rel.Posn, rel.End)
			id := j + 1
			loc.ID, loc.Message = &id, &text{rel.Message}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		r.Results = append(r.Results, res)
	}
	r.Tool.Driver.Rules = b.rules
	return &sarifLog{Schema: Schema, Version: "2.1.0", Runs: []run{r}}
}

type builder struct {
	opts  Options
	rules []rule
	index map[string]int      // rule ID to index in rules
	lines map[string][][]byte // file contents by line, for columns
}

func (b *builder) addRule(r rule) {
	r.DefaultConfiguration = ruleConfig{Level: level}
	r.Properties = properties{Tags: []string{"reliability", "correctness", "handles"}}
	b.index[r.ID] = len(b.rules)
	b.rules = append(b.rules, r)
}

// ruleFor returns the rule ID of f's category, adding a rule for a
// category this package does not describe.
func (b *builder) ruleFor(f driver.Finding) string {
	id := f.Category
	if id == "" {
		id = f.Analyzer
	}
	if _, ok := b.index[id]; !ok {
		desc := "handlecheck " + id
		b.addRule(rule{
			ID: id, Name: id,
			ShortDescription: text{desc}, FullDescription: text{desc},
			Help:    help{Text: "See " + f.URL, Markdown: "See <" + f.URL + ">."},
			HelpURI: f.URL,
		})
	}
	return id
}

func (b *builder) location(start, end token.Position) location {
	loc := location{PhysicalLocation: physicalLocation{ArtifactLocation: b.artifact(start.Filename)}}
	if start.Line > 0 {
		reg := &region{StartLine: start.Line, StartColumn: b.column(start.Filename, start.Line, start.Column)}
		if end.Filename == start.Filename && end.Line > 0 {
			reg.EndLine = end.Line
			reg.EndColumn = b.column(end.Filename, end.Line, end.Column)
		}
		loc.PhysicalLocation.Region = reg
	}
	return loc
}

// fix turns a suggested fix into a SARIF fix, with byte regions: go/token
// offsets are bytes.
func (b *builder) fix(x driver.Fix) fix {
	out := fix{Description: text{x.Message}}
	byFile := map[string]int{} // file to index in ArtifactChanges
	for _, e := range x.Edits {
		i, ok := byFile[e.Filename]
		if !ok {
			i = len(out.ArtifactChanges)
			byFile[e.Filename] = i
			out.ArtifactChanges = append(out.ArtifactChanges, artifactChange{ArtifactLocation: b.artifact(e.Filename)})
		}
		r := replacement{DeletedRegion: byteRegion{ByteOffset: e.Start, ByteLength: e.End - e.Start}}
		if e.New != "" {
			r.InsertedContent = &text{e.New}
		}
		out.ArtifactChanges[i].Replacements = append(out.ArtifactChanges[i].Replacements, r)
	}
	return out
}

// artifact locates a file relative to the base directory.
func (b *builder) artifact(file string) artifactPath {
	if b.opts.BaseDir != "" {
		if rel, err := filepath.Rel(b.opts.BaseDir, file); err == nil && filepath.IsLocal(rel) {
			return artifactPath{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: SrcRoot}
		}
	}
	return artifactPath{URI: fileURI(file)}
}

// column turns a go/token column (bytes, from 1) into a SARIF column
// (UTF-16 code units, from 1).
func (b *builder) column(file string, line, col int) int {
	if col <= 0 {
		return 0
	}
	lines, ok := b.lines[file]
	if !ok {
		data, err := os.ReadFile(file)
		if err == nil {
			lines = bytes.Split(data, []byte("\n"))
		}
		b.lines[file] = lines
	}
	if line > len(lines) || col-1 > len(lines[line-1]) {
		return col
	}
	units := 1
	for s := lines[line-1][:col-1]; len(s) > 0; {
		r, n := utf8.DecodeRune(s)
		s = s[n:]
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
	}
	return units
}

func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func resolve(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return base
	}
	r, _ := url.Parse(ref)
	return b.ResolveReference(r).String()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func kind(fn string) string {
	if strings.Contains(fn, ".") {
		return "member"
	}
	return "function"
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
