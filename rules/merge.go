package rules

import "slices"

// Merge resolves resource names across files and builds a Set. Files are
// given in priority order: later files extend or override earlier ones
// (defaults first, then user files). A resource defined again extends the
// release list of the earlier definition (a releaser it already has, with
// the same argument and conditions, is not added again); the source rules
// of a file for a function replace all earlier ones for it, and an adopts,
// uses or noreturn rule for a function that an earlier file has a rule for
// replaces that rule. A rule may use the resources of its own file and of
// earlier files.
//
// Merge does not modify the files. Its error is an ErrorList.
func Merge(files ...*File) (*Set, error) {
	s := &Set{
		Resources:   make(map[string]*Resource),
		Sources:     make(map[string][]*Source),
		Releasers:   make(map[string][]*Releaser),
		Adopters:    make(map[string]*Adopter),
		UsePackages: make(map[string]Pos),
		UseFuncs:    make(map[string]Pos),
		UseConds:    make(map[string]Cond),
		NoReturn:    make(map[string]Pos),
		Thread:      make(map[string][]*ThreadRule),
		Changes:     make(map[string][]*Changer),
		Callbacks:   make(map[string][]*Callback),
	}
	var errs ErrorList
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, r := range f.resources {
			s.addResource(r)
		}
		replaced := make(map[string]bool) // functions whose earlier source rules this file replaces
		for _, sr := range f.sources {
			res, ok := s.Resources[sr.resource]
			if !ok {
				errs = append(errs, Errorf(sr.resPos, "unknown resource %s", quote(sr.resource)))
				continue
			}
			src := *sr.src
			src.Resource = res
			src.ValidErrs = slices.Clone(src.ValidErrs)
			src.Cond = src.Cond.clone()
			if !replaced[src.Func] {
				replaced[src.Func] = true
				s.Sources[src.Func] = nil
			}
			s.Sources[src.Func] = append(s.Sources[src.Func], &src)
		}
		for _, a := range f.adopters {
			a := *a
			s.Adopters[a.Func] = &a
		}
		addNames(s.UsePackages, f.usePkgs)
		for _, u := range f.useFuncs {
			s.UseFuncs[u.name] = u.pos
			delete(s.UseConds, u.name)
			if u.cond.GOOS != "" || len(u.cond.When) > 0 {
				s.UseConds[u.name] = u.cond.clone()
			}
		}
		addNames(s.NoReturn, f.noReturn)
		errs = append(errs, s.mergeThread(f)...)
		errs = append(errs, s.mergeCallbacks(f)...)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	s.indexPackages()
	return s, nil
}

// addResource adds r to s, or extends the resource of the same name with
// the releasers of r it lacks.
func (s *Set) addResource(r *resourceRule) {
	res, ok := s.Resources[r.name]
	if !ok {
		res = &Resource{Name: r.name, Pos: r.pos}
		s.Resources[r.name] = res
	}
	if r.noLeak != nil {
		res.NoLeak = *r.noLeak
	}
	if r.releaseAgainOK != nil {
		res.ReleaseAgainOK = *r.releaseAgainOK
	}
	for _, rel := range r.release {
		if slices.ContainsFunc(res.Release, func(old *Releaser) bool {
			return old.Func == rel.Func && old.Arg == rel.Arg && old.Cond.Equal(rel.Cond)
		}) {
			continue
		}
		rel := &Releaser{Func: rel.Func, Arg: rel.Arg, Resource: res, Cond: rel.Cond.clone(), Pos: rel.Pos}
		res.Release = append(res.Release, rel)
		s.Releasers[rel.Func] = append(s.Releasers[rel.Func], rel)
	}
}

func addNames(m map[string]Pos, names []nameAt) {
	for _, n := range names {
		m[n.name] = n.pos
	}
}

// clone returns a copy of c that shares no memory with it.
func (c Cond) clone() Cond {
	c.When = slices.Clone(c.When)
	for i := range c.When {
		c.When[i].Funcs = slices.Clone(c.When[i].Funcs)
	}
	return c
}
