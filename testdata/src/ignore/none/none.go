// Package none has no handle code at all, so handlecheck builds no SSA for
// it; its directives are still checked.
package none

//handlecheck:ignore leak nothing here // want `handlecheck:ignore leak suppresses nothing on this line or the next: remove it`
func nothing() {}
