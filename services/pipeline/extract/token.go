package extract

import (
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
)

type token struct {
	start, end int32 // byte offsets in the text
	rstart     int32 // rune offset of start
	norm       string
	h, ha      uint64  // hash of norm; hash of the de-pluralised / variant form (0: none)
	lex        uint64  // lexical classes (lx* bits)
	dv         dictVal // dictionary entry of the token alone
	f          uint32
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

// tokenizer holds the reusable buffers of one Extract call.
type tokenizer struct {
	toks  []token
	buf   []byte
	dict  *htab
	small *lexTab
	lower *bitset
}

// tokenize splits text into word tokens and comma pseudo-tokens. titleEnd is
// the byte offset where the title line ends.
func (tz *tokenizer) tokenize(text string, titleEnd int) {
	tz.toks = tz.toks[:0]
	if cap(tz.buf) < 2*len(text)+16 {
		tz.buf = make([]byte, 0, 2*len(text)+64)
	}
	tz.buf = tz.buf[:0]
	var (
		gap       uint32 = fBarrier | fSentStart | fLineStart
		sentEnd          = true
		runeIdx   int32
		prevAbbr  bool
		i         int
		sawSpace  bool
		sawHyphen bool
	)
	n := len(text)
	for i < n {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if c < utf8.RuneSelf && asciiClass[c] != 0 || c >= utf8.RuneSelf && catalog.IsWordRune(r) {
			// Scan one word.
			start := i
			rstart := runeIdx
			bstart := len(tz.buf)
			var f uint32
			upper, lower, letters := 0, 0, 0
			first := true
			for i < n {
				c = text[i]
				if c < utf8.RuneSelf {
					switch asciiClass[c] {
					case 0:
						goto wordEnd
					case cLower:
						lower++
						letters++
						if first {
							f |= fLower
						}
					case cUpper:
						upper++
						letters++
						if first {
							f |= fCap
						}
						c += 'a' - 'A'
					default:
						f |= fDigit
					}
					tz.buf = append(tz.buf, c)
					first = false
					i++
					runeIdx++
					continue
				}
				r, size = utf8.DecodeRuneInString(text[i:])
				if !catalog.IsWordRune(r) {
					break
				}
				{
					switch {
					case unicode.IsUpper(r):
						upper++
						letters++
						if first {
							f |= fCap
						}
					case unicode.IsLower(r):
						lower++
						letters++
						if first {
							f |= fLower
						}
					case unicode.IsDigit(r):
						f |= fDigit
					}
					tz.buf = catalog.AppendFold(tz.buf, r)
				}
				first = false
				i += size
				runeIdx++
			}
		wordEnd:
			if letters > 0 {
				f |= fAlpha
			}
			if upper >= 2 && lower == 0 {
				f |= fAllCaps
			}
			if letters > 0 && lower == 0 {
				f |= fNoLower
			}
			if start < titleEnd {
				f |= fTitle
			}
			norm := unsafe.String(unsafe.SliceData(tz.buf[bstart:]), len(tz.buf)-bstart)
			t := token{start: int32(start), end: int32(i), rstart: rstart, norm: norm, f: f | gap}
			if t.f&fApostBefore != 0 && norm == "s" {
				t.f |= fPossS
			}
			if t.f&fSentStart == 0 && sentEnd {
				t.f |= fSentStart
			}
			t.h = hashString(norm)
			if a := altForm(norm); a != "" {
				t.ha = hashString(a)
			}
			t.lex = tz.small.get(t.h)
			if f&fLower == 0 || tz.lower.has(t.h) || t.ha != 0 && tz.lower.has(t.ha) {
				t.dv, _ = tz.dict.get(t.h)
				t.lex |= t.dv.lex
			} else {
				t.f |= fNoDict
			}
			if i < n && text[i] == '.' {
				t.f |= fDotAfter
			}
			if i < n && (text[i] == '"' || hasPrefixQuote(text[i:])) {
				t.f |= fQuoteAfter
			}
			tz.toks = append(tz.toks, t)
			prevAbbr = t.lex&lxAbbrev != 0 || len(norm) == 1 && upper == 1
			gap, sentEnd, sawSpace, sawHyphen = 0, false, false, false
			continue
		}
		// Separator characters.
		switch {
		case r == '\n' || r == '\r':
			gap |= fBarrier | fLineStart
			sentEnd = true
		case r == ' ' || r == '\t' || r == '\u00a0':
			sawSpace = true
		case r == ',':
			tz.toks = append(tz.toks, token{start: int32(i), end: int32(i + 1), rstart: runeIdx,
				norm: ",", h: hashString(","), f: fComma | gap})
			gap = 0
		case r == '.':
			// A period followed by a space ends a sentence unless it closes
			// an abbreviation or an initial; "U.S" keeps joined.
			next := byte(' ')
			if i+1 < n {
				next = text[i+1]
			}
			if next == ' ' || next == '\n' || next == '"' || next == '\r' || i+1 >= n || next >= utf8.RuneSelf {
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
				sawHyphen = true
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
		_ = sawHyphen
		i += size
		runeIdx++
	}
	if len(tz.toks) > 0 {
		// Mark the first token of the body.
		for k := range tz.toks {
			if tz.toks[k].start > int32(titleEnd) {
				tz.toks[k].f |= fBody0
				break
			}
		}
	}
}

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
