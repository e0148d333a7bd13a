// Package freshL2 holds set L's false alarm at github.com/rclone/rclone
// v1.76.0 backend/local/xattr.go:119, (*Object).setXattr: the xattrs are
// written through a file opened for reading, or, where that fails with a
// permission error, through one opened for writing:
//
//	fd, err = o.fs.openFile(o.path, os.O_RDONLY, 0)
//	if os.IsPermission(err) {
//		if wfd, werr := o.fs.openFile(o.path, os.O_WRONLY, 0); werr == nil {
//			fd, err = wfd, nil
//		}
//	}
//	if err != nil {
//		return fmt.Errorf("failed to open for xattr: %w", err)
//	}
//	defer fs.CheckClose(fd, &err)
//
// wfd is held only where werr is nil, and there err is set to nil with
// it, so the return on err != nil never has it. err is the named result,
// whose address the deferred CheckClose takes: it lives in a variable,
// not in phis, and the test reads the variable back.
package freshL2

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// checkClose is rclone's fs.CheckClose (fs/fs.go:78): it closes c and
// keeps its error in *err unless *err holds one already.
func checkClose(c io.Closer, err *error) {
	cerr := c.Close()
	if *err == nil {
		*err = cerr
	}
}

type options struct{ TranslateSymlinks bool }

type Fs struct{ opt options }

type Object struct {
	fs             *Fs
	path           string
	translatedLink bool
}

// openFile is (*local.Fs).openFile (local.go:1649), with os.OpenFile for
// rclone's lib/file.OpenFile.
func (f *Fs) openFile(localPath string, flags int, perm os.FileMode) (fi *os.File, err error) { // want openFile:"owned file r0; owned file r0"
	if !f.opt.TranslateSymlinks {
		return os.OpenFile(localPath, flags, perm)
	}
	root, err := os.OpenRoot(filepath.Dir(localPath))
	if err != nil {
		return nil, err
	}
	defer checkClose(root, &err)
	return root.OpenFile(filepath.Base(localPath), flags, perm)
}

// setXattr is rclone's, with x/sys/unix for github.com/pkg/xattr: quiet.
func (o *Object) setXattr(metadata map[string]string) (err error) {
	var fd *os.File
	for k, value := range metadata {
		k = "user." + strings.ToLower(k)
		v := []byte(value)
		switch {
		case o.fs.opt.TranslateSymlinks && !o.translatedLink:
			if fd == nil {
				fd, err = o.fs.openFile(o.path, os.O_RDONLY, 0)
				if os.IsPermission(err) {
					if wfd, werr := o.fs.openFile(o.path, os.O_WRONLY, 0); werr == nil {
						fd, err = wfd, nil
					}
				}
				if err != nil {
					return fmt.Errorf("failed to open for xattr: %w", err)
				}
				defer checkClose(fd, &err)
			}
			err = unix.Fsetxattr(int(fd.Fd()), k, v, 0)
		default:
			err = unix.Lsetxattr(o.path, k, v, 0)
		}
		if err != nil {
			return fmt.Errorf("failed to set xattr key %q: %w", k, err)
		}
	}
	return nil
}

// openEither is the shape alone, with os.OpenFile and no loop: quiet.
func openEither(p string) (err error) {
	fd, err := os.OpenFile(p, os.O_RDONLY, 0)
	if os.IsPermission(err) {
		if wfd, werr := os.OpenFile(p, os.O_WRONLY, 0); werr == nil {
			fd, err = wfd, nil
		}
	}
	if err != nil {
		return err
	}
	defer checkClose(fd, &err)
	return nil
}

// openElse sets err on both sides of the test of the second open's
// error, and a deferred closure reads it: quiet.
func openElse(p string) (err error) {
	var fd *os.File
	wfd, werr := os.OpenFile(p, os.O_WRONLY, 0)
	if werr == nil {
		fd, err = wfd, nil
	} else {
		err = werr
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("open %s: %w", p, err)
		}
	}()
	if err != nil {
		return err
	}
	defer checkClose(fd, &err)
	return nil
}

var errReadOnly = errors.New("opened for writing only")

// openElseErr keeps a non-nil error with the file it opened, and the
// return on it leaks the file.
func openElseErr(p string) (err error) {
	fd, err := os.OpenFile(p, os.O_RDONLY, 0)
	if os.IsPermission(err) {
		if wfd, werr := os.OpenFile(p, os.O_WRONLY, 0); werr == nil { // want `file from os.OpenFile is not closed on every path`
			fd, err = wfd, errReadOnly
		}
	}
	if err != nil {
		return err
	}
	defer checkClose(fd, &err)
	return nil
}

// openReset passes err's address to a call before the test, and the
// call may set it: the return on it leaks the file.
func openReset(p string) (err error) {
	fd, err := os.OpenFile(p, os.O_RDONLY, 0)
	if os.IsPermission(err) {
		if wfd, werr := os.OpenFile(p, os.O_WRONLY, 0); werr == nil { // want `file from os.OpenFile is not closed on every path`
			fd, err = wfd, nil
		}
	}
	checkHidden(p, &err)
	if err != nil {
		return err
	}
	defer checkClose(fd, &err)
	return nil
}

var errHidden = errors.New("hidden file")

// checkHidden sets *err, if nil, where p names a hidden file.
func checkHidden(p string, err *error) {
	if *err == nil && strings.HasPrefix(filepath.Base(p), ".") {
		*err = errHidden
	}
}
