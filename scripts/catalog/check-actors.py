#!/usr/bin/env python3
"""Validate the curated actors catalog (services/pipeline/catalog/data/actors.tsv).

Checks (errors make the exit status 1):
  - the file is UTF-8, has no CR characters, and its first line is a comment naming the seven columns;
  - every data line has exactly 7 tab-separated columns without surrounding whitespace;
  - ids are lowercase ASCII slugs and unique;
  - kind is "person" or "organization";
  - country is an ISO 3166-1 alpha-2 code (plus XK, Kosovo) or "-";
  - name is non-empty; aliases have no empty or exactly repeated items;
  - every ambiguous string is the name or one of the aliases of its own line;
  - no surface string (name or alias) belongs to two entries. Strings are compared after
    case folding, apostrophe folding (U+2019 -> '), dropping dots and treating hyphens as spaces,
    so "U.S. Navy"/"US Navy" or "Al-Qaeda"/"al Qaeda" on two lines count as a conflict;
  - no http(s) links.
Warnings (printed, exit status unchanged): strings of at most two characters that are not all capitals, and
(with --words FILE, e.g. /usr/share/dict/words) single-token strings that are not all capitals and are lowercase
dictionary words, when they are not marked ambiguous.

Finally prints counts per kind and per country.

Usage: python3 scripts/catalog/check-actors.py [--words FILE] [--all-countries] [path/to/actors.tsv]
"""
import argparse
import collections
import os
import re
import sys
import unicodedata

COLUMNS = ["id", "name", "kind", "country", "aliases", "ambiguous", "role"]
KINDS = {"person", "organization"}

# ISO 3166-1 alpha-2 officially assigned codes (249), plus XK (Kosovo, user-assigned but in common use).
ISO2 = set("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
XK
""".split())

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"https?://", re.I)


def norm(s):
    """Key used to detect two entries sharing a surface string."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = s.replace(".", "").replace("-", " ").replace("\u2010", " ").replace("\u2011", " ")
    return " ".join(s.split())


def default_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "services", "pipeline", "catalog", "data", "actors.tsv"))


def load_words(path):
    words = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for w in f:
            w = w.strip()
            if w and w.islower() and "'" not in w:
                words.add(w)
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=default_path())
    ap.add_argument("--words", help="word list; warn on unmarked aliases that are lowercase dictionary words")
    ap.add_argument("--all-countries", action="store_true", help="print every country count, not only the top 40")
    args = ap.parse_args()

    errors = []
    warnings = []

    def err(ln, msg):
        errors.append(f"{args.path}:{ln}: {msg}")

    def warn(ln, msg):
        warnings.append(f"{args.path}:{ln}: {msg}")

    with open(args.path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"ERROR {args.path}: not UTF-8: {e}")
        return 1
    if "\r" in text:
        errors.append(f"{args.path}: contains CR characters")
    if text.startswith("\ufeff"):
        errors.append(f"{args.path}: starts with a byte-order mark")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    if not lines or not lines[0].startswith("#") or not all(c in lines[0] for c in COLUMNS):
        err(1, "first line must be a comment documenting the columns: " + ", ".join(COLUMNS))

    ids = {}
    owners = collections.defaultdict(dict)  # norm key -> {id: original string}
    kinds = collections.Counter()
    countries = collections.Counter()
    kind_country = collections.Counter()
    n_alias = n_amb = 0
    words = load_words(args.words) if args.words else None

    for ln, line in enumerate(lines, 1):
        if URL_RE.search(line):
            err(ln, "contains a link")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != len(COLUMNS):
            err(ln, f"{len(cols)} columns, want {len(COLUMNS)}")
            continue
        if any(c != c.strip() for c in cols):
            err(ln, "column with leading or trailing whitespace")
        id_, name, kind, country, aliases, ambiguous, _role = cols
        if not ID_RE.match(id_):
            err(ln, f"bad id {id_!r}")
        if id_ in ids:
            err(ln, f"duplicate id {id_!r} (first on line {ids[id_]})")
        ids.setdefault(id_, ln)
        if not name:
            err(ln, "empty name")
        if "|" in name:
            err(ln, "name contains '|'")
        if kind not in KINDS:
            err(ln, f"bad kind {kind!r}")
        if country != "-" and country not in ISO2:
            err(ln, f"bad country {country!r}")
        al = aliases.split("|") if aliases else []
        if any(not a.strip() or a != a.strip() for a in al):
            err(ln, "empty alias or alias with surrounding whitespace")
        seen = set()
        for a in al:
            if a in seen or a == name:
                err(ln, f"alias {a!r} repeated")
            seen.add(a)
        surface = [name] + al
        amb = ambiguous.split("|") if ambiguous else []
        for a in amb:
            if a not in surface:
                err(ln, f"ambiguous {a!r} is not the name or an alias")
        n_alias += len(al)
        n_amb += len(amb)
        kinds[kind] += 1
        countries[country] += 1
        kind_country[(kind, country)] += 1
        for s in surface:
            if not s:
                continue
            owners[norm(s)].setdefault(id_, s)
            if s in amb:
                continue
            if len(s) <= 2 and not s.isupper():
                warn(ln, f"short string {s!r} not marked ambiguous")
            if words is not None and " " not in s and not s.isupper() and s.lower() in words:
                warn(ln, f"string {s!r} is a dictionary word and not marked ambiguous")

    conflicts = {k: v for k, v in owners.items() if len(v) > 1}
    for k in sorted(conflicts):
        v = conflicts[k]
        errors.append("alias conflict: " + "; ".join(f"{i} ({s!r}, line {ids[i]})" for i, s in sorted(v.items())))

    for w in warnings:
        print("WARN  " + w)
    for e in errors:
        print("ERROR " + e)

    total = sum(kinds.values())
    print(f"\nentries: {total}  aliases: {n_alias}  ambiguous strings: {n_amb}  distinct surface keys: {len(owners)}")
    print("per kind: " + ", ".join(f"{k}={kinds[k]}" for k in sorted(kinds)))
    print(f"countries: {len(countries)}")
    shown = countries.most_common() if args.all_countries else countries.most_common(40)
    for c, n in shown:
        print(f"  {c:3} {n:4}  (person {kind_country[('person', c)]}, organization {kind_country[('organization', c)]})")
    if not args.all_countries and len(countries) > 40:
        print(f"  ... {len(countries) - 40} more (use --all-countries)")
    print(f"\n{len(errors)} error(s), {len(warnings)} warning(s), {len(conflicts)} conflict(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
