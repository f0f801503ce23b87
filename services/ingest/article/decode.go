package article

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeFast decodes the usual article line in one pass: a JSON object
// whose known fields are strings or null, spelled exactly as Input's tags,
// and whose other fields hold any valid JSON. b is trimmed and starts with
// '{'. It reports false for anything else: syntax errors, wrong types, keys
// that match a field only when case is ignored, escaped or non-ASCII keys,
// invalid UTF-8 in a field, deep nesting or data after the object. Decode
// then hands the line to encoding/json, so that the result and the error
// message stay exactly what encoding/json gives.
//
// What it accepts, it decodes as encoding/json does: a later duplicate key
// wins, null leaves a field as it is, escapes (surrogate pairs included)
// are unquoted the same way. A known field holding a lone surrogate escape
// is declined too, so that checkEncoding names it.
//
// clean holds the fields whose value checkText accepts: the scan that
// finds a string's end sees every character of it, so Build need not scan
// those fields again.
func decodeFast(b []byte) (in Input, clean fieldSet, ok bool) {
	s := scanner{b: b, i: 1}
	s.ws()
	if s.peek() == '}' {
		s.i++
		return in, allFields, s.atEnd()
	}
	clean = allFields // a field never set is "", which checkText accepts
	for {
		if s.peek() != '"' {
			return in, 0, false
		}
		key, ok := s.key()
		if !ok {
			return in, 0, false
		}
		dst, f, ok := in.field(key)
		if !ok {
			return in, 0, false
		}
		s.ws()
		if s.peek() != ':' {
			return in, 0, false
		}
		s.i++
		s.ws()
		switch {
		case dst == nil:
			if !s.skip(2) {
				return in, 0, false
			}
		case s.peek() == '"':
			v, vclean, ok := s.str()
			if !ok {
				return in, 0, false
			}
			*dst = v
			clean = clean.with(f, vclean)
		case s.literal("null"):
			// encoding/json leaves a string field alone on null.
		default:
			return in, 0, false
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			return in, clean, s.atEnd()
		default:
			return in, 0, false
		}
	}
}

// fieldSet is a set of Input's fields, by their index in fieldNames.
type fieldSet uint8

// allFields holds every field of Input.
const allFields = fieldSet(1)<<len(fieldNames) - 1

// with returns s with field f in it when in is true, else without it.
func (s fieldSet) with(f int, in bool) fieldSet {
	if in {
		return s | 1<<f
	}
	return s &^ (1 << f)
}

// has reports whether field f is in s.
func (s fieldSet) has(f int) bool { return s&(1<<f) != 0 }

// fieldNames are Input's JSON names, for the case-insensitive match that
// encoding/json makes and decodeFast leaves to it.
var fieldNames = [...]string{fieldID: "id", fieldURL: "url", fieldTitle: "title", fieldBody: "body",
	fieldPublishedAt: "published_at", fieldSource: "source", fieldLanguage: "language"}

// Input's fields by their index in fieldNames.
const (
	fieldID = iota
	fieldURL
	fieldTitle
	fieldBody
	fieldPublishedAt
	fieldSource
	fieldLanguage
)

// field returns where the value of key goes and the field's index in
// fieldNames: nil for an unknown key, false when key matches a field only
// with other case (encoding/json's rules decide those).
func (in *Input) field(key []byte) (*string, int, bool) {
	switch string(key) {
	case "id":
		return &in.ID, fieldID, true
	case "url":
		return &in.URL, fieldURL, true
	case "title":
		return &in.Title, fieldTitle, true
	case "body":
		return &in.Body, fieldBody, true
	case "published_at":
		return &in.PublishedAt, fieldPublishedAt, true
	case "source":
		return &in.Source, fieldSource, true
	case "language":
		return &in.Language, fieldLanguage, true
	}
	for _, name := range fieldNames {
		if len(name) == len(key) && asciiEqualFold(name, key) {
			return nil, 0, false
		}
	}
	return nil, 0, true
}

// asciiEqualFold compares name (lower-case ASCII) with the ASCII key,
// ignoring case.
func asciiEqualFold(name string, key []byte) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// maxDepth bounds the nesting decodeFast follows (encoding/json allows
// 10000; deeper lines go to it).
const maxDepth = 256

// scanner reads JSON from b at i.
type scanner struct {
	b []byte
	i int
	// escs holds where the escapes of the string textEnd read last
	// start, from the string's start, up to the first len(escs); nesc
	// counts them all. unescape goes from one to the next.
	escs [64]int32
	nesc int
}

// peek returns the byte at i, or 0 at the end.
func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// ws skips JSON white space.
func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) atEnd() bool {
	s.ws()
	return s.i == len(s.b)
}

// literal consumes lit if it comes next.
func (s *scanner) literal(lit string) bool {
	if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// key reads an object key made of printable ASCII without escapes; b[i] is
// its opening quote.
func (s *scanner) key() ([]byte, bool) {
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		if c == '"' {
			s.i = j + 1
			return s.b[start:j], true
		}
		if c < 0x20 || c >= utf8.RuneSelf || c == '\\' {
			return nil, false
		}
	}
	return nil, false
}

// str reads a string whose text is valid UTF-8; b[i] is its opening quote.
// clean reports whether checkText accepts the unquoted text.
func (s *scanner) str() (v string, clean, ok bool) {
	start := s.i + 1
	end, esc, clean := s.textEnd(start)
	if end < 0 {
		return "", false, false
	}
	raw := s.b[start:end]
	s.i = end + 1
	if !esc {
		return string(raw), clean, true
	}
	at := s.escs[:min(s.nesc, len(s.escs))]
	v, ok = unescape(raw, at, s.nesc == len(at))
	return v, clean, ok
}

// textEnd is stringEnd for a field's text, which it checks on the way: it
// returns -1 also for invalid UTF-8 (escapes are ASCII, so the raw text is
// valid UTF-8 exactly when the unquoted one is without replacements), and
// clean reports whether checkText accepts the unquoted text: no control
// character but tab, newline and carriage return, raw or escaped.
//
// It notes where the escapes are (s.escs) for unescape.
func (s *scanner) textEnd(j int) (end int, esc, clean bool) {
	b, start := s.b, j
	clean = true
	s.nesc = 0
	for {
		j += plainLen(b[j:])
		if j >= len(b) {
			return -1, false, false
		}
		switch c := b[j]; {
		case c == '"':
			return j, esc, clean
		case c == '\\':
			n := escapeLen(b[j:])
			if n == 0 {
				return -1, false, false
			}
			clean = clean && !controlEscape(b[j:j+n])
			esc = true
			if s.nesc < len(s.escs) {
				s.escs[s.nesc] = int32(j - start) // lines are far shorter than 2 GB
			}
			s.nesc++
			j += n
		case c < 0x20:
			return -1, false, false
		case c < utf8.RuneSelf:
			clean = clean && c != 0x7f
			j++
		default:
			n := seqLen(b[j:])
			if n == 0 {
				return -1, false, false
			}
			// U+0080 to U+009F, the C1 controls, are 0xc2 0x80 to 0xc2 0x9f.
			clean = clean && (c != 0xc2 || b[j+1] > 0x9f)
			j += n
		}
	}
}

// seqLen returns the length of the valid UTF-8 sequence of two to four
// bytes at the start of b, 0 when there is none: what utf8.DecodeRune
// accepts (no overlong forms, surrogates or code points past U+10FFFF),
// without decoding the rune.
func seqLen(b []byte) int {
	cont := func(c byte) bool { return c&0xc0 == 0x80 }
	switch c := b[0]; {
	case c >= 0xc2 && c <= 0xdf:
		if len(b) >= 2 && cont(b[1]) {
			return 2
		}
	case c >= 0xe0 && c <= 0xef:
		// The second byte's range excludes overlong forms (after 0xe0) and
		// surrogates (after 0xed).
		lo, hi := byte(0x80), byte(0xbf)
		if c == 0xe0 {
			lo = 0xa0
		} else if c == 0xed {
			hi = 0x9f
		}
		if len(b) >= 3 && b[1] >= lo && b[1] <= hi && cont(b[2]) {
			return 3
		}
	case c >= 0xf0 && c <= 0xf4:
		// Likewise: no overlong forms (after 0xf0), nothing past U+10FFFF
		// (after 0xf4).
		lo, hi := byte(0x80), byte(0xbf)
		if c == 0xf0 {
			lo = 0x90
		} else if c == 0xf4 {
			hi = 0x8f
		}
		if len(b) >= 4 && b[1] >= lo && b[1] <= hi && cont(b[2]) && cont(b[3]) {
			return 4
		}
	}
	return 0
}

// plainLen returns how many bytes at the start of b are printable ASCII
// other than a quote or a backslash: the text textEnd passes over without
// a look at each byte. It tests 8 bytes at a time and finds the first
// other byte in a word from the word's mask.
func plainLen(b []byte) int {
	n := 0
	for len(b)-n >= 8 {
		if m := nonPlain(binary.LittleEndian.Uint64(b[n:])); m != 0 {
			return n + bits.TrailingZeros64(m)/8
		}
		n += 8
	}
	for n < len(b) && nonPlain(uint64(b[n]))&0x80 == 0 {
		n++
	}
	return n
}

// nonPlain returns the top bit of every byte of w (8 bytes, the first in
// the low bits) that is not printable ASCII or is a quote or a backslash,
// exactly up to the first such byte; 0 when there is none. Each term sets
// a byte's top bit for the bytes it is after, or for one with the top bit
// already set: from 0x7f (+1), below 0x20 (-0x20), a quote or a backslash
// (equal gives 0, -1). Carries and borrows only go up from a byte that
// matched, so the bytes below the first match are tested exactly.
func nonPlain(w uint64) uint64 {
	quote, backslash := w^(lsb*'"'), w^(lsb*'\\')
	return (w | (w + lsb) | (w - lsb*0x20) | (quote - lsb) | (backslash - lsb)) & msb
}

// controlEscape reports whether the valid escape e stands for a control
// character that checkText refuses. A surrogate escape stands for no
// control: its pair makes a character from U+10000, and unescape declines
// a lone one.
func controlEscape(e []byte) bool {
	switch e[1] {
	case 'b', 'f':
		return true
	case 'u':
		r := hex4(e[2:6])
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f
	}
	return false
}

// SWAR constants: one bit or one byte in every byte of a word.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// special reports whether a byte of w (8 bytes of a string) is a quote, a
// backslash or a control character: the classic "has a zero byte" and "has
// a byte less than n" word tests, which are exact for whether any byte
// matches.
func special(w uint64) bool {
	q := w ^ (lsb * '"')
	bs := w ^ (lsb * '\\')
	return ((q-lsb)&^q|(bs-lsb)&^bs|(w-lsb*0x20)&^w)&msb != 0
}

// stringEnd returns the index of the quote that closes the string starting
// at j, and whether the string holds escapes; -1 when the string is not
// valid JSON (a control character, a bad escape, no end).
func (s *scanner) stringEnd(j int) (end int, esc bool) {
	b := s.b
	for {
		for j+8 <= len(b) && !special(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		if j >= len(b) {
			return -1, false
		}
		switch c := b[j]; {
		case c == '"':
			return j, esc
		case c == '\\':
			n := escapeLen(b[j:])
			if n == 0 {
				return -1, false
			}
			esc = true
			j += n
		case c < 0x20:
			return -1, false
		default:
			j++
		}
	}
}

// escapeLen returns the length of the valid JSON escape at the start of b
// (b[0] is a backslash), or 0.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) >= 6 && hex4(b[2:6]) >= 0 {
			return 6
		}
	}
	return 0
}

// hex4 decodes four hex digits, -1 if they are not.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unescape unquotes raw, whose escapes textEnd checked, as encoding/json
// does; false when raw holds a lone surrogate, which encoding/json would
// turn into U+FFFD. at lists where the escapes start, in order, so that
// they need not be searched for again; when all is false, more may follow
// the last one listed.
func unescape(raw []byte, at []int32, all bool) (string, bool) {
	var sb strings.Builder
	sb.Grow(len(raw)) // the text never grows: every escape is longer than what it stands for
	done := 0         // raw[:done] is written
	for {
		k := -1 // the next escape
		switch {
		case len(at) > 0:
			k, at = int(at[0])-done, at[1:]
		case !all:
			k = bytes.IndexByte(raw, '\\')
		}
		if k < 0 {
			sb.Write(raw)
			return sb.String(), true
		}
		sb.Write(raw[:k])
		raw, done = raw[k:], done+k
		n := 2 // the length of the escape
		switch c := raw[1]; c {
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			n = 6
			r := hex4(raw[2:6])
			if utf16.IsSurrogate(r) {
				// A pair: the second escape is the next one listed.
				if len(raw) < 12 || raw[6] != '\\' || raw[7] != 'u' {
					return "", false
				}
				r = utf16.DecodeRune(r, hex4(raw[8:12]))
				if r == unicode.ReplacementChar {
					return "", false
				}
				n = 12
				if len(at) > 0 {
					at = at[1:]
				}
			}
			sb.WriteRune(r)
		default: // '"', '\\', '/'
			sb.WriteByte(c)
		}
		raw, done = raw[n:], done+n
	}
}

// skip passes over one valid JSON value at depth (the article object is 1).
func (s *scanner) skip(depth int) bool {
	switch c := s.peek(); {
	case c == '"':
		end, _ := s.stringEnd(s.i + 1)
		if end < 0 {
			return false
		}
		s.i = end + 1
		return true
	case c == '{':
		return s.elements('}', depth, func() bool {
			if s.peek() != '"' {
				return false
			}
			end, _ := s.stringEnd(s.i + 1)
			if end < 0 {
				return false
			}
			s.i = end + 1
			s.ws()
			if s.peek() != ':' {
				return false
			}
			s.i++
			s.ws()
			return s.skip(depth + 1)
		})
	case c == '[':
		return s.elements(']', depth, func() bool { return s.skip(depth + 1) })
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	default:
		return s.literal("true") || s.literal("false") || s.literal("null")
	}
}

// elements passes over an object or array at depth, from its opening
// bracket to close: zero or more elements, each passed over by elem,
// separated by commas.
func (s *scanner) elements(close byte, depth int, elem func() bool) bool {
	if depth >= maxDepth {
		return false
	}
	s.i++
	s.ws()
	if s.peek() == close {
		s.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			s.ws()
		case close:
			s.i++
			return true
		default:
			return false
		}
	}
}

// number passes over a JSON number.
func (s *scanner) number() bool {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i)
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		if i++; i >= len(b) || !isDigit(b[i]) {
			return false
		}
		i = digits(b, i)
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return false
		}
		i = digits(b, i)
	}
	s.i = i
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}
