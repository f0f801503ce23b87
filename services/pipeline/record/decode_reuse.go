package record

import (
	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/encoding/protowire"

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
	resetClassified(c)
	return checkClassified(m, c, unmarshalReusing(c, m.Value))
}

// resetClassified empties c as a new message but keeps its Article and its
// lists' arrays, with the entities in them zeroed for reuse and the
// categories cleared, so that nothing holds a previous record's bytes. A
// present empty Article decodes like a missing one for every record
// DecodeClassified accepts (their article has an id); every other field,
// including one added later, starts from its zero value.
func resetClassified(c *newsroomv1.ClassifiedArticle) {
	a := c.Article
	if a == nil {
		a = &newsroomv1.Article{}
	} else {
		*a = newsroomv1.Article{}
	}
	clear(c.WeaponCategories)
	*c = newsroomv1.ClassifiedArticle{Article: a, Actors: zeroed(c.Actors), Weapons: zeroed(c.Weapons),
		Locations: zeroed(c.Locations), WeaponCategories: c.WeaponCategories[:0]}
}

// zeroed zeroes the messages of list and returns it cut to length 0; the
// pointers stay in its array for entityInto.
func zeroed[T any, P *T](list []P) []P {
	var zero T
	for _, e := range list {
		*e = zero
	}
	return list[:0]
}

// The entity lists' field numbers, from the schema.
var (
	classifiedFields = (&newsroomv1.ClassifiedArticle{}).ProtoReflect().Descriptor().Fields()
	actorsField      = classifiedFields.ByName("actors").Number()
	weaponsField     = classifiedFields.ByName("weapons").Number()
	locationsField   = classifiedFields.ByName("locations").Number()
)

// unmarshalReusing is c.UnmarshalVTUnsafe(data) for an emptied c, except
// that each actor, weapon and location is decoded into one that c's list
// held before (zeroed) instead of a new one. Every other field, and
// whatever does not parse cleanly, goes to the generated decoder: decoding
// a message merges its fields in order, so field by field it gives the
// generated decoder's message or error.
func unmarshalReusing(c *newsroomv1.ClassifiedArticle, data []byte) error {
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
			c.Actors, err = entityInto(c.Actors, value)
		case num == weaponsField:
			c.Weapons, err = entityInto(c.Weapons, value)
		case num == locationsField:
			c.Locations, err = entityInto(c.Locations, value)
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
// the zeroed one past list's end when its array has one.
func entityInto[T any, P entity[T]](list []P, data []byte) ([]P, error) {
	var e P
	if n := len(list); n < cap(list) && list[:n+1][n] != nil {
		list = list[:n+1]
		e = list[n]
	} else {
		e = new(T)
		list = append(list, e)
	}
	return list, e.UnmarshalVTUnsafe(data)
}
