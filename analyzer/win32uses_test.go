package analyzer_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestWin32Uses checks the uses rules of native procedures (SelectObject,
// DrawIconEx, AppendMenuW without MF_POPUP...), the hand-over that
// AppendMenuW's MF_POPUP is, and the device context and credential
// sources, on systray's iconToBitmap and its kin.
func TestWin32Uses(t *testing.T) {
	run(t, "windows", analyzer.Analyzer, "./win32uses")
}
