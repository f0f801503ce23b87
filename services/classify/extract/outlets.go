package extract

// outletNouns, written in lower case after a name, say the name is a news
// outlet ("the Daily Courant newspaper", "El Mundo daily").
var outletNouns = newSet(`newspaper,newspapers,daily,tabloid,broadcaster,magazine,weekly,news agency,news outlet,news site,news website,news portal,wire service`)

// agencyTails end the names of news agencies: "Central News Agency".
var agencyTails = newSet(`news agency,press agency,news service,telegraph agency,information agency`)

// findOutlets blocks news outlets that no list names: a capitalised name
// ending in "News Agency" (and the like), or followed by a lower-case
// outlet noun. Outlets cited as sources are never actors.
func (s *state) findOutlets() {
	toks := s.toks
	n := int32(len(toks))
	for ci := 0; ci < len(s.tz.caps); ci++ {
		i := s.tz.caps[ci]
		if !toks[i].is(fCap|fAllCaps) || i > 0 && toks[i-1].capLike() && s.weakGap(i) && !toks[i-1].is(fPossS) {
			continue // not the start of a capitalised run
		}
		j := i + 1
		for j < n && toks[j].capLike() && s.weakGap(j) && !toks[j].is(fPossS) && j-i < 6 {
			j++
		}
		// The run may go on past the name: "Central News Agency KCNA".
		tail := int32(-1)
		for m := i + 2; m < j; m++ {
			if toks[m].is(fCap) && (toks[m].norm == "agency" || toks[m].norm == "service") && agencyTails.has(toks[m-1].norm+" "+toks[m].norm) {
				tail = m + 1
			}
		}
		switch {
		case tail > 0:
			j = tail
		case j < n && toks[j].is(fLower) && s.weakGap(j) && s.outletNounAt(j):
		default:
			continue
		}
		s.addSpan(span{i: i, j: j, src: srcBlock, entry: -1})
	}
}

// outletNounAt reports an outlet noun of one or two words at token j.
func (s *state) outletNounAt(j int32) bool {
	toks := s.toks
	if toks[j].lex&lxOutletNoun != 0 {
		return true
	}
	if w := toks[j].norm; w != "news" && w != "wire" {
		return false
	}
	return j+1 < int32(len(toks)) && !toks[j+1].is(fBarrier|fComma) && outletNouns.has(toks[j].norm+" "+toks[j+1].norm)
}
