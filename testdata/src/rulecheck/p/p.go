// Package p declares what the rules of TestRulesCheckedWhereDeclared name
// wrongly: a method with a pointer receiver named with a value receiver,
// a misspelled function, a constant and a type.
package p

// T owns a descriptor.
type T struct{ fd int }

// Open returns a descriptor.
func Open(name string) (int, error) { return len(name), nil }

// Close releases t's descriptor.
func (t *T) Close() error { t.fd = -1; return nil }

// Invalid is not a descriptor.
const Invalid = -1
