package extract

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// Token flags.
const (
	fCap          uint32 = 1 << iota // first letter upper case
	fAllCaps                         // at least two letters, all upper case
	fLower                           // first rune is a lower-case letter
	fDigit                           // contains a digit
	fAlpha                           // contains a letter
	fBarrier                         // strong punctuation or a line break before it
	fComma                           // a comma pseudo-token
	fSentStart                       // first word of a sentence or line
	fPossS                           // the "s" of a possessive ("Russia's")
	fHyphenBefore                    // joined to the previous token by a hyphen
	fApostBefore                     // joined to the previous token by an apostrophe
	fDotAfter                        // directly followed by "."
	fTitle                           // in the title line
	fLineStart                       // first token of a line
	fOpenParen                       // "(" between the previous token and this one
	fCloseParen                      // ")" between the previous token and this one
	fQuoteBefore                     // a quotation mark before it (after any space)
	fQuoteAfter                      // a quotation mark after it (before any space)
	fColonBefore                     // ":" before it
	fDashBefore                      // a dash (– — or spaced hyphen) before it
	fBody0                           // first token of the body
	fNoLower                         // has letters, none of them lower case
	fNoDict                          // lower case and no catalog name starts with it
	fMore                            // a longer catalog name starts with the token
	fUpper1                          // exactly one upper-case letter
	fNameTok                         // may be part of a person's name (token.nameTok)
	fInitial                         // an initial: one capital letter and a period (token.initial)
)

type token struct {
	start, end int32  // byte offsets in the text
	rstart     int32  // rune offset of start
	f          uint32 // flags (f*)
	norm       string
	h, ha      uint64 // hash of norm; hash of the de-pluralised / variant form (0: none)
	lex        uint64 // lexical classes (lx* bits)
	// dvStart and dvN are the dictionary candidates of the token alone
	// (dict.cands[dvStart:dvStart+dvN]); fMore says a longer name
	// continues with it.
	dvStart, dvN int32
}

// dv returns the dictionary entry of the token alone.
func (t *token) dv() dictVal {
	return dictVal{start: t.dvStart, n: t.dvN, more: t.f&fMore != 0}
}

func (t *token) is(f uint32) bool { return t.f&f != 0 }

// capLike reports whether the token looks like part of a proper name: an
// upper-case initial, all capitals, or a digit-led designation.
func (t *token) capLike() bool { return t.f&(fCap|fAllCaps) != 0 }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h | 1
}

// nonZero returns 1 if x is not 0, else 0, without a branch.
func nonZero(x uint64) uint64 { return (x | -x) >> 63 }

// combine extends the hash of a token sequence by one token hash.
func combine(prev, next uint64) uint64 {
	return (bits.RotateLeft64(prev, 23)^next)*0x9e3779b97f4a7c15 | 1
}

// altForm returns the de-pluralised or variant-stripped form of a folded
// token: "tomahawks" → "tomahawk", "136s" → "136", "31k" → "31", "2a6" → "2".
func altForm(s string) string {
	n := len(s)
	if n >= 2 && s[0] >= '0' && s[0] <= '9' {
		i := 0
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i < n && s[i] >= 'a' && s[i] <= 'z' {
			return s[:i]
		}
		return ""
	}
	if n >= 4 && s[n-1] == 's' && s[n-2] != 's' && s[n-2] != '\'' {
		return s[:n-1]
	}
	return ""
}

// abbrevs are abbreviations after which a period does not end a sentence.
var abbrevs = newSet(`mr,mrs,ms,dr,gen,lt,col,brig,sgt,maj,capt,adm,rev,gov,sen,rep,st,co,corp,inc,ltd,jr,sr,
no,vs,prof,cmdr,pvt,cpl,messrs,mt,ft,ave,blvd,dept,est,approx,fig,vol,u,s,n,e,w,d,c,k,l,a,b,f,g,h,j,m,o,p,q,r,t,v,x,y,z,
mass,calif,fla,ill,wis,wisc,tenn,ariz,colo,conn,okla,ore,pa,wash,minn,mich,nev,neb,ky,md,mo,va,ga,ala,ark,kan,del,vt,wyo,mont,tex`)

const (
	cLower = 1 + iota
	cUpper
	cDigit
)

// asciiClass classifies ASCII bytes: letters and digits form words.
var asciiClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLower
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = cUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	return t
}()

// Token marks: one bit per rule pass, set on the tokens where that pass
// may start; the tokenizer lists the tokens of each mark (caps, dicts,
// marked), so that a pass visits only those. A mark is a necessary
// condition of the pass's own test, which the pass still makes.
const (
	mFeat     uint16 = 1 << iota // features: military, sports, U.S. words
	mDict                        // findDictSpans: may start a catalog name
	mCap                         // capitalised or all capitals
	mSettle                      // findSettlements: "town", "city" …
	mGeo                         // findGeoHeads: capitalised geographic head
	mAdmin                       // findAdminNouns: lower-case admin noun
	mMinistry                    // findMinistries: "ministry"
	mForce                       // findForces: "army", "air force" …
	mOrg                         // findOrgs: capitalised organization head
	mComma                       // a comma
	mCat                         // categories: a category term
	mDemonym                     // collectEvidence: capitalised country adjective
	mOpen                        // open-world passes: ship, place-list, distance, body and organization nouns
	nMarks    = iota
)

// markComma is the bit number of mComma.
var markComma = bits.TrailingZeros16(mComma)

// marked returns the indices, in order, of the tokens with mark m (one
// bit, not mCap or mDict): a pass then visits only the tokens where it may
// start instead of testing the mark of every marked token.
func (tz *tokenizer) marked(m uint16) []int32 { return tz.byMark[bits.TrailingZeros16(m)] }

// hMinistry is the hash of "ministry".
var hMinistry = hashString("ministry")

// Classes of word bytes: wLower, wUpper and wDigit for ASCII letters and
// digits, wHigh for the bytes of multi-byte runes, 0 for the rest.
const (
	wLower uint8 = 1 << iota
	wUpper
	wDigit
	wHigh
)

var wordClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = wLower
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = wUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wDigit
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = wHigh
	}
	return t
}()

// scanASCII scans the ASCII letters and digits of text from i on: it
// returns where they end, the FNV hash h continued over their lower-case
// form, the classes seen (w*) and the number of upper-case letters. A
// separate small function, so that its loop keeps everything in registers.
//
//go:noinline
func scanASCII(text string, i int, h uint64) (int, uint64, uint8, int) {
	var seen uint8
	upper := 0
	for i < len(text) {
		c := text[i]
		if c-'a' < 26 {
			seen |= wLower
		} else if c-'A' < 26 {
			upper++
			c |= 0x20
		} else if c-'0' < 10 {
			seen |= wDigit
		} else {
			break
		}
		h = (h ^ uint64(c)) * fnvPrime
		i++
	}
	return i, h, seen, upper
}

// lowerASCII copies s into dst (of the same length) with the ASCII
// letters in lower case, and returns dst.
func lowerASCII(dst []byte, s string) []byte {
	dst = dst[:len(s)]
	copy(dst, s)
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		x := binary.LittleEndian.Uint64(dst[i:])
		// For bytes below 0x80: a has its top bit set when the byte is
		// at least 'A', z when it is above 'Z'.
		const hi = 0x8080808080808080
		b := x &^ hi
		a := b + 0x3f3f3f3f3f3f3f3f // 0x80 - 'A'
		z := b + 0x2525252525252525 // 0x80 - 'Z' - 1
		upper := (a &^ z) &^ x & hi
		binary.LittleEndian.PutUint64(dst[i:], x|upper>>2)
	}
	for ; i < len(dst); i++ {
		if c := dst[i]; c-'A' < 26 {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// tokenizer holds the reusable buffers of one Extract call.
type tokenizer struct {
	toks []token
	caps []int32 // indices of the tokens marked mCap
	// capH holds, for each of caps, the token's hash when it has fCap and
	// 0 otherwise: a look for a capitalised word reads one dense array.
	capH []uint64
	// byMark lists, per mark bit other than mCap and mDict, the indices
	// of the tokens with that mark (see marked).
	byMark [nMarks][]int32
	dicts  []int32 // indices of the tokens marked mDict
	body0  int32   // index of the first body token, or -1
	// supp reports a code point beyond U+FFFF (lead byte 0xF0 or more),
	// which takes two UTF-16 units; noted here to spare a scan of the text.
	supp  bool
	buf   []byte
	dict  *htab
	small *lexTab
	lower *bitset
}

// tokenize splits text into word tokens and comma pseudo-tokens. titleEnd is
// the byte offset where the title line ends.
func (tz *tokenizer) tokenize(text string, titleEnd int) {
	tz.toks = tz.toks[:0]
	tz.caps = tz.caps[:0]
	tz.capH = tz.capH[:0]
	for b := range tz.byMark {
		tz.byMark[b] = tz.byMark[b][:0]
	}
	tz.dicts = tz.dicts[:0]
	tz.body0 = -1
	tz.supp = false
	// buf holds the text with ASCII letters in lower case, then the
	// folded forms of words with other letters. Folding a rune at most
	// doubles it, so buf never grows and the norms that point into it
	// stay valid.
	if cap(tz.buf) < 3*len(text)+16 {
		tz.buf = make([]byte, 0, 3*len(text)+64)
	}
	tz.buf = lowerASCII(tz.buf[:len(text)], text)
	lowered := unsafe.String(unsafe.SliceData(tz.buf), len(text))
	var (
		gap      uint32 = fBarrier | fSentStart | fLineStart
		sentEnd         = true
		runeIdx  int32
		lastWord = -1 // index of the last word token (for abbreviations)
		i        int
		sawSpace bool
	)
	n := len(text)
	for i < n {
		c := text[i]
		if c == ' ' {
			sawSpace = true
			i++
			runeIdx++
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			if c >= 0xF0 {
				tz.supp = true
			}
		}
		if c < utf8.RuneSelf && asciiClass[c] != 0 || c >= utf8.RuneSelf && catalog.IsWordRune(r) {
			// Scan one word. An ASCII word's folded form is a slice of the
			// lowered text; a word with other letters is folded into buf.
			start := i
			rstart := runeIdx
			var f uint32
			upper := 0
			var seen uint8
			extra := 0 // bytes beyond the first of multi-byte runes
			h := uint64(fnvOffset)
			var norm string
			// The first rune sets fCap or fLower.
			if c < utf8.RuneSelf {
				switch asciiClass[c] {
				case cLower:
					f |= fLower
				case cUpper:
					f |= fCap
				}
			} else if unicode.IsUpper(r) {
				f |= fCap
			} else if unicode.IsLower(r) {
				f |= fLower
			}
			i, h, seen, upper = scanASCII(text, i, h)
			if i < n && text[i] >= utf8.RuneSelf {
				goto folded
			}
			norm = lowered[start:i]
			goto wordEnd
		folded:
			// A rune outside ASCII: fold the word into buf.
			{
				bstart := len(tz.buf)
				tz.buf = append(tz.buf, lowered[start:i]...)
				for i < n {
					c = text[i]
					if c < utf8.RuneSelf {
						k := wordClass[c]
						if k == 0 {
							break
						}
						seen |= k
						upper += int(k >> 1 & 1)
						c |= 0x20
						tz.buf = append(tz.buf, c)
						h = (h ^ uint64(c)) * fnvPrime
						i++
						continue
					}
					r, size = utf8.DecodeRuneInString(text[i:])
					if c >= 0xF0 {
						tz.supp = true
					}
					if !catalog.IsWordRune(r) {
						break
					}
					switch {
					case unicode.IsUpper(r):
						upper++
					case unicode.IsLower(r):
						seen |= wLower
					case unicode.IsDigit(r):
						seen |= wDigit
					}
					k := len(tz.buf)
					tz.buf = catalog.AppendFold(tz.buf, r)
					for _, b := range tz.buf[k:] {
						h = (h ^ uint64(b)) * fnvPrime
					}
					i += size
					extra += size - 1
				}
				norm = unsafe.String(unsafe.SliceData(tz.buf[bstart:]), len(tz.buf)-bstart)
			}
		wordEnd:
			// Start the look-ups of the word list and of the Bloom filter
			// now: their loads overlap with the bookkeeping below.
			h |= 1
			if i-start == 2 && i < n && text[i] == '.' {
				norm, h = expandAbbrev(norm, h) // "Mt." is "Mount"
			}
			ls := tz.small.first(h)
			lk, lval := ls.key, ls.val
			bloom := tz.lower.has(h)
			lower := seen&wLower != 0
			if seen&wDigit != 0 {
				f |= fDigit
			}
			runeIdx = rstart + int32(i-start-extra)
			if upper > 0 || lower {
				f |= fAlpha
				if !lower {
					f |= fNoLower
				}
			}
			if upper >= 2 && !lower {
				f |= fAllCaps
			}
			if start < titleEnd {
				f |= fTitle
			}
			// The token's fields are built in locals and stored once.
			idx := int32(len(tz.toks))
			tf := f | gap
			if tf&fApostBefore != 0 && norm == "s" {
				tf |= fPossS
			}
			if sentEnd {
				tf |= fSentStart
			}
			// altForm gives "" unless the word ends in "s" or starts with a
			// digit; a word of combining marks alone has an empty norm.
			var ha uint64
			if len(norm) > 0 && (norm[len(norm)-1] == 's' || norm[0]-'0' < 10) {
				if a := altForm(norm); a != "" {
					ha = hashString(a)
				}
			}
			// lv is lval when the first slot holds h, else 0: arithmetic,
			// since the compiler branches on the match, which the
			// processor cannot predict.
			miss := nonZero(lk ^ h)
			lv := lval & (miss - 1)
			if miss&nonZero(lk) != 0 { // another key: probe on
				lv = tz.small.get(h)
			}
			lex := lv & lexClasses
			// need is computed without short-circuit branches, which the
			// processor mispredicts.
			need := bloom
			if f&fLower == 0 {
				need = true
			}
			if ha != 0 && tz.lower.has(ha) {
				need = true
			}
			var dvStart, dvN int32
			if need {
				v, _ := tz.dict.get(h) // zero when missing
				dvStart, dvN = v.start, v.n
				if v.more {
					tf |= fMore
				}
				lex |= v.lex
			} else {
				tf |= fNoDict
			}
			if i < n {
				switch c := text[i]; {
				case c == '.':
					tf |= fDotAfter
				case c == '"':
					tf |= fQuoteAfter
				case c >= utf8.RuneSelf:
					if hasPrefixQuote(text[i:]) {
						tf |= fQuoteAfter
					}
				}
			}
			m := uint16(lv >> lexMarkShift)
			if m&mAdmin != 0 && (f&fLower == 0 || tf&fBarrier != 0) {
				m &^= mAdmin
			}
			if tf&(fNoDict|fPossS) == 0 {
				tz.dicts = append(tz.dicts, idx)
			}
			if f&(fCap|fAllCaps) != 0 {
				m |= mCap
				if nameTokOf(tf, lex) {
					tf |= fNameTok
				}
				if initialOf(norm, tf) {
					tf |= fInitial
				}
				if f&fCap != 0 {
					if lex&lxGeoHead != 0 {
						m |= mGeo
					}
					if lex&lxOrgHead != 0 {
						m |= mOrg
					}
					if lex&lxDemonym != 0 {
						m |= mDemonym
					}
				}
			}
			if m&mCap != 0 {
				tz.caps = append(tz.caps, idx)
				ch := uint64(0)
				if f&fCap != 0 {
					ch = h
				}
				tz.capH = append(tz.capH, ch)
			}
			for x := m &^ (mCap | mDict); x != 0; x &= x - 1 {
				b := bits.TrailingZeros16(x)
				tz.byMark[b] = append(tz.byMark[b], idx)
			}
			if upper == 1 {
				tf |= fUpper1
			}
			tz.toks = append(tz.toks, token{start: int32(start), end: int32(i), rstart: rstart, f: tf,
				norm: norm, h: h, ha: ha, lex: lex, dvStart: dvStart, dvN: dvN})
			lastWord = int(idx)
			gap, sentEnd, sawSpace = 0, false, false
			continue
		}
		// Separator characters.
		switch {
		case r == '\n' || r == '\r':
			gap |= fBarrier | fLineStart
			sentEnd = true
		case r == '\t' || r == '\u00a0':
			sawSpace = true
		case r == ',':
			tz.toks = append(tz.toks, token{start: int32(i), end: int32(i + 1), rstart: runeIdx,
				norm: ",", h: hComma, f: fComma | gap})
			tz.byMark[markComma] = append(tz.byMark[markComma], int32(len(tz.toks)-1))
			gap = 0
		case r == '.':
			// A period followed by a space ends a sentence unless it closes
			// an abbreviation or an initial; "U.S" keeps joined.
			next := byte(' ')
			if i+1 < n {
				next = text[i+1]
			}
			if next == ' ' || next == '\n' || next == '"' || next == '\r' || i+1 >= n || next >= utf8.RuneSelf {
				prevAbbr := false
				if lastWord >= 0 {
					t := &tz.toks[lastWord]
					prevAbbr = t.lex&lxAbbrev != 0 || len(t.norm) == 1 && t.f&fUpper1 != 0 ||
						t.end-t.start == 2 && (t.h == hMount || t.h == hFort) // expandAbbrev
				}
				if !prevAbbr {
					gap |= fBarrier
					sentEnd = true
				}
			}
		case r == '!' || r == '?' || r == ';':
			gap |= fBarrier
			if r != ';' {
				sentEnd = true
			}
		case r == ':':
			gap |= fBarrier | fColonBefore
		case r == '(' || r == '[':
			gap |= fBarrier | fOpenParen
		case r == ')' || r == ']':
			gap |= fBarrier | fCloseParen
		case r == '-':
			if sawSpace || (i+1 < n && text[i+1] == ' ') {
				gap |= fBarrier | fDashBefore
			} else {
				gap |= fHyphenBefore
			}
		case r == '–' || r == '—' || r == '|' || r == '•' || r == '/' && sawSpace:
			gap |= fBarrier | fDashBefore
		case catalog.IsApostrophe(r):
			if !sawSpace && i > 0 && i+size < n && isWordByteStart(text, i+size) {
				gap |= fApostBefore
			} else {
				gap |= fQuoteBefore
			}
		case r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r == '„':
			gap |= fQuoteBefore
		case r == '/' || r == '&' || r == '#' || r == '@' || r == '+' || r == '%' || r == '$' || r == '*' || r == '_' || r == '=' || r == '~' || r == '^':
			// weak separators
		default:
			gap |= fBarrier
		}
		i += size
		runeIdx++
	}
	// Mark the first token of the body.
	for k := range tz.toks {
		if tz.toks[k].start > int32(titleEnd) {
			tz.toks[k].f |= fBody0
			tz.body0 = int32(k)
			break
		}
	}
}

// hComma is the hash of the comma pseudo-token.
var hComma = hashString(",")

func hasPrefixQuote(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '”', '“', '’', '‘', '»', '«':
		return true
	}
	return false
}

func isWordByteStart(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return catalog.IsWordRune(r)
}

// Abbreviations of name words that catalogs spell out: "Mt. Vernon" is
// "Mount Vernon", "Ft. Worth" is "Fort Worth".
var (
	hMt, hFt      = hashString("mt"), hashString("ft")
	hMount, hFort = hashString("mount"), hashString("fort")
)

// expandAbbrev returns the spelled-out form of an abbreviated name word.
func expandAbbrev(norm string, h uint64) (string, uint64) {
	switch h {
	case hMt:
		if norm == "mt" {
			return "mount", hMount
		}
	case hFt:
		if norm == "ft" {
			return "fort", hFort
		}
	}
	return norm, h
}
