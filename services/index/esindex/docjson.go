package esindex

import (
	"bytes"
	"encoding/json"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// AppendDocument appends the JSON document of c to dst and returns the
// extended buffer. The bytes are exactly those of
// json.Marshal(NewDocument(c)) — the same field order and omitempty rules
// as the Document, Entity and GeoPoint struct tags, encoding/json's
// HTML-safe string escaping and number formatting, and time.Time's
// RFC 3339 form in UTC — but they are written straight from the message,
// without building the Document, so that the index stage spends no
// reflection and few allocations per record.
//
// It fails where json.Marshal fails, with an error of the same type and
// text: a NaN or infinite coordinate (*json.UnsupportedValueError) or a
// timestamp outside the years 0 to 9999 (*json.MarshalerError). On error
// the returned slice is dst with its original length (its capacity may
// have grown).
//
// Document stays the schema reference: a field added there must be added
// here too (the differential tests compare both encoders).
func AppendDocument(dst []byte, c *newsroomv1.ClassifiedArticle) ([]byte, error) {
	return appendDocument(slices.Grow(dst, documentSizeHint(c)), c)
}

// appendDocument is AppendDocument without growing dst first, for callers
// that sized it already.
func appendDocument(dst []byte, c *newsroomv1.ClassifiedArticle) ([]byte, error) {
	n0 := len(dst)
	a := c.GetArticle()
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, a.GetId())
	dst = appendStringField(dst, `,"url":`, a.GetUrl())
	dst = appendStringField(dst, `,"source":`, a.GetSource())
	dst = appendStringField(dst, `,"title":`, a.GetTitle())
	dst = appendStringField(dst, `,"body":`, a.GetBody())
	dst = appendStringField(dst, `,"language":`, a.GetLanguage())
	var err error
	if dst, err = appendTimeField(dst, `,"published_at":`, a.GetPublishedAt()); err != nil {
		return dst[:n0], err
	}
	if dst, err = appendTimeField(dst, `,"ingested_at":`, a.GetIngestedAt()); err != nil {
		return dst[:n0], err
	}
	if dst, err = appendTimeField(dst, `,"classified_at":`, c.GetClassifiedAt()); err != nil {
		return dst[:n0], err
	}
	dst = appendStringField(dst, `,"revision":`, a.GetRevision())
	dst = appendStringField(dst, `,"classifier_version":`, c.GetClassifierVersion())
	dst = appendStringField(dst, `,"trace_id":`, a.GetTraceId())

	dst = append(dst, `,"actors":[`...)
	for i, e := range c.GetActors() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendEntityStart(dst, e.GetId(), e.GetName())
		dst = appendStringField(dst, `,"kind":`, actorKind(e.GetKind()))
		dst = appendMentions(dst, e.GetMention())
		dst = appendNames(dst, e.GetId(), e.GetName(), e.GetAliases())
		dst = append(dst, '}')
	}
	dst = append(dst, `],"weapons":[`...)
	for i, e := range c.GetWeapons() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendEntityStart(dst, e.GetId(), e.GetName())
		dst = appendStringField(dst, `,"category":`, e.GetCategory())
		dst = appendMentions(dst, e.GetMention())
		dst = appendNames(dst, e.GetId(), e.GetName(), e.GetAliases())
		dst = append(dst, '}')
	}
	dst = append(dst, `],"locations":[`...)
	for i, e := range c.GetLocations() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendEntityStart(dst, e.GetId(), e.GetName())
		dst = appendStringField(dst, `,"kind":`, LocationKind(e.GetKind()))
		dst = appendStringField(dst, `,"country_code":`, e.GetCountryCode())
		if p := e.GetPoint(); p != nil {
			dst = append(dst, `,"point":{"lat":`...)
			if dst, err = appendFloat(dst, p.GetLat()); err != nil {
				return dst[:n0], err
			}
			dst = append(dst, `,"lon":`...)
			if dst, err = appendFloat(dst, p.GetLon()); err != nil {
				return dst[:n0], err
			}
			dst = append(dst, '}')
		}
		dst = appendMentions(dst, e.GetMention())
		dst = appendNames(dst, e.GetId(), e.GetName(), e.GetAliases())
		dst = append(dst, '}')
	}
	dst = append(dst, `],"weapon_categories":[`...)
	for i, s := range c.GetWeaponCategories() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	dst = append(dst, `],"countries":[`...)
	dst = appendCountries(dst, c.GetLocations())
	dst = append(dst, "]}"...)
	return dst, nil
}

// documentSizeHint is about the length of c's document when nothing needs
// escaping: its strings plus the field names around them.
func documentSizeHint(c *newsroomv1.ClassifiedArticle) int {
	a := c.GetArticle()
	n := 400 + len(a.GetId()) + len(a.GetUrl()) + len(a.GetSource()) + len(a.GetTitle()) + len(a.GetBody()) +
		len(a.GetLanguage()) + len(a.GetRevision()) + len(c.GetClassifierVersion()) + len(a.GetTraceId())
	const entity = 80 // braces, field names, mentions, first offset
	// Spans take up to 6 bytes a number; a generated entity's name and
	// aliases come again in its lookup values, each with the id.
	names := func(id, name string, aliases []string, m *newsroomv1.Mention) int {
		n := entity + 2*(len(id)+len(name)) + 6*len(m.GetSpans())
		if strings.HasPrefix(id, "gen:") {
			n += 32 + len(name) + len(id)
			for _, a := range aliases {
				n += 2*len(a) + len(id) + 6
			}
		}
		return n
	}
	for _, e := range c.GetActors() {
		n += names(e.GetId(), e.GetName(), e.GetAliases(), e.GetMention())
	}
	for _, e := range c.GetWeapons() {
		n += names(e.GetId(), e.GetName(), e.GetAliases(), e.GetMention()) + len(e.GetCategory())
	}
	for _, e := range c.GetLocations() {
		n += names(e.GetId(), e.GetName(), e.GetAliases(), e.GetMention()) + 2*len(e.GetCountryCode()) + 64
	}
	for _, s := range c.GetWeaponCategories() {
		n += 3 + len(s)
	}
	return n
}

// appendEntityStart opens an Entity object with its id, name and key.
func appendEntityStart(dst []byte, id, name string) []byte {
	dst = append(dst, `{"id":"`...)
	i := len(dst)
	dst = appendEscaped(dst, id)
	j := len(dst)
	dst = append(dst, `","name":"`...)
	n := len(dst)
	dst = appendEscaped(dst, name)
	m := len(dst)
	// The key is FacetKey(id, name), written by copying the two escaped
	// parts: the '|' between them ends any incomplete UTF-8 sequence, so
	// escaping the joined string gives the same bytes.
	dst = append(dst, `","key":"`...)
	dst = append(dst, dst[i:j]...)
	dst = append(dst, '|')
	dst = append(dst, dst[n:m]...)
	return append(dst, '"')
}

// appendMentions writes an Entity's mentions (omitempty), when the entity
// has a Mention its first offset, and its spans (omitempty).
func appendMentions(dst []byte, m *newsroomv1.Mention) []byte {
	if n := m.GetCount(); n != 0 {
		dst = append(dst, `,"mentions":`...)
		dst = appendInt(dst, n)
	}
	if m != nil {
		dst = append(dst, `,"first_offset":`...)
		dst = appendInt(dst, m.GetFirstOffset())
	}
	if s := m.GetSpans(); len(s) > 0 {
		dst = append(dst, `,"spans":[`...)
		for i, v := range s {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendUint(dst, v)
		}
		dst = append(dst, ']')
	}
	return dst
}

// appendInt is strconv.AppendInt(dst, int64(v), 10).
func appendInt(dst []byte, v int32) []byte {
	if v < 0 {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	return appendUint(dst, uint32(v))
}

// appendUint is strconv.AppendUint(dst, uint64(v), 10), written in place:
// the mentions' numbers are many and short, and strconv formats each in a
// buffer of its own first.
func appendUint(dst []byte, v uint32) []byte {
	n := 1
	for x := v; x >= 10; x /= 10 {
		n++
	}
	dst = slices.Grow(dst, n)
	dst = dst[:len(dst)+n]
	for i := len(dst) - 1; v >= 10; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
	dst[len(dst)-n] = byte('0' + v)
	return dst
}

// appendNames writes an Entity's aliases and lookup values (omitempty).
func appendNames(dst []byte, id, name string, aliases []string) []byte {
	dst = appendStrings(dst, `,"aliases":[`, aliases)
	if strings.HasPrefix(id, "gen:") {
		dst = appendLookup(dst, id, name, aliases)
	}
	return dst
}

// appendLookup writes LookupKeys(id, name, aliases) (omitempty) without
// allocating: each key is folded straight into dst and dropped again when
// empty or written before. A key holds letters, digits and spaces only,
// which JSON strings take as they are.
func appendLookup(dst []byte, id, name string, aliases []string) []byte {
	n0 := len(dst)
	dst = append(dst, `,"lookup":[`...)
	first := len(dst)
	for k := -1; k < len(aliases); k++ {
		form := name
		if k >= 0 {
			form = aliases[k]
		}
		entry := len(dst)
		if entry > first {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		key := len(dst)
		dst = catalog.AppendKey(dst, form)
		if len(dst) == key || seenKey(dst[first:entry], dst[key:]) {
			dst = dst[:entry]
			continue
		}
		dst = append(dst, '|')
		dst = appendEscaped(dst, id)
		dst = append(dst, '"')
	}
	if len(dst) == first {
		return dst[:n0]
	}
	return append(dst, ']')
}

// seenKey reports whether written, the lookup entries written so far
// ("key|id" strings separated by commas), holds key. Neither "|" nor a
// quote occurs in a key, so each entry's key runs from its opening quote
// to its first "|".
func seenKey(written, key []byte) bool {
	for len(written) > 0 {
		written = written[1:] // the opening quote
		bar := bytes.IndexByte(written, '|')
		if bytes.Equal(written[:bar], key) {
			return true
		}
		next := bytes.Index(written, []byte(`","`))
		if next < 0 {
			return false
		}
		written = written[next+2:]
	}
	return false
}

// appendStrings writes field (its name and "[") and list, nothing when list
// is empty (omitempty).
func appendStrings(dst []byte, field string, list []string) []byte {
	if len(list) == 0 {
		return dst
	}
	dst = append(dst, field...)
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

// appendCountries writes the sorted, distinct non-empty country codes of
// locs, as NewDocument lists them.
func appendCountries(dst []byte, locs []*newsroomv1.Location) []byte {
	var buf [32]string
	ccs := buf[:0]
	for _, e := range locs {
		if cc := e.GetCountryCode(); cc != "" {
			ccs = append(ccs, cc)
		}
	}
	slices.Sort(ccs)
	for i, cc := range slices.Compact(ccs) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, cc)
	}
	return dst
}

// appendStringField writes name and s unless s is empty (omitempty).
func appendStringField(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	dst = append(dst, name...)
	return appendString(dst, s)
}

// timePointerType is the type json.Marshal names in a time field's error.
var timePointerType = reflect.TypeFor[*time.Time]()

// appendTimeField writes name and ts as json.Marshal writes a *time.Time
// holding ts.AsTime().UTC(); nothing when ts is nil (omitempty).
func appendTimeField(dst []byte, name string, ts *timestamppb.Timestamp) ([]byte, error) {
	if ts == nil {
		return dst, nil
	}
	t := ts.AsTime().UTC()
	n := len(dst)
	dst = append(dst, name...)
	dst = append(dst, '"')
	out, err := t.AppendText(dst)
	if err != nil { // out is nil then
		// The same check, for json.Marshal's error text.
		_, err = t.MarshalJSON()
		return dst[:n], &json.MarshalerError{Type: timePointerType, Err: err}
	}
	return append(out, '"'), nil
}

// appendFloat writes f as encoding/json writes a float64: like ES6 number
// to string conversion, 'e' notation below 1e-6 and from 1e21 on, with a
// one-digit negative exponent not padded. NaN and infinities fail.
func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, &json.UnsupportedValueError{Value: reflect.ValueOf(f), Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	if out, ok := appendShortDecimal(dst, f); ok {
		return out, nil
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// pow10 holds the powers of ten appendShortDecimal tries, all exact.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6}

// appendShortDecimal writes f as strconv.AppendFloat(dst, f, 'f', -1, 64)
// does when f, between 1e-4 and 1e6 in magnitude, is the value of a
// decimal with at most six places, as coordinates are: it finds the
// fewest places p for which n/10^p == |f|, n = round(|f|·10^p) (the
// division rounds correctly, so the decimal parses back to f). With f's
// spacing below 2^-33, that decimal is the only one with p places that
// does, and none with fewer does: it is the shortest. ok is false for
// other values, which take strconv's general path, about twice as slow.
func appendShortDecimal(dst []byte, f float64) (_ []byte, ok bool) {
	a := math.Abs(f)
	if !(a >= 1e-4 && a < 1e6) {
		return dst, false
	}
	for p, scale := range pow10 {
		n := math.Round(a * scale)
		if n/scale != a {
			continue
		}
		if f < 0 {
			dst = append(dst, '-')
		}
		u, s := uint64(n), uint64(scale)
		dst = strconv.AppendUint(dst, u/s, 10)
		if p == 0 {
			return dst, true
		}
		// The p places, with their leading zeros.
		dst = append(dst, '.')
		dst = append(dst, "000000"[:p]...)
		for i, frac := len(dst)-1, u%s; frac > 0; i, frac = i-1, frac/10 {
			dst[i] = byte('0' + frac%10)
		}
		return dst, true
	}
	return dst, false
}

// appendString writes s as a JSON string the way encoding/json does.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	return append(dst, '"')
}

// appendEscaped writes the inside of s's JSON string with encoding/json's
// HTML-safe escaping: ", \ and the control characters \b \f \n \r \t in
// short form, other control characters and < > & as \u00XX, U+2028 and
// U+2029 escaped, each byte of invalid UTF-8 as \ufffd.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := nextSpecial(s, 0); i < len(s); i = nextSpecial(s, i) {
		b := s[i]
		if plain[b] { // a rare byte nextSpecial stops at, to be copied
			i++
			continue
		}
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

// nextSpecial is the index of the first byte of s from i on that
// encoding/json does not copy as is (see plain), or of a '^', '|' or '~'
// before it (rare bytes that specialBytes takes along), or len(s). Plain
// ASCII is skipped eight bytes at a time.
func nextSpecial(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		_ = w[7] // one bounds check
		if m := specialBytes(uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(s) && plain[s[i]]; i++ {
	}
	return i
}

// specialBytes looks at the 8 bytes of w (little endian) for those that
// encoding/json does not copy as is: control characters, non-ASCII bytes,
// '"', '\\', '<', '>' and '&', and takes '^', '|' and '~' along (two tests
// instead of three for the five ASCII ones). It returns 0 when there are
// none; else the lowest set bit is the high bit of the first such byte
// (higher bytes' bits may be set falsely, by borrows).
func specialBytes(w uint64) uint64 {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	// Below 0x20 the subtraction borrows into the high bit; from 0x80 the
	// high bit is set already.
	m := (w - 0x20*lo) | w
	// A byte is zero for '"' or '&' (0x22, 0x26: bit 2 set aside), and for
	// '<', '>' or '\\' (0x3c, 0x3e, 0x5c: bits 1, 5 and 6 set aside), which
	// also zeroes '^', '|' and '~' (0x5e, 0x7c, 0x7e) and control bytes.
	m |= zeroBytes((w | 0x04*lo) ^ ('&' * lo))
	m |= zeroBytes((w | 0x62*lo) ^ ('~' * lo))
	return m & hi
}

// zeroBytes flags the lane of the first zero byte of x in its high bit
// (and maybe lanes above it); 0 when no byte is zero.
func zeroBytes(x uint64) uint64 {
	const lo = 0x0101010101010101
	return (x - lo) &^ x
}

const hexDigits = "0123456789abcdef"

// plain marks the bytes encoding/json copies as is with HTML escaping on:
// ASCII but for control characters, '"', '\\', '<', '>' and '&'.
var plain = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()
