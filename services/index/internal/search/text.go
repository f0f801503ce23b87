package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextTerm is one word or quoted phrase of a q value.
type TextTerm struct {
	Text   string
	Phrase bool
}

// TextQuery is a parsed q value: every group must match (a group matches
// when any of its terms does) and no excluded term may.
//
// The syntax is a safe subset of what search boxes offer: words, "quoted
// phrases", OR (or |) between two terms, and -word or -"phrase" to exclude.
// Nothing else is syntax: field:value, wildcards, fuzziness and brackets
// are plain text, and the terms reach Elasticsearch as match queries, never
// as query-string syntax.
type TextQuery struct {
	Groups   [][]TextTerm
	Excluded []TextTerm
}

// ParseText parses one q value.
func ParseText(s string) TextQuery {
	var q TextQuery
	joinNext := false
	for _, tok := range tokenize(s) {
		if !tok.quoted && (tok.text == "OR" || tok.text == "|") && !tok.negated {
			if len(q.Groups) > 0 {
				joinNext = true
				continue
			}
			// A leading OR is a word.
		}
		term := TextTerm{Text: tok.text, Phrase: tok.quoted}
		if tok.negated {
			q.Excluded = append(q.Excluded, term)
			continue
		}
		if joinNext {
			last := len(q.Groups) - 1
			q.Groups[last] = append(q.Groups[last], term)
			joinNext = false
			continue
		}
		q.Groups = append(q.Groups, []TextTerm{term})
	}
	if joinNext { // a trailing OR is a word
		q.Groups = append(q.Groups, []TextTerm{{Text: "OR"}})
	}
	return q
}

// Positive returns the terms that must or may match, for highlighting.
func (q TextQuery) Positive() []TextTerm {
	var out []TextTerm
	for _, g := range q.Groups {
		out = append(out, g...)
	}
	return out
}

type token struct {
	text            string
	quoted, negated bool
}

// tokenize splits at white space; a quote runs to the next quote (or the
// end); a leading - negates the token it starts.
func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		neg := false
		if r == '-' && i+1 < len(s) {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); !unicode.IsSpace(next) {
				neg = true
				i++
			}
		}
		if s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			var text string
			if end < 0 {
				text, i = s[i+1:], len(s)
			} else {
				text, i = s[i+1:i+1+end], i+2+end
			}
			if text = strings.TrimSpace(text); text != "" {
				out = append(out, token{text: text, quoted: true, negated: neg})
			}
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			j += n
		}
		if j > i {
			out = append(out, token{text: s[i:j], negated: neg})
		}
		i = j
	}
	return out
}
