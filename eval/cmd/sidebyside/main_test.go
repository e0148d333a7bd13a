package main

import (
	"strings"
	"testing"
	"time"
)

// TestRender checks the summary rows over corpus units: sums of wall and
// CPU, median and largest RSS, and handlecheck's ratios unit by unit.
func TestRender(t *testing.T) {
	var rows []*Row
	for i, u := range []string{"a", "b", "c"} {
		f := float64(i + 1)
		rows = append(rows,
			&Row{Unit: u, GOOS: "linux", Tool: "handlecheck", Cold: Measure{WallS: f, CPUS: f, MaxRSSMB: 100 * f}, Warm: Measure{WallS: 0.1, CPUS: 0.1, MaxRSSMB: 20}},
			&Row{Unit: u, GOOS: "linux", Tool: "staticcheck", Cold: Measure{WallS: 10 * f, CPUS: 10 * f, MaxRSSMB: 200}, Warm: Measure{WallS: 0.2, CPUS: 0.4, MaxRSSMB: 40}},
		)
	}
	out := render(time.Now(), nil, rows)
	for _, want := range []string{
		"Over the 3 corpus units",
		"| handlecheck | 6.0 s | 6.0 s | 200 / 300 MB | 0.30 s | 0.30 s | 20 / 20 MB |",
		"| staticcheck | 60.0 s | 60.0 s | 200 / 200 MB | 0.60 s | 1.20 s | 40 / 40 MB |",
		"| handlecheck / staticcheck | 0.10 (0.10-0.10) | 1.00 (0.50-1.50) | 0.50 (0.50-0.50) | 0.25 (0.25-0.25) | 0.50 (0.50-0.50) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
	// std and module rows are not corpus units.
	out = render(time.Now(), nil, []*Row{{Unit: "std", Tool: "handlecheck"}})
	if strings.Contains(out, "corpus units") {
		t.Errorf("std counted as a corpus unit:\n%s", out)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		vs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{1, 2}, 1.5}, {[]float64{1, 2, 10}, 2}} {
		if got := median(c.vs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.vs, got, c.want)
		}
	}
}
