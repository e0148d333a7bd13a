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

// Win32Rules is the text of rules_win32.yaml, the native-procedure rules
// that internal/cmd/win32rules generates from rules.yaml, x/sys and
// Microsoft's Win32 metadata.
//
//go:embed rules_win32.yaml
var Win32Rules []byte

// Win32RulesName is the file name that positions in Win32Rules carry.
const Win32RulesName = "rules_win32.yaml"

// Win32Overlay is the text of rules_win32_overlay.yaml, the hand-written
// corrections and additions to rules_win32.yaml.
//
//go:embed rules_win32_overlay.yaml
var Win32Overlay []byte

// Win32OverlayName is the file name that positions in Win32Overlay carry.
const Win32OverlayName = "rules_win32_overlay.yaml"

// A RulesFile is one embedded rules file.
type RulesFile struct {
	Name string
	Data []byte
}

// DefaultFiles are the default rules files in the order they are merged:
// later ones extend and override earlier ones.
var DefaultFiles = []RulesFile{
	{DefaultRulesName, DefaultRules},
	{Win32RulesName, Win32Rules},
	{Win32OverlayName, Win32Overlay},
}
