// Package wrongwant has a want comment that does not match, in a Windows-only
// file: the tests check that it fails under GOOS=windows, and that the
// file-coverage check catches the vacuous pass under another GOOS.
package wrongwant
