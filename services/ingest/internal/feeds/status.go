package feeds

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"
)

// WriteStatus prints each feed's state: the feeds of the feeds file (when
// given) and every feed the state topic knows, sorted by name.
func WriteStatus(w io.Writer, t *Table, configured []Feed, asJSON bool, now time.Time) error {
	byName := map[string]FeedState{}
	for _, s := range t.Feeds() {
		byName[s.Name] = s
	}
	for _, f := range configured {
		if _, ok := byName[f.Name]; !ok {
			byName[f.Name] = FeedState{Name: f.Name, URL: f.URL}
		}
	}
	rows := make([]FeedState, 0, len(byName))
	for _, s := range byName {
		rows = append(rows, s)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return fmt.Errorf("writing feed status: %w", err)
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tSTATUS\tLAST POLL\tLAST SUCCESS\tNEXT POLL\tERRORS\tITEMS\tOWNER\tURL\tLAST ERROR")
	for _, s := range rows {
		status := "-"
		if s.LastStatus != 0 {
			status = fmt.Sprint(s.LastStatus)
		} else if s.LastError != "" {
			status = "failed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", s.Name, status, ago(now, s.LastPoll), ago(now, s.LastSuccess),
			ago(now, s.NextPoll), s.Errors, s.Items, orDash(s.Owner), s.URL, orDash(s.LastError))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing feed status: %w", err)
	}
	return nil
}

// ago prints a time relative to now ("never" for zero).
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t).Round(time.Second)
	if d < 0 {
		return "in " + (-d).String()
	}
	return d.String() + " ago"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
