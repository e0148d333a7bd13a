// Package freshM2 holds set M's false alarm (eval/fresh/set-M.md):
// github.com/pulumi/pulumi/sdk/v3 v3.277.0,
// go/common/resource/archive/archive.go:814, EnsureHashWithWD, which
// closes the stream of ReadSourceArchiveWithWD only where f !=
// NotArchive && r != nil: that function returns a file only with a
// format it tested to be no NotArchive (see package archive). Here the
// same callers, across the package boundary: the correlation travels in
// the summary's fact.
package freshM2

import (
	"io"

	"handlecheck.test/freshM2/archive"
)

// hash is EnsureHashWithWD's shape: quiet.
func hash(a *archive.Archive, w io.Writer) error {
	f, r, err := a.ReadSourceArchiveWithWD("/")
	if err != nil {
		return err
	}
	if f != archive.NotArchive && r != nil {
		defer r.Close()
		_, err = io.Copy(w, r)
		return err
	}
	_, err = io.WriteString(w, "not an archive")
	return err
}

// hashEq tests f == NotArchive first, through the pass-through wrapper,
// and in an || chain: quiet.
func hashEq(a *archive.Archive, w io.Writer) error {
	f, r, err := a.ReadSourceArchive()
	if err != nil || f == archive.NotArchive {
		return err
	}
	defer r.Close()
	_, err = io.Copy(w, r)
	return err
}

// dropArchive drops r where f != NotArchive, where the file is: reported.
func dropArchive(a *archive.Archive, w io.Writer) error {
	f, r, err := a.ReadSourceArchiveWithWD("/") // want `file from \(\*archive.Archive\).ReadSourceArchiveWithWD \(os.Open\) is not closed on every path`
	if err != nil {
		return err
	}
	if f == archive.NotArchive {
		return nil
	}
	if f == archive.ZIPArchive {
		return nil // not closed
	}
	defer r.Close()
	_, err = io.Copy(w, r)
	return err
}

// dropOther: f == TarArchive says nothing of the file: reported.
func dropOther(a *archive.Archive) error {
	f, r, err := a.ReadSourceArchiveWithWD("/") // want `file from \(\*archive.Archive\).ReadSourceArchiveWithWD \(os.Open\) is not closed on every path`
	if err != nil {
		return err
	}
	if f != archive.TarArchive {
		return nil
	}
	return r.Close()
}
