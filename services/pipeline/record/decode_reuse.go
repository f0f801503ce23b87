package record

import (
	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// DecodeClassifiedInto is DecodeClassified into c, for a caller that is
// done with each record before it decodes the next: it empties c first but
// keeps the memory of its article, of its lists and of their actors,
// weapons and locations, so that a stream of records allocates little more
// than the entities' mentions and aliases. Like DecodeClassified it shares
// m.Value's memory. On error c holds no valid article.
func DecodeClassifiedInto(m kafka.Message, c *newsroomv1.ClassifiedArticle) error {
	if err := checkSchema(m, SchemaClassified); err != nil {
		return err
	}
	times := resetClassified(c)
	return checkClassified(m, c, unmarshalReusing(c, m.Value, &times))
}

// resetClassified empties c as a new message but keeps its Article and its
// lists' arrays, with the entities in them zeroed for reuse (but for the
// memory of their mentions, points and aliases, see keep) and the
// categories cleared, so that nothing holds a previous record's bytes. A
// present empty Article decodes like a missing one for every record
// DecodeClassified accepts (their article has an id); every other field,
// including one added later, starts from its zero value. The timestamps'
// memory is returned apart, zeroed, for unmarshalReusing to lend.
func resetClassified(c *newsroomv1.ClassifiedArticle) keptTimes {
	a := c.Article
	var times keptTimes
	if a == nil {
		a = &newsroomv1.Article{}
	} else {
		times.published, times.ingested = zeroedTime(a.PublishedAt), zeroedTime(a.IngestedAt)
		*a = newsroomv1.Article{}
	}
	times.classified = zeroedTime(c.ClassifiedAt)
	clear(c.WeaponCategories)
	*c = newsroomv1.ClassifiedArticle{Article: a, Actors: zeroed(c.Actors, actorParts), Weapons: zeroed(c.Weapons, weaponParts),
		Locations: zeroed(c.Locations, locationParts), WeaponCategories: c.WeaponCategories[:0]}
	return times
}

// keptTimes is the memory of a record's timestamps (each nil or zeroed),
// which the generated decoder decodes into when a message holds one
// instead of allocating its own.
type keptTimes struct {
	published, ingested, classified *timestamppb.Timestamp
}

// zeroedTime zeroes ts (nil stays nil) and returns it.
func zeroedTime(ts *timestamppb.Timestamp) *timestamppb.Timestamp {
	if ts != nil {
		*ts = timestamppb.Timestamp{}
	}
	return ts
}

// lend moves *kept to *field when field is empty: the message is about to
// decode a timestamp into it.
func lend(field, kept **timestamppb.Timestamp) {
	if *field == nil && *kept != nil {
		*field, *kept = *kept, nil
	}
}

// lendArticleTimes gives a the kept timestamps that data, an Article's
// fields, holds and a lacks, for c.UnmarshalVTUnsafe to decode into. It
// stops where data does not parse: the generated decoder fails there.
func lendArticleTimes(a *newsroomv1.Article, data []byte, times *keptTimes) {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return
		}
		size := protowire.ConsumeFieldValue(num, typ, data[n:])
		if size < 0 {
			return
		}
		data = data[n+size:]
		switch {
		case typ != protowire.BytesType:
		case num == articlePublished:
			lend(&a.PublishedAt, &times.published)
		case num == articleIngested:
			lend(&a.IngestedAt, &times.ingested)
		}
	}
}

// zeroed zeroes the messages of list, keeping their parts' memory, and
// returns it cut to length 0; the pointers stay in its array for
// entityInto.
func zeroed[T any, P *T](list []P, partsOf func(P) parts) []P {
	var zero T
	for _, e := range list {
		kept := partsOf(e).keep()
		*e = zero
		partsOf(e).set(kept)
	}
	return list[:0]
}

// parts points at the fields of an entity whose memory the next decoding
// reuses: its mention, its point (locations only; else nil) and its
// aliases, with their field numbers.
type parts struct {
	mention                        **newsroomv1.Mention
	point                          **newsroomv1.GeoPoint
	aliases                        *[]string
	mentionNum, pointNum, aliasNum protowire.Number
}

func actorParts(e *newsroomv1.Actor) parts {
	return parts{mention: &e.Mention, aliases: &e.Aliases, mentionNum: actorMention, aliasNum: actorAliases}
}

func weaponParts(e *newsroomv1.Weapon) parts {
	return parts{mention: &e.Mention, aliases: &e.Aliases, mentionNum: weaponMention, aliasNum: weaponAliases}
}

func locationParts(e *newsroomv1.Location) parts {
	return parts{mention: &e.Mention, point: &e.Point, aliases: &e.Aliases,
		mentionNum: locationMention, pointNum: locationPoint, aliasNum: locationAliases}
}

// keptParts is the memory of an entity's parts, emptied.
type keptParts struct {
	mention *newsroomv1.Mention
	point   *newsroomv1.GeoPoint
	aliases []string
}

// keep empties the parts and returns their memory.
func (p parts) keep() keptParts {
	var k keptParts
	if k.mention = *p.mention; k.mention != nil {
		// The spans' array stays, for primeSpans.
		*k.mention = newsroomv1.Mention{Spans: k.mention.Spans[:0]}
	}
	if p.point != nil {
		if k.point = *p.point; k.point != nil {
			*k.point = newsroomv1.GeoPoint{}
		}
	}
	clear(*p.aliases)
	k.aliases = (*p.aliases)[:0]
	return k
}

// set gives the entity the parts' memory.
func (p parts) set(k keptParts) {
	*p.mention, *p.aliases = k.mention, k.aliases
	if p.point != nil {
		*p.point = k.point
	}
}

// settle finishes an entity decoded from data with its kept parts in
// place: the generated decoder decodes a mention or point into the one
// the entity holds and appends aliases to its array, so each part data
// lacks must become nil, as in a new entity. An alias list left empty had
// none; only a mention or point left zero may have been absent, which fit
// tells from data (rarely: a mention has a count, a point is seldom 0,0).
func (p parts) settle(data []byte) {
	if len(*p.aliases) == 0 {
		*p.aliases = nil
	}
	m := *p.mention
	if m != nil && m.Count == 0 && m.FirstOffset == 0 && len(m.Spans) == 0 ||
		p.point != nil && *p.point != nil && (*p.point).Lat == 0 && (*p.point).Lon == 0 {
		p.fit(data)
	}
}

// fit nils each part of the entity that data lacks. Data that does not
// parse gets no part.
func (p parts) fit(data []byte) {
	var mention, point, aliases bool
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			mention, point, aliases = false, false, false
			break
		}
		size := protowire.ConsumeFieldValue(num, typ, data[n:])
		if size < 0 {
			mention, point, aliases = false, false, false
			break
		}
		data = data[n+size:]
		mention = mention || num == p.mentionNum
		point = point || num == p.pointNum
		aliases = aliases || num == p.aliasNum
	}
	if !mention {
		*p.mention = nil
	}
	if !point && p.point != nil {
		*p.point = nil
	}
	if !aliases {
		*p.aliases = nil
	}
}

// primeSpans readies the kept spans' array of the entity's mention for the
// generated decoder, which appends spans to a non-empty list but allocates
// a new array for an empty one: it gives the list one placeholder element,
// which dropSpan removes after decoding. It reports whether it did.
func (p parts) primeSpans() bool {
	m := *p.mention
	if m == nil || cap(m.Spans) == 0 {
		return false
	}
	m.Spans = m.Spans[:1]
	return true
}

// dropSpan removes primeSpans' placeholder, the first span.
func (p parts) dropSpan() {
	m := *p.mention
	m.Spans = m.Spans[:copy(m.Spans, m.Spans[1:])]
}

// The field numbers the decoder looks for, from the schema.
var (
	actorsField    = fieldNumber(&newsroomv1.ClassifiedArticle{}, "actors")
	weaponsField   = fieldNumber(&newsroomv1.ClassifiedArticle{}, "weapons")
	locationsField = fieldNumber(&newsroomv1.ClassifiedArticle{}, "locations")
	articleField   = fieldNumber(&newsroomv1.ClassifiedArticle{}, "article")
	classifiedAt   = fieldNumber(&newsroomv1.ClassifiedArticle{}, "classified_at")

	articlePublished, articleIngested = fieldNumber(&newsroomv1.Article{}, "published_at"), fieldNumber(&newsroomv1.Article{}, "ingested_at")

	actorMention, actorAliases       = fieldNumber(&newsroomv1.Actor{}, "mention"), fieldNumber(&newsroomv1.Actor{}, "aliases")
	weaponMention, weaponAliases     = fieldNumber(&newsroomv1.Weapon{}, "mention"), fieldNumber(&newsroomv1.Weapon{}, "aliases")
	locationMention, locationAliases = fieldNumber(&newsroomv1.Location{}, "mention"), fieldNumber(&newsroomv1.Location{}, "aliases")
	locationPoint                    = fieldNumber(&newsroomv1.Location{}, "point")
)

// fieldNumber is the number of message m's field name.
func fieldNumber(m protoreflect.ProtoMessage, name protoreflect.Name) protowire.Number {
	return m.ProtoReflect().Descriptor().Fields().ByName(name).Number()
}

// unmarshalReusing is c.UnmarshalVTUnsafe(data) for an emptied c, except
// that each actor, weapon and location is decoded into one that c's list
// held before (zeroed) instead of a new one. Every other field, and
// whatever does not parse cleanly, goes to the generated decoder: decoding
// a message merges its fields in order, so field by field it gives the
// generated decoder's message or error. The timestamps it decodes go into
// times' memory.
func unmarshalReusing(c *newsroomv1.ClassifiedArticle, data []byte, times *keptTimes) error {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return c.UnmarshalVTUnsafe(data)
		}
		size := protowire.ConsumeFieldValue(num, typ, data[n:])
		if size < 0 {
			return c.UnmarshalVTUnsafe(data)
		}
		field := data[:n+size]
		data = data[n+size:]
		var err error
		switch value, _ := protowire.ConsumeBytes(field[n:]); {
		case typ != protowire.BytesType:
			err = c.UnmarshalVTUnsafe(field)
		case num == actorsField:
			c.Actors, err = entityInto(c.Actors, value, actorParts)
		case num == weaponsField:
			c.Weapons, err = entityInto(c.Weapons, value, weaponParts)
		case num == locationsField:
			c.Locations, err = entityInto(c.Locations, value, locationParts)
		case num == articleField:
			if c.Article != nil { // else the generated decoder allocates one
				lendArticleTimes(c.Article, value, times)
			}
			err = c.UnmarshalVTUnsafe(field)
		case num == classifiedAt:
			lend(&c.ClassifiedAt, &times.classified)
			err = c.UnmarshalVTUnsafe(field)
		default:
			err = c.UnmarshalVTUnsafe(field)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// entity is a generated message that decodes itself.
type entity[T any] interface {
	*T
	UnmarshalVTUnsafe([]byte) error
}

// entityInto appends the entity that data encodes to list, decoded into
// the zeroed one past list's end, with its kept parts, when its array has
// one.
func entityInto[T any, P entity[T]](list []P, data []byte, partsOf func(P) parts) ([]P, error) {
	n := len(list)
	if n == cap(list) || list[:n+1][n] == nil {
		e := P(new(T))
		return append(list, e), e.UnmarshalVTUnsafe(data)
	}
	list = list[:n+1]
	e := list[n]
	p := partsOf(e)
	primed := p.primeSpans()
	err := e.UnmarshalVTUnsafe(data)
	if primed {
		p.dropSpan()
	}
	p.settle(data)
	return list, err
}
