package record

// MaxSpans bounds the spans one entity carries in a record (Mention.spans);
// its count stays exact. An article naming one country a hundred times is
// highlighted in full, and an odd text cannot bloat the record.
const MaxSpans = 100

// Span is one mention: [Start, End) in UTF-16 code units of title + "\n" +
// body.
type Span struct{ Start, End int }

// AppendSpans appends the coding of Mention.spans for spans to dst: per
// span the gap from the end of the one before (the first: from 0), then
// its length. Spans must be ordered and not overlap; one that starts
// before the end of the previous, is empty or negative, and those after
// the first MaxSpans, are left out.
func AppendSpans(dst []uint32, spans []Span) []uint32 {
	end, n := 0, 0
	for _, s := range spans {
		if n == MaxSpans {
			break
		}
		if s.Start < end || s.End <= s.Start {
			continue
		}
		dst = append(dst, uint32(s.Start-end), uint32(s.End-s.Start))
		end = s.End
		n++
	}
	return dst
}

// AppendDecodedSpans appends the spans that coded (Mention.spans, or the
// same numbers read back from a document) describes to dst. A trailing odd
// number is ignored.
func AppendDecodedSpans(dst []Span, coded []uint32) []Span {
	end := 0
	for i := 0; i+1 < len(coded); i += 2 {
		start := end + int(coded[i])
		end = start + int(coded[i+1])
		dst = append(dst, Span{Start: start, End: end})
	}
	return dst
}

// UTF16Len is the length of UTF-8 text x in UTF-16 code units, the unit of
// Span: one per code point (bytes that are not continuation bytes), two
// from U+10000 on (4-byte sequences, lead bytes 0xF0 and up).
func UTF16Len(x string) int {
	n := 0
	for i := 0; i < len(x); i++ {
		b := x[i]
		if b&0xC0 != 0x80 {
			n++
		}
		if b >= 0xF0 {
			n++
		}
	}
	return n
}
