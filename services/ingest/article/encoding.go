package article

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// rawText keeps a field's JSON token as sent; null leaves it as it is, as
// it leaves a string field.
type rawText []byte

func (r *rawText) UnmarshalJSON(b []byte) error {
	if string(b) != "null" {
		*r = append((*r)[:0], b...)
	}
	return nil
}

// rawInput holds the tokens that end up in Input's fields: the same tags,
// so encoding/json picks the same key for each field (case folding, last
// duplicate wins).
type rawInput struct {
	ID          rawText `json:"id"`
	URL         rawText `json:"url"`
	Title       rawText `json:"title"`
	Body        rawText `json:"body"`
	PublishedAt rawText `json:"published_at"`
	Source      rawText `json:"source"`
	Language    rawText `json:"language"`
}

// checkEncoding finds the first known field (in fieldNames order) whose
// JSON string in b, a valid JSON object, holds invalid UTF-8 or a lone
// surrogate escape.
func checkEncoding(b []byte) error {
	var raw rawInput
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	for i, tok := range [...]rawText{raw.ID, raw.URL, raw.Title, raw.Body, raw.PublishedAt, raw.Source, raw.Language} {
		if msg := tokenProblem(tok); msg != "" {
			return &FieldError{Field: fieldNames[i], Msg: msg}
		}
	}
	return nil
}

// tokenProblem says what in a JSON string token (quotes included, escapes
// valid) encoding/json would replace with U+FFFD; "" when nothing.
func tokenProblem(tok []byte) string {
	if len(tok) < 2 || tok[0] != '"' {
		return ""
	}
	s := tok[1 : len(tok)-1]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && s[i+1] == 'u':
			r := hex4(s[i+2 : i+6])
			if r >= 0xdc00 && r <= 0xdfff {
				return fmt.Sprintf(`holds the lone surrogate escape \u%04x (half of a UTF-16 pair, no character): send valid UTF-8 text`, r)
			}
			if r >= 0xd800 && r <= 0xdbff {
				if i+12 <= len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
					if lo := hex4(s[i+8 : i+12]); lo >= 0xdc00 && lo <= 0xdfff {
						i += 12
						continue
					}
				}
				return fmt.Sprintf(`holds the lone surrogate escape \u%04x (half of a UTF-16 pair, no character): send valid UTF-8 text`, r)
			}
			i += 6
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n == 1 {
				return fmt.Sprintf("is not valid UTF-8 (byte 0x%02x): send UTF-8 text", c)
			}
			i += n
		}
	}
	return ""
}
