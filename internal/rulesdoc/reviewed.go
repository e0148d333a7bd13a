package rulesdoc

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// ReviewedName is the file, at the module root, that lists the APIs
// reviewed and deliberately left without a rule.
const ReviewedName = "rules_reviewed.yaml"

// A Group is one entry of rules_reviewed.yaml: functions that hand out a
// handle-typed value (or look like releasers) and have no rule, for one
// reason.
type Group struct {
	// Kind is one of Kinds.
	Kind string `yaml:"kind"`
	// Schema, for Kind "needs-schema", is one of Schemas: the extension of
	// the rule schema that a rule for these functions needs.
	Schema string `yaml:"schema"`
	// Reason says why, citing the documentation where it decides.
	Reason string `yaml:"reason"`
	// Funcs are full names as (*types.Func).FullName prints them.
	Funcs []string `yaml:"funcs"`
}

// Kinds of reviewed entry.
var Kinds = []string{
	"not-a-resource", // the value needs no release (Go memory, a borrowed pointer, not a handle)
	"out-of-scope",   // a resource that handlecheck leaves to other tools (*os.File from os.Open)
	"needs-schema",   // owned or borrowed, but no rule can say so yet
	"not-a-releaser", // named like a releaser, but does not end the handle's life
}

// Schemas are the rule schema extensions that needs-schema entries wait for.
var Schemas = []string{
	"variable-length-array", // handles in an array or slice whose length the call decides
	"out-value-condition",   // ownership or the releaser depends on a value the call writes
	"descriptor-range",      // releases every descriptor numbered in a range of arguments
}

// ParseReviewed parses rules_reviewed.yaml.
func ParseReviewed(data []byte) ([]Group, error) {
	var file struct {
		Reviewed []Group `yaml:"reviewed"`
	}
	if err := yaml.Load(data, &file, yaml.WithKnownFields()); err != nil {
		return nil, fmt.Errorf("%s: %v", ReviewedName, err)
	}
	seen := make(map[string]bool)
	for i, g := range file.Reviewed {
		where := fmt.Sprintf("%s: entry %d", ReviewedName, i+1)
		if len(g.Funcs) > 0 {
			where += " (" + g.Funcs[0] + ")"
		}
		switch {
		case !slices.Contains(Kinds, g.Kind):
			return nil, fmt.Errorf("%s: kind %q, want one of %s", where, g.Kind, strings.Join(Kinds, ", "))
		case g.Kind == "needs-schema" && !slices.Contains(Schemas, g.Schema):
			return nil, fmt.Errorf("%s: schema %q, want one of %s", where, g.Schema, strings.Join(Schemas, ", "))
		case g.Kind != "needs-schema" && g.Schema != "":
			return nil, fmt.Errorf("%s: schema is only for kind needs-schema", where)
		case strings.TrimSpace(g.Reason) == "":
			return nil, fmt.Errorf("%s: missing reason", where)
		case len(g.Funcs) == 0:
			return nil, fmt.Errorf("%s: no funcs", where)
		}
		for _, fn := range g.Funcs {
			if seen[fn] {
				return nil, fmt.Errorf("%s: %s is listed twice", where, fn)
			}
			seen[fn] = true
		}
	}
	return file.Reviewed, nil
}
