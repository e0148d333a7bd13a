// Package winonly builds only for Windows; its test, which imports it,
// builds everywhere, so that a Linux listing of ./... has the package.
package winonly

// N is one.
const N = 1
