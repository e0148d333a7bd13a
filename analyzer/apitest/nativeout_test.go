package apitest_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestNativeOutReleasers holds out-parameter handles that the generated
// rules released with CloseHandle where the procedure's page names
// another releaser (rules_win32_overlay.yaml, branch rulesG2) or none a
// rule can name (internal/cmd/win32rules/exclude.go): the right release
// stays quiet, a missing one is reported with the documented releaser.
func TestNativeOutReleasers(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./nativeout")
}
