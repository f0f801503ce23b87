package extract

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSpanOrder checks the bucketed spanOrder against a stable sort by
// cmpSpans, with spans of any length and empty ones (j == i).
func TestSpanOrder(t *testing.T) {
	tests := []struct {
		name         string
		n, maxLen    int
		allowInvalid bool
	}{
		{"empty", 0, 1, false},
		{"one", 1, 3, false},
		{"article", 60, 6, false},
		{"long spans", 40, 200, false},
		{"empty spans", 30, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(tt.n)))
			s := &state{}
			for range tt.n {
				i := int32(r.IntN(300))
				j := i + 1 + int32(r.IntN(tt.maxLen))
				if tt.allowInvalid && r.IntN(4) == 0 {
					j = i
				}
				s.spans = append(s.spans, span{i: i, j: j, src: uint8(1 + r.IntN(int(srcBlock)))})
			}
			want := make([]int32, len(s.spans))
			for k := range want {
				want[k] = int32(k)
			}
			slices.SortStableFunc(want, s.cmpSpans)
			if got := s.spanOrder(); !slices.Equal(got, want) {
				t.Errorf("spanOrder = %v, want %v", got, want)
			}
		})
	}
}
