// Package handlecheck holds the default rules that the handlecheck analyzer
// embeds. The analyzer lives in package analyzer; the command in
// cmd/handlecheck.
package handlecheck

import _ "embed"

// DefaultRules is the text of rules.yaml, the default rule set.
//
//go:embed rules.yaml
var DefaultRules []byte

// DefaultRulesName is the file name that positions in DefaultRules carry.
const DefaultRulesName = "rules.yaml"
