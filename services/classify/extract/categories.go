package extract

import (
	"slices"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// Category term flags.
const (
	ctx     = 1 << iota // needs a military article
	generic             // the generic "missile" rule
	none                // a phrase that adds nothing (blocks shorter terms)
)

// categoryTerms maps phrases (as written; matched on folded tokens, plural
// forms listed) to the categories they express.
var categoryTerms = []struct {
	phrase string
	cats   string
	flags  int
}{
	// drones
	{"drone|drones|UAV|UAVs|unmanned aerial vehicle|unmanned aerial vehicles|unmanned aircraft|unmanned aerial system|unmanned aerial systems|loitering munition|loitering munitions|kamikaze drone|kamikaze drones|suicide drone|suicide drones|quadcopter|quadcopters", "drone", ctx},
	// missiles
	{"missile|missiles", "missile", generic},
	{"cruise missile|cruise missiles", "cruise missile", 0},
	{"ballistic missile|ballistic missiles|ICBM|ICBMs|IRBM|IRBMs|SRBM|SRBMs|aero-ballistic|aeroballistic|intercontinental ballistic missile|intercontinental ballistic missiles", "ballistic missile", 0},
	{"hypersonic missile|hypersonic missiles|hypersonic weapon|hypersonic weapons|hypersonic glide vehicle|hypersonic glide vehicles|hypersonic system|hypersonic systems", "hypersonic missile", 0},
	{"nuclear missile|nuclear missiles", "nuclear weapon,missile", 0},
	// air defense
	{"air defense|air defence|air defenses|air defences|anti-aircraft|antiaircraft|anti-missile|antimissile|missile defense|missile defence|missile defenses|missile defences|air-defense|air-defence|SAM system|SAM systems", "air defense", 0},
	// A defence against ballistic missiles is air defense, not a missile.
	{"ballistic missile defense|ballistic missile defence|ballistic missile defenses|ballistic missile defences|ballistic missile defense system|ballistic missile defence system|ballistic missile defense systems|ballistic missile defence systems", "air defense", 0},
	// A surface-to-air missile is air defense and an unqualified missile.
	{"surface-to-air missile|surface-to-air missiles|ground-to-air missile|ground-to-air missiles", "air defense,missile", 0},
	{"air defense identification zone|air defence identification zone|air defense zone|missile defense agency", "", none},
	// artillery and rockets
	{"artillery|howitzer|howitzers|self-propelled howitzer|self-propelled howitzers|artillery shelling|artillery fire", "artillery", 0},
	{"mortar|mortars|mortar fire|mortar shells|shelling", "artillery", ctx},
	{"rocket|rockets|rocket launcher|rocket launchers|multiple rocket launcher|multiple rocket launchers|multiple launch rocket system|multiple launch rocket systems|rocket fire", "rocket", ctx},
	// armour
	{"tank|tanks|battle tank|battle tanks|main battle tank|main battle tanks", "tank", ctx},
	{"think tank|think tanks|fuel tank|fuel tanks|gas tank|gas tanks|water tank|water tanks|oil tank|oil tanks|septic tank|fish tank|storage tank|storage tanks|tank top|tank tops|oxygen tank|oxygen tanks|propane tank|petrol tank|tank per|tank of fuel|tank of gas|tank of petrol|tank of diesel|tanks of fuel|tanks of gas|fuel tanker|fuel tankers", "", none},
	{"armored vehicle|armored vehicles|armoured vehicle|armoured vehicles|armored personnel carrier|armored personnel carriers|armoured personnel carrier|armoured personnel carriers|infantry fighting vehicle|infantry fighting vehicles|APC|APCs|IFV|IFVs", "armored vehicle", ctx},
	// aircraft
	{"fighter jet|fighter jets|fighter plane|fighter planes|fighter aircraft|jet fighter|jet fighters|warplane|warplanes|combat aircraft|combat jet|combat jets|fighters-interceptors|fighter-interceptor|fighter-interceptors|stealth fighter|stealth fighters|multirole fighter|multirole fighters|fighter squadron", "fighter aircraft", 0},
	{"fighter-bomber|fighter-bombers", "fighter aircraft,bomber", 0},
	{"bomber|bombers|strategic bomber|strategic bombers", "bomber", ctx},
	{"suicide bomber|suicide bombers|car bomber|would-be bomber", "", none},
	{"helicopter|helicopters|gunship|gunships|attack helicopter|attack helicopters", "helicopter", ctx},
	// ships
	{"warship|warships|destroyer|destroyers|frigate|frigates|corvette|corvettes|naval vessel|naval vessels|naval ship|naval ships|aircraft carrier|aircraft carriers|battleship|battleships|amphibious assault ship|guided-missile destroyer", "warship", ctx},
	{"submarine|submarines", "submarine", ctx},
	// small arms
	{"small arms|small-arms|gunfire|gunmen|gunman|assault rifle|assault rifles|machine gun|machine guns|machine-gun|rifle fire|sniper fire|automatic weapons|small arms fire", "small arms", 0},
	{"rifle|rifles", "small arms", ctx},
	// mines
	{"landmine|landmines|land mine|land mines|anti-personnel mine|anti-personnel mines|anti-tank mine|anti-tank mines|naval mine|naval mines|sea mine|sea mines|minefield|minefields|antipersonnel mines|mine-clearing|mine clearing|demining|mine clearance|mine-laying|minelayer|minelayers", "mine", 0},
	// Plural "mines" is a weapon only in a military story, and not with a mineral.
	{"mines", "mine", ctx},
	{"coal mines|gold mines|salt mines|copper mines|diamond mines|uranium mines|lithium mines|iron mines|silver mines|tin mines|cobalt mines|mines ministry", "", none},
	// nuclear
	{"nuclear weapon|nuclear weapons|nuclear warhead|nuclear warheads|nuclear bomb|nuclear bombs|atomic bomb|atomic bombs|nuclear arsenal|nuclear arsenals|nuclear arms|thermonuclear", "nuclear weapon", 0},
}

type term struct {
	toks  []string
	cats  []int
	flags int
}

// termTable indexes terms by their first folded token.
type termTable map[string][]term

func buildTerms() termTable {
	idx := map[string]int{}
	for i, c := range Categories {
		idx[c] = i
	}
	tt := termTable{}
	for _, ct := range categoryTerms {
		var cats []int
		if ct.cats != "" {
			for _, c := range strings.Split(ct.cats, ",") {
				cats = append(cats, idx[c])
			}
		}
		for _, p := range strings.Split(ct.phrase, "|") {
			toks := catalog.KeyTokens(p)
			tt[toks[0]] = append(tt[toks[0]], term{toks: toks, cats: cats, flags: ct.flags})
		}
	}
	// longest first
	for k, l := range tt {
		for i := 1; i < len(l); i++ {
			for j := i; j > 0 && len(l[j].toks) > len(l[j-1].toks); j-- {
				l[j], l[j-1] = l[j-1], l[j]
			}
		}
		tt[k] = l
	}
	return tt
}

// categories finds the weapon classes the text names in words.
func (s *state) categories() {
	toks := s.toks
	if s.milStrong == 0 || s.sportsDominated() {
		return
	}
	n := int32(len(toks))
	next := int32(0) // tokens before next are consumed
	for _, i := range s.tz.marked(mCat) {
		if i < next {
			continue
		}
		t := &toks[i]
		if t.lex&lxCatTerm == 0 {
			continue
		}
		// "fighter" and "fighters" head longer terms, so they carry lxCatTerm.
		if (t.norm == "fighters" || t.norm == "fighter") && s.afterFighterModel(i) {
			s.catsFound[fighterCat] = true
			continue
		}
		ti := s.e.catTab.index(t)
		if ti < 0 {
			continue
		}
		list := s.e.catLists[ti]
		for _, tm := range list {
			m := int32(len(tm.toks))
			if i+m > n {
				continue
			}
			match := true
			for k := int32(1); k < m; k++ {
				if toks[i+k].norm != tm.toks[k] || toks[i+k].is(fBarrier|fComma) {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			if tm.flags&none == 0 && !s.termCounts(i, i+m, tm) {
				next = i + m
				break
			}
			if tm.flags&generic != 0 {
				if s.missileQualified(i) || s.figurative(i) {
					break
				}
			}
			for _, c := range tm.cats {
				s.catsFound[c] = true
			}
			next = i + m
			break
		}
	}
}

// termCounts applies the shared exclusions: words of a weapon's name or of
// another proper name, "anti-" prefixes, figurative use outside military
// stories.
func (s *state) termCounts(i, j int32, tm term) bool {
	toks := s.toks
	for k := i; k < j; k++ {
		if s.weaponToks[k] {
			return false
		}
	}
	// "anti-tank", "anti-submarine", "counter-drone"
	if i > 0 && toks[i].is(fHyphenBefore) {
		p := toks[i-1].norm
		if p == "anti" || p == "counter" || p == "non" {
			return false
		}
	}
	// Inside a capitalised proper name: "High Mobility Artillery Rocket System".
	allCap := true
	for k := i; k < j; k++ {
		if !toks[k].is(fCap) || toks[k].is(fAllCaps) && len(toks[k].norm) <= 4 {
			allCap = false
		}
	}
	if allCap && !s.capUncertain(i) {
		prevCap := i > 0 && toks[i-1].is(fCap) && s.weakGap(i) && !toks[i-1].is(fSentStart) && !(toks[i-1].lex&lxTitle != 0)
		nextCap := j < int32(len(toks)) && toks[j].is(fCap) && s.weakGap(j)
		if prevCap || nextCap {
			return false
		}
	}
	if tm.flags&ctx != 0 && !s.milContext() {
		return false
	}
	return true
}

// missileQualified reports a "missile" token that belongs to an already
// qualified mention or to "anti-missile"/"missile defense".
func (s *state) missileQualified(i int32) bool {
	toks := s.toks
	if i > 0 && !toks[i].is(fBarrier) {
		switch toks[i-1].norm {
		case "cruise", "ballistic", "hypersonic":
			return true
		}
	}
	if i+1 < int32(len(toks)) && !toks[i+1].is(fBarrier|fComma) {
		switch toks[i+1].norm {
		case "defense", "defence", "defenses", "defences", "shield":
			return true
		}
	}
	return false
}

// fighterCat is the index of "fighter aircraft" in Categories.
var fighterCat = slices.Index(Categories, "fighter aircraft")

// sportsDominated reports an article about sport or games whose weapon
// words are figurative ("a 40-yard missile", "attack helicopter" in a video
// game): many sports or gaming words, few military ones. Generic words
// ("win", "team", "goal") also occur in war reports, hence the margin.
func (s *state) sportsDominated() bool {
	return s.sports >= 6 && s.milStrong < 4 || s.sports >= 4 && s.milStrong == 0
}

// afterFighterModel reports "fighter"/"fighters" right after the name of a
// fighter-aircraft model: "J-10C fighters", "26 Rafale Marine fighters".
// Alone, "fighters" usually means combatants.
func (s *state) afterFighterModel(i int32) bool {
	if i == 0 || !s.weaponToks[i-1] || s.toks[i].is(fBarrier|fComma) {
		return false
	}
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.j == i && sp.chosen == tWeapon && sp.entry >= 0 {
			return s.e.cat.At(int(sp.entry)).Category == "fighter aircraft"
		}
	}
	return false
}

// figurative reports a category word used as a metaphor outside a military
// story: "the car is a missile", "hit it like a rocket".
func (s *state) figurative(i int32) bool {
	if s.milContext() || i < 2 {
		return false
	}
	a := s.toks[i-1].norm
	if a != "a" && a != "an" {
		return false
	}
	switch s.toks[i-2].norm {
	case "is", "was", "s", "like", "been", "be", "became", "becomes":
		return true
	}
	return false
}
