package main

import "testing"

func TestParseRunningMerges(t *testing.T) {
	cases := []struct {
		name, body string
		want       int64
		err        bool
	}{
		{"idle", `{"nodes":{"a":{"indices":{"merges":{"current":0}}}}}`, 0, false},
		{"two nodes", `{"nodes":{"a":{"indices":{"merges":{"current":2}}},"b":{"indices":{"merges":{"current":1}}}}}`, 3, false},
		{"no nodes", `{}`, 0, true},
		{"field missing", `{"nodes":{"a":{"indices":{}}}}`, 0, true},
		{"not json", `<html>`, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseRunningMerges([]byte(tc.body))
			if (err != nil) != tc.err || got != tc.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tc.want, tc.err)
			}
		})
	}
}
