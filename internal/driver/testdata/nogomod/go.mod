module handlecheck.test/nogomod

go 1.26.0
