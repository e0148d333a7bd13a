// Package app uses ownersfile's Sock from another package, through the
// facts of its closer and constructor.
package app

import "handlecheck.test/ownersfile"

func leak(protocol int) error {
	s, err := ownersfile.Open(protocol) // want `ownersfile.Sock from ownersfile.Open \(os.NewFile\) is not closed on every path`
	if err != nil {
		return err
	}
	if err := s.SetTimeout(1); err != nil {
		return err
	}
	s.Close()
	return nil
}

func closed(protocol int) error {
	s, err := ownersfile.Open(protocol)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.SetTimeout(1)
}
