package extract

import (
	"fmt"
	"os"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

func TestDbg(t *testing.T) {
	if os.Getenv("DBG_TITLE") == "" {
		t.Skip()
	}
	c, _ := catalog.LoadDir("")
	e := New(c)
	s := &state{}
	title, body := os.Getenv("DBG_TITLE"), os.Getenv("DBG_BODY")
	text := title + "\n" + body
	s.reset(e, text, len(title))
	s.features()
	s.findDictSpans()
	s.findBlockers()
	s.findShipNames()
	s.findOutlets()
	s.findLowerBodies()
	s.findSharedQualifier()
	s.findPatterns()
	s.selectSpans()
	s.resolve()
	for _, sp := range s.spans {
		ctx := false
		if sp.entry >= 0 && sp.chosen == tActor {
			ctx = s.actorContext(&sp)
		}
		fmt.Printf("%q src=%d chosen=%d entry=%d ev=%b ctx=%v\n", s.surface(sp.i, sp.j), sp.src, sp.chosen, sp.entry, sp.ev, ctx)
		for _, c := range e.dict.cands[sp.cs : sp.cs+sp.cn] {
			fmt.Printf("   cand typ=%d flags=%b\n", c.typ, c.flags)
		}
	}
	fmt.Println("mil", s.milStrong, s.milWeak, "titleCase", s.titleCase)
}
