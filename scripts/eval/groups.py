#!/usr/bin/env python3
"""Score predictions per topic group, so a rule that helps one group and hurts
another shows.

Usage: groups.py GROUPS.tsv SCORE.py CACHE_DIR GOLD.jsonl:PRED.ndjson ...

GROUPS.tsv maps article ids to groups (tab separated, '#' comments); articles
marked "trap": true form the "traps" group. For each group the gold and
predicted lines are written to CACHE_DIR/eval-group-<group>.{gold,pred}.jsonl
and scored by SCORE.py (shared/eval/score.py).
"""
import json
import os
import subprocess
import sys

ORDER = ["war", "middle-east", "east-asia", "industry", "diplomacy", "traps"]


def main():
    groups_file, score_py, cache = sys.argv[1:4]
    groups = {}
    with open(groups_file) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                aid, grp = line.split("\t")
                groups[aid] = grp
    gold, pred = {}, {}
    for pair in sys.argv[4:]:
        gpath, ppath = pair.split(":")
        with open(gpath) as f:
            for line in f:
                if line.strip():
                    g = json.loads(line)
                    grp = "traps" if g.get("trap") else groups.get(g["id"], "other")
                    gold.setdefault(grp, []).append(line.rstrip("\n"))
        with open(ppath) as f:
            for line in f:
                if line.strip():
                    pred[json.loads(line)["id"]] = line.rstrip("\n")
    for grp in ORDER + sorted(set(gold) - set(ORDER)):
        rows = gold.get(grp)
        if not rows:
            continue
        gp = os.path.join(cache, f"eval-group-{grp}.gold.jsonl")
        pp = os.path.join(cache, f"eval-group-{grp}.pred.jsonl")
        with open(gp, "w") as g, open(pp, "w") as p:
            for line in rows:
                g.write(line + "\n")
                aid = json.loads(line)["id"]
                if aid in pred:
                    p.write(pred[aid] + "\n")
        print(f"== group {grp} (dev + dev2, {len(rows)} articles)")
        sys.stdout.flush()
        subprocess.run([sys.executable, score_py, gp, pp], check=True)


if __name__ == "__main__":
    main()
