package record_test

import (
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/deskwire/newsroom/services/pipeline/record"
)

func TestSpansRoundTrip(t *testing.T) {
	many := make([]record.Span, record.MaxSpans+5)
	for i := range many {
		many[i] = record.Span{Start: 10 * i, End: 10*i + 4}
	}
	tests := []struct {
		name      string
		in        []record.Span
		wantCoded []uint32
		want      []record.Span
	}{
		{"none", nil, nil, nil},
		{"gaps from the previous end", []record.Span{{0, 4}, {10, 18}, {18, 20}}, []uint32{0, 4, 6, 8, 0, 2},
			[]record.Span{{0, 4}, {10, 18}, {18, 20}}},
		{"overlapping and empty spans left out", []record.Span{{5, 9}, {7, 12}, {12, 12}, {20, 25}}, []uint32{5, 4, 11, 5},
			[]record.Span{{5, 9}, {20, 25}}},
		{"capped", many, nil, many[:record.MaxSpans]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			coded := record.AppendSpans(nil, tt.in)
			if tt.wantCoded != nil {
				if diff := cmp.Diff(tt.wantCoded, coded); diff != "" {
					t.Errorf("coded (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.want, record.AppendDecodedSpans(nil, coded)); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
}

// A record written before spans and aliases existed (protowire builds its
// bytes field by field, as the old schema wrote them) decodes with neither,
// and its count and first offset intact; a new record keeps both through a
// round trip.
func TestSpansAndAliasesCompatible(t *testing.T) {
	var mention, actor, art, old []byte
	mention = protowire.AppendTag(mention, 1, protowire.VarintType)
	mention = protowire.AppendVarint(mention, 3)
	mention = protowire.AppendTag(mention, 2, protowire.VarintType)
	mention = protowire.AppendVarint(mention, 42)
	actor = protowire.AppendTag(actor, 1, protowire.BytesType)
	actor = protowire.AppendString(actor, "gen:person:ada-vance")
	actor = protowire.AppendTag(actor, 2, protowire.BytesType)
	actor = protowire.AppendString(actor, "Ada Vance")
	actor = protowire.AppendTag(actor, 4, protowire.BytesType)
	actor = protowire.AppendBytes(actor, mention)
	art = protowire.AppendTag(art, 1, protowire.BytesType)
	art = protowire.AppendString(art, "a-1")
	old = protowire.AppendTag(old, 1, protowire.BytesType)
	old = protowire.AppendBytes(old, art)
	old = protowire.AppendTag(old, 2, protowire.BytesType)
	old = protowire.AppendBytes(old, actor)
	m := kafka.Message{Key: []byte("a-1"), Value: old,
		Headers: []kafka.Header{{Key: record.HeaderSchema, Value: []byte(record.SchemaClassified)}}}
	c, err := record.DecodeClassified(m)
	if err != nil {
		t.Fatal(err)
	}
	a := c.GetActors()[0]
	if a.GetMention().GetCount() != 3 || a.GetMention().GetFirstOffset() != 42 || len(a.GetMention().GetSpans()) != 0 || len(a.GetAliases()) != 0 {
		t.Errorf("old record decoded as %v", a)
	}

	a.Mention.Spans = record.AppendSpans(nil, []record.Span{{42, 51}, {60, 65}})
	a.Aliases = []string{"Vance"}
	m, err = record.EncodeClassified(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := record.DecodeClassified(m)
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(back, c) {
		t.Errorf("round trip: %v, want %v", back, c)
	}
	if got := record.AppendDecodedSpans(nil, back.GetActors()[0].GetMention().GetSpans()); !cmp.Equal(got, []record.Span{{42, 51}, {60, 65}}) {
		t.Errorf("spans after the round trip: %v", got)
	}
}

func TestUTF16Len(t *testing.T) {
	for _, s := range []string{"", "plain ascii", "Zürich–Kyiv", "Київ", "😀 before", "a😀b𝄞c", "中文"} {
		if got, want := record.UTF16Len(s), len(utf16.Encode([]rune(s))); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}
