// Package archive is reduced from github.com/pulumi/pulumi/sdk/v3
// v3.277.0, go/common/resource/archive/archive.go: ReadSourceArchiveWithWD
// (:778) opens the archive's file only where the format it detected is
// not NotArchive, and returns that format with it, so a caller that tests
// f != NotArchive (EnsureHashWithWD, :814) has no file on the other side.
// Its summary says so (the handle is none where r0 == NotArchive), in the
// fact too, for freshM2.
package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Format indicates what archive format an archive uses.
type Format int

const (
	NotArchive = iota // not an archive.
	TarArchive        // a POSIX tar archive.
	ZIPArchive        // a multi-file ZIP archive.
)

// Archive is a file or a URI, reduced.
type Archive struct {
	Path string
	URI  string
	Hash string
}

// ignoreClose is pulumi's contract.IgnoreClose, reduced.
func ignoreClose(cr io.Closer) {
	_ = cr.Close()
}

func detectArchiveFormat(path string) Format {
	switch {
	case strings.HasSuffix(path, ".tar"):
		return TarArchive
	case strings.HasSuffix(path, ".zip"):
		return ZIPArchive
	}
	return NotArchive
}

// openURLStream is pulumi's, for file URIs only (no HTTP here).
func (a *Archive) openURLStream(u *url.URL) (io.ReadCloser, error) { // want openURLStream:"owned file r0"
	if u.Scheme != "file" {
		return nil, errors.New("unsupported URI scheme")
	}
	return os.Open(u.Path)
}

// ReadSourceArchiveWithWD is pulumi's: the file comes only with a format
// other than NotArchive.
func (a *Archive) ReadSourceArchiveWithWD(wd string) (Format, io.ReadCloser, error) { // want ReadSourceArchiveWithWD:"owned file r1 \\(none if r0 == 0\\)"
	if path := a.Path; path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join(wd, path)
		}
		if format := detectArchiveFormat(path); format != NotArchive {
			f, err := os.Open(path)
			return format, f, err
		}
	} else if u, err := url.Parse(a.URI); err == nil && a.URI != "" {
		if format := detectArchiveFormat(u.Path); format != NotArchive {
			s, err := a.openURLStream(u)
			return format, s, err
		}
	}
	return NotArchive, nil, nil
}

// ReadSourceArchive passes the call's results on as they are: the same
// correlation holds of them.
func (a *Archive) ReadSourceArchive() (Format, io.ReadCloser, error) { // want ReadSourceArchive:"owned file r1 \\(none if r0 == 0\\)"
	wd, err := os.Getwd()
	if err != nil {
		return NotArchive, nil, err
	}
	return a.ReadSourceArchiveWithWD(wd)
}

// EnsureHashWithWD is pulumi's (:806): on the f == NotArchive side there
// is no file to close. Quiet.
func (a *Archive) EnsureHashWithWD(wd string) error {
	if a.Hash == "" {
		hash := sha256.New()
		f, r, err := a.ReadSourceArchiveWithWD(wd)
		if err != nil {
			return err
		}
		if f != NotArchive && r != nil {
			defer ignoreClose(r)
			_, err = io.Copy(hash, r)
			if err != nil {
				return err
			}
		} else {
			err := a.ArchiveWithWD(TarArchive, hash, wd)
			if err != nil {
				return err
			}
		}
		a.Hash = hex.EncodeToString(hash.Sum(nil))
	}
	return nil
}

// ArchiveWithWD is pulumi's (:618), which really leaks: the stream is
// never closed where the format matches, and dropped where the source is
// an archive of another format.
func (a *Archive) ArchiveWithWD(format Format, w io.Writer, wd string) error { // want ArchiveWithWD:"uses a0; uses a1"
	if sf, ss, err := a.ReadSourceArchiveWithWD(wd); sf != NotArchive && sf == format { // want `file from \(\*archive.Archive\).ReadSourceArchiveWithWD \(os.Open\) is not closed on every path`
		if err != nil {
			return err
		}
		_, err := io.Copy(w, ss)
		return err
	}
	return errors.New("archiving is not reduced here")
}

// readUntested returns the file with a format it never tested: no
// correlation, so its caller that drops the file where the format is
// NotArchive is reported.
func (a *Archive) readUntested() (Format, io.ReadCloser, error) { // want readUntested:"owned file r1$"
	f, err := os.Open(a.Path)
	return detectArchiveFormat(a.Path), f, err
}

func (a *Archive) hashUntested(w io.Writer) error {
	f, r, err := a.readUntested() // want `file from \(\*archive.Archive\).readUntested \(os.Open\) is not closed on every path`
	if err != nil {
		return err
	}
	if f == NotArchive {
		return nil
	}
	defer ignoreClose(r)
	_, err = io.Copy(w, r)
	return err
}

// readMixed tests the format on one path only: the file returned on the
// other may come with NotArchive, so no correlation.
func (a *Archive) readMixed(direct bool) (Format, io.ReadCloser, error) { // want readMixed:"owned file r1$"
	if direct {
		f, err := os.Open(a.Path)
		return detectArchiveFormat(a.Path), f, err
	}
	if format := detectArchiveFormat(a.Path); format != NotArchive {
		f, err := os.Open(a.Path)
		return format, f, err
	}
	return NotArchive, nil, nil
}

func (a *Archive) hashMixed(w io.Writer) error {
	f, r, err := a.readMixed(true) // want `file from \(\*archive.Archive\).readMixed \(os.Open\) is not closed on every path`
	if err != nil || f == NotArchive {
		return err
	}
	defer ignoreClose(r)
	_, err = io.Copy(w, r)
	return err
}

// openTar returns a file only with ok true, a constant: none where ok is
// false.
func openTar(path string) (f *os.File, ok bool, err error) { // want openTar:"owned file r0 \\(none if r1 == false\\)"
	if detectArchiveFormat(path) != TarArchive {
		return nil, false, nil
	}
	f, err = os.Open(path)
	return f, true, err
}

// hashTar closes it where ok: quiet.
func hashTar(path string, w io.Writer) error {
	f, ok, err := openTar(path)
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// hashTarLeak drops it where ok: reported.
func hashTarLeak(path string) error {
	f, ok, err := openTar(path) // want `file from archive.openTar \(os.Open\) is not closed on every path`
	if err != nil || ok {
		return err
	}
	return f.Close()
}
