// Package agent is handlecheck's bundled example: a small piece of a Windows
// service agent with one mistake of each kind handlecheck reports. Run
//
//	go run ./cmd/handlecheck -goos=windows ./example/...
//
// from the repository root to see them.
package agent
