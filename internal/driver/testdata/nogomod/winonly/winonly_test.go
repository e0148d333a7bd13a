package winonly_test

import (
	"testing"

	_ "handlecheck.test/nogomod/winonly"
)

func TestNothing(t *testing.T) {}
