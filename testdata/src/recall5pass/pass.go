// Package recall5pass passes handles through helpers that return their
// argument (issue 18, pattern 5): must(os.Open(p)) is the File of os.Open,
// which the caller must still close. The helpers are generic and not, of
// this package and of package util (facts). A helper that keeps its
// argument (stores it) hands it on, and is quiet.
package recall5pass

import (
	"os"

	"handlecheck.test/recall5pass/util"
)

func must[T any](v T, err error) T { // want must:"returns a0 as r0"
	if err != nil {
		panic(err)
	}
	return v
}

func mustFile(f *os.File, err error) *os.File { // want mustFile:"returns a0 as r0"
	if err != nil {
		panic(err)
	}
	return f
}

var kept []any

func keep[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	kept = append(kept, v)
	return v
}

func size(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	return st.Size()
}

func genericLeak(p string) int64 {
	f := must(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func genericClosed(p string) int64 {
	f := must(os.Open(p))
	defer f.Close()
	return size(f)
}

func plainLeak(p string) int64 {
	f := mustFile(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func plainClosed(p string) int64 {
	f := mustFile(os.Open(p))
	defer f.Close()
	return size(f)
}

// argClosed closes the argument, not the result: the same File.
func argClosed(p string) int64 {
	f, err := os.Open(p)
	g := must(f, err)
	defer f.Close()
	return size(g)
}

// check returns the File with a nil error, or nil with an error: its
// error is the File's.
func check(f *os.File, err error) (*os.File, error) { // want check:"returns a0 as r0"
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, os.ErrInvalid
	}
	return f, nil
}

// checkBoth returns both as they are: the error of the call that made the
// File, when that is what is passed.
func checkBoth(f *os.File, err error) (*os.File, error) { // want checkBoth:"returns a0 as r0; returns a1 as r1"
	return f, err
}

// checkLate returns the File with an error of its own: no pass-through
// (the File would be live with a non-nil error).
func checkLate(f *os.File, err error) (*os.File, error) {
	if err != nil {
		return nil, err
	}
	if _, err := f.Stat(); err != nil {
		return f, err
	}
	return f, nil
}

func checkLeak(p string) (int64, error) {
	f, err := check(os.Open(p)) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	return size(f), nil
}

func checkClosed(p string) (int64, error) {
	f, err := check(os.Open(p))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return size(f), nil
}

func checkBothLeak(p string) (int64, error) {
	f, err := checkBoth(os.Open(p)) // want `file from os.Open is not closed on every path`
	if err != nil {
		return 0, err
	}
	return size(f), nil
}

func checkBothClosed(p string) (int64, error) {
	f, err := checkBoth(os.Open(p))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return size(f), nil
}

// checkBothOther passes another call's error with the File: that error
// says nothing of the File, which is handed on, as before.
func checkBothOther(p string, other error) (int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	g, err := checkBoth(f, other)
	if err != nil {
		return 0, err
	}
	defer g.Close()
	return size(g), nil
}

func checkLateQuiet(p string) (int64, error) {
	f, err := checkLate(os.Open(p))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return size(f), nil
}

func keptQuiet(p string) int64 {
	f := keep(os.Open(p))
	return size(f)
}

// openMust returns what it passes through: a source of the File.
func openMust(p string) *os.File { // want openMust:"owned file r0"
	return must(os.Open(p))
}

func openMustLeak(p string) int64 {
	f := openMust(p) // want `file from recall5pass.openMust \(os.Open\) is not closed on every path`
	return size(f)
}

func utilLeak(p string) int64 {
	f := util.Must(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func utilClosed(p string) int64 {
	f := util.Must(os.Open(p))
	defer f.Close()
	return size(f)
}

func utilPlainLeak(p string) int64 {
	f := util.MustFile(os.Create(p)) // want `file from os.Create is not closed on every path`
	return size(f)
}

func utilPlainClosed(p string) error {
	f := util.MustFile(os.Create(p))
	if _, err := f.WriteString("x"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func utilKeptQuiet(p string) int64 {
	f := util.Keep(os.Open(p))
	return size(f)
}

// ---- helpers that pass through another helper -----------------------------
// samber/lo's Must1 returns Must(val, err, messageArgs...); must1 here
// returns must(v, err). Each passes its argument through the other's
// summary; an instance of the generic callee (must[T] in must1's body)
// stands for its origin.

func must1[T any](v T, err error) T { // want must1:"returns a0 as r0"
	return must(v, err)
}

func mustFile1(f *os.File, err error) *os.File { // want mustFile1:"returns a0 as r0"
	return mustFile(f, err)
}

// keep1 returns what keep returns, which keeps it: no pass-through.
func keep1[T any](v T, err error) T {
	return keep(v, err)
}

// check1 has an error result too: the error of the call it returns
// through is not followed, so it passes nothing through.
func check1(f *os.File, err error) (*os.File, error) {
	g, err := check(f, err)
	return g, err
}

func chainLeak(p string) int64 {
	f := must1(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func chainClosed(p string) int64 {
	f := must1(os.Open(p))
	defer f.Close()
	return size(f)
}

func chainPlainLeak(p string) int64 {
	f := mustFile1(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func chainKeptQuiet(p string) int64 {
	f := keep1(os.Open(p))
	return size(f)
}

func chainCheckQuiet(p string) (int64, error) {
	f, err := check1(os.Open(p))
	if err != nil {
		return 0, err
	}
	return size(f), nil
}

func utilMustAnyLeak(p string) int64 {
	f := util.MustAny(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func utilMust1Leak(p string) int64 {
	f := util.Must1(os.Open(p)) // want `file from os.Open is not closed on every path`
	return size(f)
}

func utilMust1Closed(p string) int64 {
	f := util.Must1(os.Open(p))
	defer f.Close()
	return size(f)
}

func utilKeepViaQuiet(p string) int64 {
	f := util.KeepVia(os.Open(p))
	return size(f)
}

// ---- method values and method expressions of an imported source ----------

func rootValueLeak(root *os.Root, name string) int64 {
	open := root.Open
	f, err := open(name) // want `file from \(\*os.Root\).Open is not closed on every path`
	if err != nil {
		return 0
	}
	return size(f)
}

func rootValueClosed(root *os.Root, name string) int64 {
	open := root.Open
	f, err := open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	return size(f)
}

func rootExprLeak(root *os.Root, name string) int64 {
	f, err := (*os.Root).Open(root, name) // want `file from \(\*os.Root\).Open is not closed on every path`
	if err != nil {
		return 0
	}
	return size(f)
}

func rootExprClosed(root *os.Root, name string) int64 {
	f, err := (*os.Root).Open(root, name)
	if err != nil {
		return 0
	}
	defer f.Close()
	return size(f)
}

// closeValue releases through a method value of the releaser.
func closeValue(p string) int64 {
	f, err := os.Open(p)
	if err != nil {
		return 0
	}
	closeFile := f.Close
	defer closeFile()
	return size(f)
}

// closeExpr releases through a method expression of the releaser.
func closeExpr(p string) int64 {
	f, err := os.Open(p)
	if err != nil {
		return 0
	}
	defer (*os.File).Close(f)
	return size(f)
}
