package ownership

import (
	"go/constant"
	"go/token"
	"go/types"
	"testing"
)

// TestFailedBranch checks which branch of a test of a status against a
// constant is a failure, by success test and type.
func TestFailedBranch(t *testing.T) {
	i32, u32, uptr := types.Typ[types.Int32], types.Typ[types.Uint32], types.Typ[types.Uintptr]
	tests := []struct {
		name string
		succ Success
		typ  types.Type
		op   token.Token
		k    int64
		want int
	}{
		{"S_OK: hr != S_OK", SuccessZero, i32, token.NEQ, 0, 0},
		{"S_OK: hr == S_OK", SuccessZero, i32, token.EQL, 0, 1},
		{"S_OK: hr == S_FALSE", SuccessZero, i32, token.EQL, 1, 0},
		{"S_OK: hr != S_FALSE", SuccessZero, i32, token.NEQ, 1, 1},
		{"S_OK: hr < 0", SuccessZero, i32, token.LSS, 0, 0},
		{"S_OK: hr >= 0", SuccessZero, i32, token.GEQ, 0, 1},
		{"S_OK: hr >= 1", SuccessZero, i32, token.GEQ, 1, 0},
		{"S_OK: hr > 0", SuccessZero, i32, token.GTR, 0, 0},
		{"S_OK: uintptr r != 0", SuccessZero, uptr, token.NEQ, 0, 0},
		{"SUCCEEDED: hr < 0", SuccessNonNegative, i32, token.LSS, 0, 0},
		{"SUCCEEDED: hr >= 0", SuccessNonNegative, i32, token.GEQ, 0, 1},
		{"SUCCEEDED: hr == S_FALSE", SuccessNonNegative, i32, token.EQL, 1, -1},
		{"SUCCEEDED: hr != S_OK", SuccessNonNegative, i32, token.NEQ, 0, -1},
		{"SUCCEEDED: hr == E_FAIL", SuccessNonNegative, i32, token.EQL, -2147467259, 0},
		{"SUCCEEDED: uintptr r == E_FAIL", SuccessNonNegative, uptr, token.EQL, 0x80004005, 0},
		{"SUCCEEDED: uint32 r == S_FALSE", SuccessNonNegative, u32, token.EQL, 1, -1},
		{"SUCCEEDED: uintptr r < 0x80000000", SuccessNonNegative, uptr, token.LSS, 0x80000000, -1},
		{"BOOL: r == 0", SuccessNonzero, uptr, token.EQL, 0, 0},
		{"BOOL: r != 0", SuccessNonzero, uptr, token.NEQ, 0, 1},
		{"BOOL: r == 1", SuccessNonzero, uptr, token.EQL, 1, -1},
		{"BOOL: unsigned r < 1", SuccessNonzero, uptr, token.LSS, 1, 0},
		{"BOOL: unsigned r > 0", SuccessNonzero, uptr, token.GTR, 0, 1},
		{"BOOL: signed r > 0", SuccessNonzero, i32, token.GTR, 0, -1},
		{"not an integer", SuccessZero, types.Typ[types.Bool], token.EQL, 0, -1},
	}
	for _, tt := range tests {
		if got := failedBranch(tt.succ, tt.typ, tt.op, constant.MakeInt64(tt.k)); got != tt.want {
			t.Errorf("%s: failedBranch = %d, want %d", tt.name, got, tt.want)
		}
	}
}
