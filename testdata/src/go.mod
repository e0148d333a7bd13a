module handlecheck.test

go 1.26.0

require golang.org/x/sys v0.49.0

require github.com/go-ole/go-ole v1.3.0

require github.com/pkg/errors v0.9.1 // indirect
