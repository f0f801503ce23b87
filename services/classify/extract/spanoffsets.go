package extract

import (
	"slices"

	"github.com/deskwire/newsroom/services/pipeline/record"
)

// mentionSpans returns the spans of every mention in one array and, per
// entity (index in aggs), where its spans are: spans[first[a]:first[a+1]],
// ordered by start with overlapping ones dropped. The spans count UTF-16
// code units; spans live in b, first is scratch of the state.
func (s *state) mentionSpans(b *Buffers) ([]Span, []int32) {
	first := slices.Grow(s.spanFirst[:0], len(s.aggs)+1)[:len(s.aggs)+1]
	clear(first)
	s.spanFirst = first
	if len(s.ments) == 0 {
		return nil, first
	}
	// Counting sort by entity: first[a+1] counts, then prefix sums.
	for _, m := range s.ments {
		first[m.agg+1]++
	}
	for a := 1; a < len(first); a++ {
		first[a] += first[a-1]
	}
	spans := slices.Grow(b.spans[:0], len(s.ments))[:len(s.ments)] // every one written below
	b.spans = spans
	next := slices.Grow(s.spanNext[:0], len(s.aggs))[:len(s.aggs)]
	copy(next, first)
	s.spanNext = next
	supp := s.tz.supp
	for _, m := range s.ments {
		spans[next[m.agg]] = s.u16Span(m.i, m.j, supp)
		next[m.agg]++
	}
	// Per entity: sort (mentions come mostly in order already) and drop a
	// span overlapping the one before; pack the survivors to the front of
	// the entity's range and mark its end in next.
	for a := range s.aggs {
		lo, hi := first[a], first[a+1]
		list := spans[lo:hi]
		if !slices.IsSortedFunc(list, cmpSpan) {
			slices.SortFunc(list, cmpSpan)
		}
		n := 0
		for _, sp := range list {
			if n > 0 && sp.Start < list[n-1].End {
				continue
			}
			list[n] = sp
			n++
		}
		next[a] = lo + int32(n)
	}
	// Close the gaps left by dropped spans, moving ranges down in order.
	w := int32(0)
	for a := range s.aggs {
		lo, end := first[a], next[a]
		first[a] = w
		w += int32(copy(spans[w:], spans[lo:end]))
	}
	first[len(s.aggs)] = w
	return spans[:w:w], first
}

func cmpSpan(a, b Span) int { return a.Start - b.Start }

// u16Span converts tokens [i, j) into a span in UTF-16 code units. A
// token's rune offset counts every code point once; a code point beyond
// the Basic Multilingual Plane (supp: the text has some) takes two units.
func (s *state) u16Span(i, j int32, supp bool) Span {
	from, to := s.toks[i].start, s.toks[j-1].end
	start := int(s.toks[i].rstart)
	if supp {
		start += countSupplementary(s.text[:from])
	}
	return Span{Start: start, End: start + record.UTF16Len(s.text[from:to])}
}

// countSupplementary counts the code points of x beyond U+FFFF.
func countSupplementary(x string) int {
	n := 0
	for i := 0; i < len(x); i++ {
		if x[i] >= 0xF0 {
			n++
		}
	}
	return n
}

// moveMentions gives the mentions of entity from to entity to (a merge).
func (s *state) moveMentions(from, to int32) {
	for k := range s.ments {
		if s.ments[k].agg == from {
			s.ments[k].agg = to
		}
	}
}
