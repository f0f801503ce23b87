package catalog

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStrIndex(t *testing.T) {
	many := map[string]int32{}
	for i := range 1000 { // enough keys for probe runs
		many["k"+strconv.Itoa(i)] = int32(i)
	}
	tests := []struct {
		name   string
		m      map[string]int32
		absent []string
	}{
		{name: "empty", m: map[string]int32{}, absent: []string{"", "a"}},
		{name: "few", m: map[string]int32{"kyiv": 3, "kyi": -1, "": 7}, absent: []string{"ky", "kyivv", "Kyiv"}},
		{name: "many", m: many, absent: []string{"k1000", "k", "k01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newStrIndex(tt.m)
			for k, want := range tt.m {
				if got, ok := x.get(k); !ok || got != want {
					t.Errorf("get(%q) = %d, %v; want %d, true", k, got, ok, want)
				}
			}
			for _, k := range tt.absent {
				if got, ok := x.get(k); ok {
					t.Errorf("get(%q) = %d, true; want absent", k, got)
				}
			}
			if len(x.recs) != len(tt.m) {
				t.Errorf("%d records for %d keys", len(x.recs), len(tt.m))
			}
		})
	}
}

func TestNameIndex(t *testing.T) {
	multi := [][]int32{{4, 2}, {9, 1, 5}}
	n := newNameIndex(map[string]int32{"a": 3, "b": -1, "c": -2}, multi)
	tests := []struct {
		key  string
		want []int32
	}{
		{"a", []int32{3}},
		{"b", []int32{4, 2}},
		{"c", []int32{9, 1, 5}},
		{"d", nil},
	}
	for _, tt := range tests {
		got := n.find(tt.key)
		if !slices.Equal(got, tt.want) {
			t.Errorf("find(%q) = %v, want %v", tt.key, got, tt.want)
		}
		if cap(got) != len(got) {
			t.Errorf("find(%q) has capacity %d beyond its %d entries: an append would write into the next list", tt.key, cap(got), len(got))
		}
	}
}

// testEntries returns entries with every kind of field: empty and shared
// strings, nil, empty and long lists.
func testEntries() []Entry {
	var out []Entry
	for i := range 500 {
		e := Entry{ID: "id:" + strconv.Itoa(i), Name: fmt.Sprintf("Name %d", i), Type: Location, Kind: "city",
			Country: []string{"UA", "PL", ""}[i%3], Lat: float64(i) / 7, Lon: -float64(i), HasCoord: i%2 == 0,
			Population: int64(i * 1000), Admin1: "", Role: ""}
		switch i % 4 {
		case 0:
			e.Aliases = []string{"A" + strconv.Itoa(i), "", "B"}
			e.Variants = []string{"v"}
		case 1:
			e.Aliases = []string{}
			e.Ambiguous = []string{"Name " + strconv.Itoa(i)}
		case 2:
			e.Category, e.Role, e.Type = "drone", "maker", Weapon
		}
		out = append(out, e)
	}
	return out
}

func TestFreeze(t *testing.T) {
	want := testEntries()
	got := freeze(testEntries())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("frozen entries differ (-want +got):\n%s", diff)
	}
	for i := range got {
		e := &got[i]
		for _, l := range [][]string{e.Aliases, e.Variants, e.Ambiguous} {
			if cap(l) != len(l) {
				t.Fatalf("entry %d: a list of %d has capacity %d: an append would write into the arena", i, len(l), cap(l))
			}
		}
	}
	// The arena holds only pointers into itself: after the originals are
	// gone and their memory reused, the frozen entries read the same.
	snapshot := fmt.Sprintf("%#v", got)
	for range 3 {
		garbage := make([][]byte, 0, 1000)
		for j := range 1000 {
			garbage = append(garbage, []byte(fmt.Sprintf("garbage %d", j)))
		}
		runtime.KeepAlive(garbage)
		runtime.GC()
	}
	if after := fmt.Sprintf("%#v", got); after != snapshot {
		t.Error("frozen entries changed after collections")
	}
	if freeze(nil) != nil {
		t.Error("freeze(nil) is not nil")
	}
}
