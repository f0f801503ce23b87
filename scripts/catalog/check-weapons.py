#!/usr/bin/env python3
"""Validate the curated weapon-systems catalog (services/pipeline/catalog/data/weapons.tsv).

Checks (errors make the exit status 1):
  - the file is UTF-8 without CR characters, and its first line is a comment naming the seven columns
    (id, name, category, origin, aliases, ambiguous, notes);
  - every data line has exactly 7 tab-separated columns without surrounding whitespace;
  - ids are lowercase ASCII slugs and unique;
  - names are non-empty and unique;
  - category is one of the closed list of weapon categories, or "-";
  - origin is one or more comma-separated ISO 3166-1 alpha-2 codes, without repeats;
  - aliases have no empty items, no item equal to the name or to another alias of the same line, and no
    plural form (lowercase trailing "s") of another string of the same line (the matcher handles plurals);
  - every ambiguous string is, exactly, the name or one of the aliases of its own line;
  - no surface string (name or alias) belongs to two entries;
  - no http(s) links.
Strings are compared by the same lookup key the Go catalog uses (catalog.Key): runs of letters and digits,
case- and diacritics-folded, joined by single spaces, so "Shahed-136", "Shahed 136" and "SHAHED 136" are the
same string, while "Shahed136" is another.

Warnings (printed, exit status unchanged): aliases ending in a lowercase generic word ("missile", "system",
"drone", ...), which usually means a phrase rather than a name; single-token strings of at most two characters
that are not marked ambiguous.

Finally prints the number of systems, aliases and ambiguous strings and the counts per category and origin.

Usage: python3 scripts/catalog/check-weapons.py [--list-ambiguous] [--quiet-warnings] [path/to/weapons.tsv]
"""
import argparse
import collections
import os
import re
import sys
import unicodedata

COLUMNS = ["id", "name", "category", "origin", "aliases", "ambiguous", "notes"]

# The closed list of weapon categories (shared/eval/GUIDELINE.md); "-" means none fits.
CATEGORIES = [
    "drone", "missile", "cruise missile", "ballistic missile", "hypersonic missile", "air defense",
    "artillery", "rocket", "tank", "armored vehicle", "fighter aircraft", "bomber", "helicopter",
    "warship", "submarine", "small arms", "mine", "nuclear weapon",
]
NO_CATEGORY = "-"

# ISO 3166-1 alpha-2 officially assigned codes (249).
ISO2 = set("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

# Last words that make an alias a phrase ("Tomahawk missile") rather than a name.
GENERIC_TAILS = {
    "missile", "missiles", "system", "systems", "drone", "drones", "tank", "tanks", "launcher", "launchers",
    "howitzer", "howitzers", "helicopter", "helicopters", "jet", "jets", "fighter", "fighters", "aircraft",
    "rocket", "rockets", "rifle", "rifles", "vehicle", "vehicles", "bomb", "bombs", "interceptor",
    "interceptors", "frigate", "destroyer", "carrier", "submarine", "warship", "ship", "gun", "mine",
}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"https?://", re.I)

APOSTROPHES = set("'\u2019\u2018\u02bc\u02bb`\u00b4\u2032")
FOLD_MULTI = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
              "ĳ": "ij", "Ĳ": "ij", "ð": "d", "Ð": "d", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h",
              "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i", "ŧ": "t", "Ŧ": "t"}


def is_word_rune(ch):
    """Mirror of catalog.IsWordRune: ASCII letters/digits, or any Unicode letter, digit or mark."""
    if ch in APOSTROPHES:
        return False
    if ch < "\x80":
        return ch.isascii() and ch.isalnum()
    cat = unicodedata.category(ch)
    return cat.startswith("L") or cat == "Nd" or cat == "Mn"


def fold_char(ch):
    if ch in FOLD_MULTI:
        return FOLD_MULTI[ch]
    if ch < "\x80":
        return ch.lower()
    if unicodedata.category(ch) == "Mn":
        return ""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    return base.lower()


def key(s):
    """Lookup key of a surface string, as computed by catalog.Key in Go."""
    words, cur = [], []
    for ch in s:
        if is_word_rune(ch):
            cur.append(fold_char(ch))
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return " ".join(w for w in words if w)


def default_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "services", "pipeline", "catalog", "data", "weapons.tsv"))


def split_list(cell):
    return [] if cell == "" else cell.split("|")


def check(path, list_ambiguous=False, quiet_warnings=False):
    errors, warnings = [], []

    def err(line_no, msg):
        errors.append(f"{path}:{line_no}: {msg}")

    def warn(line_no, msg):
        warnings.append(f"{path}:{line_no}: warning: {msg}")

    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{path}: not UTF-8: {e}", file=sys.stderr)
        return 1
    if "\r" in text:
        errors.append(f"{path}: contains CR characters (use LF line endings)")
    if text.startswith("\ufeff"):
        errors.append(f"{path}: starts with a byte-order mark")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    first = lines[0] if lines else ""
    if not first.startswith("#") or [c.strip() for c in first.lstrip("#").split("\t")] != COLUMNS:
        err(1, "first line must be a comment naming the columns: '# " + "\\t".join(COLUMNS) + "'")

    ids = {}
    owner = {}  # key -> (line, id, surface)
    per_category = collections.Counter()
    per_origin = collections.Counter()
    n_systems = n_aliases = 0
    ambiguous_all = []

    for line_no, line in enumerate(lines, 1):
        if line == "" or line.startswith("#"):
            continue
        if line.strip() == "":
            err(line_no, "whitespace-only line")
            continue
        if URL_RE.search(line):
            err(line_no, "contains an http(s) link")
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            err(line_no, f"{len(cells)} columns, want {len(COLUMNS)}")
            continue
        for i, c in enumerate(cells):
            if c != c.strip():
                err(line_no, f"column {COLUMNS[i]} has surrounding whitespace")
        eid, name, category, origin, aliases_cell, ambiguous_cell, _notes = cells
        n_systems += 1

        if not ID_RE.match(eid):
            err(line_no, f"id {eid!r} is not a lowercase ASCII slug")
        if eid in ids:
            err(line_no, f"duplicate id {eid!r} (first on line {ids[eid]})")
        ids.setdefault(eid, line_no)

        if name == "" or name == "-":
            err(line_no, "empty name")
        if category != NO_CATEGORY and category not in CATEGORIES:
            err(line_no, f"category {category!r} is not in the closed list (or '-')")
        per_category[category] += 1

        codes = origin.split(",") if origin else []
        if not codes:
            err(line_no, "empty origin")
        for c in codes:
            if c not in ISO2:
                err(line_no, f"origin {c!r} is not an ISO 3166-1 alpha-2 code")
            per_origin[c] += 1
        if len(set(codes)) != len(codes):
            err(line_no, f"origin {origin!r} repeats a code")

        aliases = split_list(aliases_cell)
        ambiguous = split_list(ambiguous_cell)
        n_aliases += len(aliases)
        surfaces = [name] + aliases
        local = {}
        for idx, s in enumerate(surfaces):
            if s == "" or s != s.strip():
                err(line_no, f"empty alias or alias with surrounding whitespace: {s!r}")
                continue
            if "|" in s or "\t" in s:
                err(line_no, f"alias {s!r} contains a separator")
            k = key(s)
            if k == "":
                err(line_no, f"alias {s!r} has no letters or digits")
                continue
            if k in local:
                err(line_no, f"{s!r} is the same string as {local[k]!r} on this line (key {k!r})")
                continue
            local[k] = s
            if k in owner:
                o_line, o_id, o_s = owner[k]
                err(line_no, f"{s!r} (entry {eid}) is shared with {o_s!r} of entry {o_id} on line {o_line}")
            else:
                owner[k] = (line_no, eid, s)
            toks = k.split(" ")
            if len(toks) == 1 and len(k) <= 2 and s not in ambiguous:
                warn(line_no, f"very short string {s!r}")
            last = s.split()[-1] if s.split() else ""
            if idx > 0 and last in GENERIC_TAILS:
                warn(line_no, f"alias {s!r} ends in the generic word {last!r}")
        for k, s in local.items():
            # A lowercase trailing "s" marks a plural ("Shahed-136s"); an uppercase one is usually part of
            # a designation ("Su-27S", "T-90S").
            if s.endswith("s") and k.endswith("s") and k[:-1] in local:
                err(line_no, f"{s!r} looks like the plural of {local[k[:-1]]!r}; the matcher handles plurals")

        for a in ambiguous:
            if a not in surfaces:
                err(line_no, f"ambiguous string {a!r} is not exactly the name or an alias of this line")
            ambiguous_all.append((a, eid))

    for e in errors:
        print(e)
    if not quiet_warnings:
        for w in warnings:
            print(w)

    print(f"systems: {n_systems}  aliases: {n_aliases}  ambiguous strings: {len(ambiguous_all)}  "
          f"errors: {len(errors)}  warnings: {len(warnings)}")
    print("per category:")
    for cat in CATEGORIES + [NO_CATEGORY]:
        print(f"  {cat:<20} {per_category.get(cat, 0)}")
    for cat in sorted(set(per_category) - set(CATEGORIES) - {NO_CATEGORY}):
        print(f"  {cat:<20} {per_category[cat]}  (invalid)")
    print("per origin (entries naming the code):")
    print("  " + "  ".join(f"{c}:{n}" for c, n in sorted(per_origin.items(), key=lambda x: (-x[1], x[0]))))
    if list_ambiguous:
        print("ambiguous strings:")
        for a, eid in sorted(ambiguous_all, key=lambda x: x[0].casefold()):
            print(f"  {a}\t({eid})")
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser(description="Validate the weapon-systems catalog TSV.")
    ap.add_argument("path", nargs="?", default=default_path(), help="weapons.tsv (default: the repository copy)")
    ap.add_argument("--list-ambiguous", action="store_true", help="print every string marked ambiguous")
    ap.add_argument("--quiet-warnings", action="store_true", help="do not print warnings")
    args = ap.parse_args()
    sys.exit(check(args.path, args.list_ambiguous, args.quiet_warnings))


if __name__ == "__main__":
    main()
