package article

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// decodeCases are lines for which Decode must give what encoding/json
// gives. fast says whether decodeFast takes the line itself (true) or
// declines it and lets encoding/json decide (false).
var decodeCases = []struct {
	name string
	line string
	fast bool
}{
	// plain
	{"all fields", `{"id":"a-1","url":"https://example.com/a","title":"T","body":"B","published_at":"2025-10-16","source":"wire","language":"de"}`, true},
	{"empty object", `{}`, true},
	{"empty object with space", "{ \t\r\n}", true},
	{"white space everywhere", " {\n \"id\" :\t\"a\" ,\r\n \"title\" : \"t\" \n} \n", true},
	{"empty strings", `{"id":"","title":""}`, true},

	// escapes and unicode
	{"two-character escapes", `{"body":"q\" bs\\ sl\/ b\b f\f n\n r\r t\t"}`, true},
	{"escape at both ends", `{"body":"\nmiddle\n"}`, true},
	{"only escapes", `{"body":"\\\\\\\"\n"}`, true},
	{"escaped backslash then u", `{"body":"\\u0041"}`, true},
	{"unicode escapes", `{"title":"\u00e9t\u00C9 \u003cb\u003e \u0026 \u2014 \u0000"}`, true},
	{"surrogate pair", `{"title":"smile \ud83d\ude00 end"}`, true},
	{"lone high surrogate", `{"title":"a\ud83d b"}`, false},
	{"lone high surrogate at end", `{"title":"a\ud83d"}`, false},
	{"lone low surrogate", `{"title":"a\ude00b"}`, false},
	{"high surrogate then non-surrogate escape", `{"title":"\ud83d\u0041"}`, false},
	{"high surrogate then escaped backslash", `{"title":"\ud83d\\u0041"}`, false},
	{"two high surrogates", `{"title":"\ud83d\ud83d\ude00"}`, false},
	{"raw UTF-8", `{"title":"“Zürich” — 東京 😀","body":"ça"}`, true},
	{"long body with escapes", `{"body":"` + strings.Repeat(`para “one”\n\u003ctag\u003e & more text `, 200) + `"}`, true},
	{"DEL and high ASCII punctuation", "{\"title\":\"a\x7fb\"}", true},

	// unknown fields: ignored, but must be valid JSON
	{"unknown nested", `{"id":"a","title":"t","gold":{"actors":[{"name":"x","n":1}],"ok":true,"none":null,"f":-1.5e+3,"z":0,"e":[]}}`, true},
	{"unknown scalars", `{"a":1,"b":-0.5,"c":2E-7,"d":true,"e":false,"f":null,"g":"s\u00e9","title":"t"}`, true},
	{"unknown string with bad UTF-8", "{\"x\":\"\xff\xfe\",\"title\":\"t\"}", true},
	{"unknown key with escape", `{"x\u0041":1,"title":"t"}`, false},
	{"unknown non-ASCII key", `{"ключ":1,"title":"t"}`, false},
	{"unknown bad number", `{"x":01,"title":"t"}`, false},
	{"unknown bad fraction", `{"x":1.,"title":"t"}`, false},
	{"unknown bad exponent", `{"x":1e,"title":"t"}`, false},
	{"unknown lone minus", `{"x":-,"title":"t"}`, false},
	{"unknown bad literal", `{"x":nul,"title":"t"}`, false},
	{"unknown literal run-on", `{"x":truex,"title":"t"}`, false},
	{"unknown trailing comma in array", `{"x":[1,],"title":"t"}`, false},
	{"unknown trailing comma in object", `{"x":{"a":1,},"title":"t"}`, false},
	{"unknown bad escape", `{"x":"\q","title":"t"}`, false},
	{"unknown short unicode escape", `{"x":"\u12","title":"t"}`, false},
	{"unknown control character", "{\"x\":\"a\tb\",\"title\":\"t\"}", false},
	{"deep nesting", `{"x":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `,"title":"t"}`, false},
	{"nesting within the limit", `{"x":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `,"title":"t"}`, true},

	// duplicates and nulls
	{"duplicate key, last wins", `{"title":"first","title":"second"}`, true},
	{"null keeps the earlier value", `{"title":"first","title":null}`, true},
	{"null field", `{"id":null,"title":"t"}`, true},
	{"null then value", `{"title":null,"title":"x"}`, true},

	// keys that encoding/json matches without regard to case
	{"upper-case key", `{"ID":"a","Title":"t"}`, false},
	{"mixed-case key", `{"Published_At":"2025-10-16","title":"t"}`, false},
	{"key folding to a field", `{"ſource":"x","title":"t"}`, false},
	{"kelvin sign", `{"title":"t","\u212a":"x"}`, false},

	// wrong types
	{"number", `{"title":5}`, false},
	{"bool", `{"title":true}`, false},
	{"object", `{"id":{"a":1},"title":"t"}`, false},
	{"array", `{"body":["a"]}`, false},
	{"wrong type after good fields", `{"id":"keep","title":"t","body":1}`, false},
	{"wrong type then good fields", `{"body":1,"id":"keep","title":"t"}`, false},
	{"two wrong types", `{"body":1,"title":[]}`, false},

	// broken JSON and trailing data
	{"truncated", `{"title":`, false},
	{"truncated string", `{"title":"abc`, false},
	{"missing colon", `{"title" "t"}`, false},
	{"missing comma", `{"title":"t" "body":"b"}`, false},
	{"trailing comma", `{"title":"t",}`, false},
	{"single quotes", `{'title':'t'}`, false},
	{"raw newline in string", "{\"title\":\"a\nb\"}", false},
	{"raw tab in string", "{\"title\":\"a\tb\"}", false},
	{"bad escape", `{"title":"\x41"}`, false},
	{"bad unicode escape", `{"title":"\u00g1"}`, false},
	{"invalid UTF-8 in a field", "{\"title\":\"a\xffb\"}", false},
	{"truncated UTF-8 in a field", "{\"title\":\"\xe2\x80\"}", false},
	{"two objects", `{"title":"a"} {"title":"b"}`, false},
	{"trailing garbage", `{"title":"a"}x`, false},
	{"trailing brace", `{"title":"a"}}`, false},
	{"trailing bracket", `{"title":"a"} ]`, false},
	{"trailing non-breaking space", "{\"title\":\"a\"}\u00a0", true},
	{"array", `[1,2]`, false},
	{"string", `"title"`, false},
	{"empty", ``, false},
	{"blank", " \t ", false},
	{"leading non-breaking space", "\u00a0{\"title\":\"a\"}", true},
}

// TestDecodeMatchesEncodingJSON checks that Decode gives exactly what the
// encoding/json path gives, input and error, and that the fast path takes
// the lines it should.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			line := []byte(tc.line)
			want, wantErr := decodeStd(line)
			got, gotErr := Decode(line)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Decode(%q) input differs from encoding/json (-want +got):\n%s", tc.line, diff)
			}
			if errString(gotErr) != errString(wantErr) {
				t.Errorf("Decode(%q) err = %v, encoding/json gives %v", tc.line, gotErr, wantErr)
			}
			t2 := bytes.TrimSpace(line)
			_, _, fast := decodeFast(t2)
			if len(t2) == 0 || t2[0] != '{' {
				fast = false
			}
			if fast != tc.fast {
				t.Errorf("decodeFast(%q) took it = %v, want %v", tc.line, fast, tc.fast)
			}
			if fast && wantErr != nil {
				t.Errorf("decodeFast accepted a line encoding/json rejects: %v", wantErr)
			}
			if m := cleanMismatch(line); m != "" {
				t.Errorf("decodeFast(%q): %s", tc.line, m)
			}
		})
	}
}

// cleanMismatch says which field decodeFast reports as clean when
// checkText refuses it, or the other way round; "" when none or when
// decodeFast declines the line.
func cleanMismatch(line []byte) string {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || t[0] != '{' {
		return ""
	}
	in, clean, ok := decodeFast(t)
	if !ok {
		return ""
	}
	for i, v := range [...]string{in.ID, in.URL, in.Title, in.Body, in.PublishedAt, in.Source, in.Language} {
		if err := checkText(fieldNames[i], v); clean.has(i) != (err == nil) {
			return fmt.Sprintf("field %s: clean = %v, checkText: %v", fieldNames[i], clean.has(i), err)
		}
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzDecodeMatchesEncodingJSON: for any line, Decode returns the same
// input and error as the encoding/json path.
func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add([]byte(tc.line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		want, wantErr := decodeStd(line)
		got, gotErr := Decode(line)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Decode(%q) input differs from encoding/json (-want +got):\n%s", line, diff)
		}
		if errString(gotErr) != errString(wantErr) {
			t.Fatalf("Decode(%q) err = %v, encoding/json gives %v", line, gotErr, wantErr)
		}
		if m := cleanMismatch(line); m != "" {
			t.Fatalf("decodeFast(%q): %s", line, m)
		}
	})
}

func TestSpecial(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c == '"' || c == '\\' || c < 0x20
		for pos := 0; pos < 8; pos++ {
			var w [8]byte
			for i := range w {
				w[i] = 'a'
			}
			w[pos] = byte(c)
			// A high byte beside it must not hide or fake a match.
			w[(pos+1)%8] = 0xff
			got := special(uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56)
			if got != want {
				t.Fatalf("special(%#x at %d) = %v, want %v", c, pos, got, want)
			}
		}
	}
}

// TestNonPlain checks nonPlain's word test against the byte test for
// every pair of byte values at every pair of positions, the other bytes
// plain: carries and borrows between bytes must neither hide nor fake the
// first match. It checks plainLen on the same words.
func TestNonPlain(t *testing.T) {
	plainByte := func(c int) bool { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' }
	for c1 := 0; c1 < 256; c1++ {
		for c2 := 0; c2 < 256; c2++ {
			for p1 := 0; p1 < 8; p1++ {
				for p2 := 0; p2 < 8; p2++ {
					if p1 == p2 {
						continue
					}
					word := []byte("aaaaaaaa")
					word[p1], word[p2] = byte(c1), byte(c2)
					first := 8 // the first byte that is not plain
					for i, c := range word {
						if !plainByte(int(c)) {
							first = i
							break
						}
					}
					m := nonPlain(binary.LittleEndian.Uint64(word))
					if got := bits.TrailingZeros64(m) / 8; got != first {
						t.Fatalf("nonPlain(% x) = %#x: first byte %d, want %d", word, m, got, first)
					}
					if got := plainLen(word); got != first {
						t.Fatalf("plainLen(% x) = %d, want %d", word, got, first)
					}
					if got := plainLen(word[:7]); got != min(first, 7) {
						t.Fatalf("plainLen(% x) = %d, want %d", word[:7], got, min(first, 7))
					}
				}
			}
		}
	}
}

// TestSeqLen checks seqLen against utf8.DecodeRune for every sequence of
// up to three bytes after a lead byte, and for every 4-byte lead with the
// continuation bytes that matter.
func TestSeqLen(t *testing.T) {
	want := func(b []byte) int {
		if r, n := utf8.DecodeRune(b); n > 1 || r != utf8.RuneError && n == 1 && b[0] >= utf8.RuneSelf {
			return n
		}
		return 0
	}
	check := func(b []byte) {
		if b[0] < utf8.RuneSelf {
			return // textEnd passes ASCII itself
		}
		if got, w := seqLen(b), want(b); got != w {
			t.Fatalf("seqLen(% x) = %d, utf8.DecodeRune takes %d", b, got, w)
		}
	}
	for c0 := 0x80; c0 < 0x100; c0++ {
		check([]byte{byte(c0)})
		for c1 := 0; c1 < 0x100; c1++ {
			check([]byte{byte(c0), byte(c1)})
			for c2 := 0; c2 < 0x100; c2++ {
				check([]byte{byte(c0), byte(c1), byte(c2)})
				for _, c3 := range []byte{0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xff} {
					check([]byte{byte(c0), byte(c1), byte(c2), c3})
				}
			}
		}
	}
}

// TestDecodeMatchesEncodingJSONRandom builds many lines from pieces that
// matter to the fast path (known, unknown and case-folded keys, every kind
// of value, escapes, broken UTF-8, white space, small breakages) and
// checks each against encoding/json.
func TestDecodeMatchesEncodingJSONRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	ws := func() string { return pick("", "", "", " ", "\n", "\t ", "\r\n ") }
	var str func() string
	str = func() string {
		var b strings.Builder
		b.WriteByte('"')
		for n := rng.IntN(8); n > 0; n-- {
			b.WriteString(pick("a", "text ", "é", "“q”", "東", "😀", `\n`, `\"`, `\\`, `\/`, `\t`, `\b`, `\f`, `\r`,
				`\u0041`, `\u00e9`, `\ud83d\ude00`, `\ud83d`, `\ude00`, `\uD83D\uDE00`, `\u0000`, "\x7f",
				`\u001f`, `\u007f`, `\u0080`, `\u009F`, `\u00a0`, "\u0085", "\u00a0", "\ufffd", `\ufffd`,
				"\xff", "\xe2\x80", "\t", `\x`, `\u12`, `\`, `"`))
		}
		b.WriteString(pick(`"`, `"`, `"`, `"`, `"`, `"`, `"`, ""))
		return b.String()
	}
	var value func(depth int) string
	value = func(depth int) string {
		switch k := rng.IntN(12); {
		case k < 5:
			return str()
		case k == 5:
			return pick("0", "-1", "1.5", "2e10", "-0.0E-3", "01", "1.", "-", "1e", "123456789012345678901234567890")
		case k == 6:
			return pick("true", "false", "null", "nul", "truex", "NULL")
		case k == 7 && depth < 4:
			var parts []string
			for n := rng.IntN(3); n > 0; n-- {
				parts = append(parts, ws()+str()+ws()+":"+ws()+value(depth+1))
			}
			return "{" + strings.Join(parts, ",") + pick("}", "}", "}", ",}")
		case k == 8 && depth < 4:
			var parts []string
			for n := rng.IntN(3); n > 0; n-- {
				parts = append(parts, ws()+value(depth+1)+ws())
			}
			return "[" + strings.Join(parts, ",") + pick("]", "]", "]", ",]")
		default:
			return pick("null", `""`, str())
		}
	}
	key := func() string {
		return pick(`"id"`, `"url"`, `"title"`, `"body"`, `"published_at"`, `"source"`, `"language"`,
			`"gold"`, `"x"`, `"ID"`, `"Body"`, `"TITLE"`, `"ſource"`, `"\u0069d"`, `"i"`, `"idx"`, `"published-at"`, `"ключ"`)
	}
	fast := 0
	const n = 30000
	for i := 0; i < n; i++ {
		var parts []string
		for m := rng.IntN(6); m > 0; m-- {
			parts = append(parts, ws()+key()+ws()+pick(":", ":", ":", ":", ":", ":", ":", ":", ":", "")+ws()+value(1)+ws())
		}
		line := ws() + "{" + strings.Join(parts, pick(",", ",", ",", ",", ",", ",", ",", ",", ",", ", ", "")) + "}" +
			pick("", "", "", "", " ", "\n", " {}", "x", "}", "]", "\u00a0")
		want, wantErr := decodeStd([]byte(line))
		got, gotErr := Decode([]byte(line))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Decode(%q) input differs from encoding/json (-want +got):\n%s", line, diff)
		}
		if errString(gotErr) != errString(wantErr) {
			t.Fatalf("Decode(%q) err = %v, encoding/json gives %v", line, gotErr, wantErr)
		}
		if m := cleanMismatch([]byte(line)); m != "" {
			t.Fatalf("decodeFast(%q): %s", line, m)
		}
		if _, _, ok := decodeFast(bytes.TrimSpace([]byte(line))); ok {
			fast++
		}
	}
	// The lines must exercise the fast path, not only the fallback.
	if fast < n/10 {
		t.Errorf("the fast path took only %d of %d lines", fast, n)
	}
	t.Logf("fast path took %d of %d lines", fast, n)
}
