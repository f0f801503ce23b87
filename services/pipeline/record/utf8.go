package record

import (
	"errors"
	"unicode/utf8"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// errNotUTF8 is a string field that is not valid UTF-8. Proto3 requires
// valid UTF-8; the reflection codec checked it, the generated one does not,
// so the checks below keep that contract on both sides of Kafka.
var errNotUTF8 = errors.New("a string field is not valid UTF-8")

// validArticle reports whether every string of a is valid UTF-8.
func validArticle(a *newsroomv1.Article) bool {
	return utf8.ValidString(a.GetId()) && utf8.ValidString(a.GetUrl()) && utf8.ValidString(a.GetSource()) &&
		utf8.ValidString(a.GetTitle()) && utf8.ValidString(a.GetBody()) && utf8.ValidString(a.GetLanguage()) &&
		utf8.ValidString(a.GetRevision()) && utf8.ValidString(a.GetTraceId())
}

// validClassified reports whether every string of c is valid UTF-8.
func validClassified(c *newsroomv1.ClassifiedArticle) bool {
	return validArticle(c.GetArticle()) && validClassification(c)
}

// validClassification reports whether every string of c but its article's
// is valid UTF-8: what the classifier added.
func validClassification(c *newsroomv1.ClassifiedArticle) bool {
	if !utf8.ValidString(c.GetClassifierVersion()) {
		return false
	}
	for _, e := range c.GetActors() {
		if !utf8.ValidString(e.GetId()) || !utf8.ValidString(e.GetName()) || !validStrings(e.GetAliases()) {
			return false
		}
	}
	for _, e := range c.GetWeapons() {
		if !utf8.ValidString(e.GetId()) || !utf8.ValidString(e.GetName()) || !utf8.ValidString(e.GetCategory()) ||
			!validStrings(e.GetAliases()) {
			return false
		}
	}
	for _, e := range c.GetLocations() {
		if !utf8.ValidString(e.GetId()) || !utf8.ValidString(e.GetName()) || !utf8.ValidString(e.GetCountryCode()) ||
			!validStrings(e.GetAliases()) {
			return false
		}
	}
	return validStrings(c.GetWeaponCategories())
}

// validStrings reports whether every string of list is valid UTF-8.
func validStrings(list []string) bool {
	for _, s := range list {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
