package extract_test

import (
	"slices"
	"testing"
)

// TestOpenWorldRules covers the open-world and variant rules with invented
// sentences: has lists names that must be found, hasNot names that must not.
func TestOpenWorldRules(t *testing.T) {
	ex := embedded(t)
	type want struct{ actors, weapons, locations []string }
	tests := []struct {
		name        string
		title, body string
		has, hasNot want
	}{
		{
			name:   "ship names after a class designation or a ship noun are not places",
			title:  "Naval drills",
			body:   "Two Type 052D Wuhan and Type 055 Nanchang escorts led the flotilla; later the Type 054A frigates Hefei, Xuzhou and Ningbo joined, and the carrier Liaoning sailed past Okinawa.",
			has:    want{weapons: []string{"Type 052D", "Type 055"}, locations: []string{"Okinawa Island"}},
			hasNot: want{locations: []string{"Wuhan", "Nanchang", "Hefei", "Xuzhou", "Ningbo", "Liaoning"}},
		},
		{
			name:   "a ship list stops at a country",
			title:  "Patrol",
			body:   "The destroyer Kirishima and Japan's coast guard patrolled the strait, officials in Tokyo said.",
			has:    want{locations: []string{"Japan", "Tokyo"}},
			hasNot: want{locations: []string{"Kirishima"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ex.Extract(tt.title, tt.body)
			got := map[string][]string{"actors": names(r.Actors), "weapons": names(r.Weapons), "locations": names(r.Locations)}
			check := func(kind string, list []string, want bool) {
				for _, n := range list {
					if slices.Contains(got[kind], n) != want {
						t.Errorf("%s: %q present = %v, want %v (got %q)", kind, n, !want, want, got[kind])
					}
				}
			}
			check("actors", tt.has.actors, true)
			check("weapons", tt.has.weapons, true)
			check("locations", tt.has.locations, true)
			check("actors", tt.hasNot.actors, false)
			check("weapons", tt.hasNot.weapons, false)
			check("locations", tt.hasNot.locations, false)
		})
	}
}
