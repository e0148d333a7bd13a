package rules

// Kinds is a set of kinds of rule.
type Kinds uint8

const (
	KnownSource   Kinds = 1 << iota // an owned or borrowed rule
	KnownReleaser                   // a release rule of some resource
	KnownAdopter                    // an adopts rule
	KnownUse                        // a uses rule for the function
	KnownNoReturn                   // a noreturn rule
	KnownThread                     // an impersonates, reverts, locks-thread or unlocks-thread rule
	KnownChange                     // a changes rule
)

// Handles are the kinds of rule through which a call acquires, releases
// or takes a handle.
const Handles = KnownSource | KnownReleaser | KnownAdopter

// Knows returns the kinds of rule in s that name the function with the
// given full name (or native procedure name); 0 if none does. It is the
// one answer to "do the rules know this function?".
func (s *Set) Knows(name string) Kinds {
	var k Kinds
	if _, ok := s.Sources[name]; ok {
		k |= KnownSource
	}
	if len(s.Releasers[name]) > 0 {
		k |= KnownReleaser
	}
	if _, ok := s.Adopters[name]; ok {
		k |= KnownAdopter
	}
	if _, ok := s.UseFuncs[name]; ok {
		k |= KnownUse
	}
	if _, ok := s.NoReturn[name]; ok {
		k |= KnownNoReturn
	}
	if len(s.Thread[name]) > 0 {
		k |= KnownThread
	}
	if len(s.Changes[name]) > 0 {
		k |= KnownChange
	}
	return k
}
