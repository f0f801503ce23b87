package record

import (
	"github.com/segmentio/kafka-go"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// AppendClassified is EncodeClassified with the value marshalled into buf's
// spare capacity, so that the records of a batch can share a few reused
// buffers instead of one allocation each. It returns the record and buf
// extended by the value. When the value does not fit, it goes to a new
// array (twice as large at least) that the returned buf continues in; the
// array given is left as it was, so the values of earlier records in it
// stay valid. The record's value must not be used after buf's memory is
// reused.
func AppendClassified(buf []byte, c *newsroomv1.ClassifiedArticle) (kafka.Message, []byte, error) {
	return appendClassified(buf, c, validClassified(c))
}

// AppendClassifiedValidArticle is AppendClassified for a record whose
// article DecodeArticle returned, which checked the article's strings:
// only what the classifier added is checked again, not the body.
func AppendClassifiedValidArticle(buf []byte, c *newsroomv1.ClassifiedArticle) (kafka.Message, []byte, error) {
	return appendClassified(buf, c, validClassification(c))
}

// appendClassified is AppendClassified with the UTF-8 check's result given.
func appendClassified(buf []byte, c *newsroomv1.ClassifiedArticle, valid bool) (kafka.Message, []byte, error) {
	m := appender{m: c, buf: buf}
	rec, err := encode(c.GetArticle().GetId(), &m, valid, SchemaClassified, c.GetArticle().GetTraceId())
	return rec, m.buf, err
}

// sizedMarshaler is a message with the generated codec's sized marshalling.
type sizedMarshaler interface {
	SizeVT() int
	MarshalToSizedBufferVT(dAtA []byte) (int, error)
}

// appender is a marshaler that appends the message to buf, as MarshalVT
// would write it into a new array.
type appender struct {
	m   sizedMarshaler
	buf []byte
}

func (a *appender) MarshalVT() ([]byte, error) {
	size := a.m.SizeVT()
	if cap(a.buf)-len(a.buf) < size {
		a.buf = make([]byte, 0, max(size, 2*cap(a.buf)))
	}
	start := len(a.buf)
	out := a.buf[start : start+size : start+size]
	n, err := a.m.MarshalToSizedBufferVT(out)
	if err != nil {
		return nil, err
	}
	a.buf = a.buf[:start+size]
	return out[:n], nil
}
