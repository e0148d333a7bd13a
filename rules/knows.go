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
	KnownCallback                   // a borrowed rule with callback
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
	if len(s.Callbacks[name]) > 0 {
		k |= KnownCallback
	}
	return k
}

// PackageKnows returns the kinds of rule in s that name a function or
// method of the package with the given path; 0 if none does.
func (s *Set) PackageKnows(path string) Kinds {
	if p := s.packages[path]; p != nil {
		return p.kinds
	}
	return 0
}

// packageNames returns the names of the functions (and vtable slots) of
// the package with the given path that rules of s name, sorted.
func (s *Set) packageNames(path string) []string {
	if p := s.packages[path]; p != nil {
		return p.names
	}
	return nil
}

// indexPackages groups the names of s's rules by package, once, so that
// what a package's pass asks of them (CheckDeclared, PackageKnows) does
// not go through every rule.
func (s *Set) indexPackages() {
	s.packages = make(map[string]*packageRules)
	for _, name := range s.names() {
		path := PkgPath(name)
		if path == "" {
			continue // a native procedure
		}
		p := s.packages[path]
		if p == nil {
			p = new(packageRules)
			s.packages[path] = p
		}
		p.names = append(p.names, name) // sorted, as names are
		p.kinds |= s.Knows(name)
	}
}
