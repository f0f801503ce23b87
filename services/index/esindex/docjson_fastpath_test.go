// Tests of the document encoder's fast paths against the code they replace
// or the standard library.
package esindex

import (
	"bytes"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// referenceEscaped is appendEscaped as it was before it was tuned: the
// reference the faster one must equal byte for byte.
func referenceEscaped(dst []byte, s string) []byte {
	start := 0
	for i := referenceNextSpecial(s, 0); i < len(s); i = referenceNextSpecial(s, i) {
		b := s[i]
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			start = i + size
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// referenceNextSpecial is referenceEscaped's scan, eight bytes at a time.
func referenceNextSpecial(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		_ = w[7] // one bounds check
		if m := referenceSpecialBytes(uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(s) && plain[s[i]]; i++ {
	}
	return i
}

// referenceSpecialBytes is referenceNextSpecial's test of a word: the
// first special byte exactly, three tests for the five ASCII ones.
func referenceSpecialBytes(w uint64) uint64 {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - lo) &^ x }
	m := (w - 0x20*lo) | w
	m |= zero((w | 0x02*lo) ^ ('>' * lo))
	m |= zero((w | 0x04*lo) ^ ('&' * lo))
	m |= zero(w ^ ('\\' * lo))
	return m & hi
}

// escapeCases are strings whose escaping is easy to get wrong: every
// special byte, multi-byte UTF-8 valid and not (cut short, overlong,
// surrogates, past U+10FFFF), U+2028 and U+2029 and their neighbours, each
// at every offset around the 8-byte words the scan reads.
func escapeCases() []string {
	pieces := []string{
		`"`, `\`, "<", ">", "&", "\x00", "\x01", "\b", "\t", "\n", "\f", "\r", "\x1f", " ", "~", "\x7f",
		"é", "ß", "\u00a0", "\u07ff", "\u0800", "—", "“", "”", "€", "\ufffd", "\uffff", "😀", "\U0010ffff",
		"\u2027", "\u2028", "\u2029", "\u202a", "\xe2\x80", "\xe2", "\xe2\x80\xa8\xa8", "\xe2\x81\xa8",
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xc2\x7f", "\xdf\xc0", "\xe0\x80\x80", "\xe0\x9f\xbf",
		"\xed\xa0\x80", "\xed\x9f\xbf", "\xef\xbf\xbf", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xff", "\xfe\xff", "\xe2\x28\xa1", "\xf0\x9f\x98", "\xf0\x9f", "^", "|", "~", "^|~", "]", "}", "`",
	}
	var cases []string
	for _, p := range pieces {
		for pad := 0; pad <= 17; pad++ {
			a := strings.Repeat("a", pad)
			cases = append(cases, a+p, p+a, a+p+a, a+p+p+a, p+a+p)
		}
	}
	cases = append(cases, "", strings.Repeat("x", 1000), strings.Repeat("é", 100), strings.Repeat(`"\`, 50),
		strings.Repeat("ab\u2028", 20), strings.Repeat("\xff", 9), strings.Join(pieces, ""), strings.Join(pieces, "abcdefg"))
	return cases
}

// TestAppendEscapedReference compares appendEscaped with the reference on
// the tricky cases and the development articles' texts.
func TestAppendEscapedReference(t *testing.T) {
	cases := escapeCases()
	for _, a := range evaltest.Load(t) {
		cases = append(cases, a.Title, a.Body)
	}
	for _, s := range cases {
		if got, want := appendEscaped([]byte("x"), s), referenceEscaped([]byte("x"), s); !bytes.Equal(got, want) {
			t.Errorf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzAppendEscapedReference compares appendEscaped with the reference on
// arbitrary strings; seeds: the tricky cases.
func FuzzAppendEscapedReference(f *testing.F) {
	for _, s := range escapeCases() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendEscaped(nil, s), referenceEscaped(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	})
}

// BenchmarkEscape escapes the development articles' titles and bodies,
// with appendEscaped and with the reference; MB/s counts their bytes.
func BenchmarkEscape(b *testing.B) {
	var texts []string
	var n int64
	for _, a := range evaltest.Load(b) {
		texts = append(texts, a.Title, a.Body)
		n += int64(len(a.Title) + len(a.Body))
	}
	for _, e := range []struct {
		name   string
		escape func([]byte, string) []byte
	}{{"appendEscaped", appendEscaped}, {"reference", referenceEscaped}} {
		b.Run(e.name, func(b *testing.B) {
			b.SetBytes(n)
			buf := make([]byte, 0, 64<<10)
			for b.Loop() {
				for _, s := range texts {
					buf = e.escape(buf[:0], s)
				}
			}
		})
	}
}

// TestAppendUint compares the mentions' number formatting with strconv's
// at every digit count's edges.
func TestAppendUint(t *testing.T) {
	for _, v := range []uint32{0, 1, 9, 10, 99, 100, 999, 1000, 65535, 99999, 100000, 1<<31 - 1, 1 << 31, 1<<32 - 1} {
		for _, d := range []uint32{v, v + 1, v - 1} {
			if got, want := appendUint([]byte("x"), d), strconv.AppendUint([]byte("x"), uint64(d), 10); !bytes.Equal(got, want) {
				t.Errorf("appendUint(%d) = %s, want %s", d, got, want)
			}
			if got, want := appendInt(nil, int32(d)), strconv.AppendInt(nil, int64(int32(d)), 10); !bytes.Equal(got, want) {
				t.Errorf("appendInt(%d) = %s, want %s", int32(d), got, want)
			}
		}
	}
}

// TestAppendShortDecimal compares the short-decimal path with strconv on
// decimals of zero to eight places around every power of ten it handles,
// random ones, and the floats next to them.
func TestAppendShortDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var vals []float64
	for e := -5; e <= 7; e++ {
		for places := 0; places <= 8; places++ {
			for range 300 {
				scale := math.Pow10(places)
				v := math.Round(r.Float64()*math.Pow10(e)*scale) / scale
				vals = append(vals, v, -v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1)))
			}
		}
		vals = append(vals, math.Pow10(e), math.Nextafter(math.Pow10(e), 0), r.Float64()*math.Pow10(e))
	}
	vals = append(vals, 1e-4, 999999.999999, 999999.9999995, 0.1+0.2, 2.9999999999999996, 180, -180, 90, -90, 0.5, 1.5)
	short := 0
	for _, v := range vals {
		got, ok := appendShortDecimal([]byte("x"), v)
		if !ok {
			continue
		}
		short++
		if want := strconv.AppendFloat([]byte("x"), v, 'f', -1, 64); !bytes.Equal(got, want) {
			t.Errorf("appendShortDecimal(%v) = %s, want %s", v, got, want)
		}
	}
	if short < len(vals)/5 {
		t.Errorf("the short path took %d values of %d", short, len(vals))
	}
}
