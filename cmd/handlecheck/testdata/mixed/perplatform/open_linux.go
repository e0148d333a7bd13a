package perplatform

import "handlecheck.test/mixed/both"

func open() int { return both.Acquire() }
