// Package rulescheck keeps handlecheck's default rules (rules.yaml)
// correct and complete against the real platform APIs. It holds only
// tests: see coverage_test.go for what "handle-typed" means there and what
// the tests check, and rules_reviewed.yaml at the module root for the
// APIs that hand out a handle-typed value but deliberately have no rule.
package rulescheck
