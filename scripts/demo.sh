#!/usr/bin/env bash
# demo.sh — load articles into the running pipeline (make up), wait until they are
# searchable, and show a few searches. Uses ../shared/eval/dev when present, else the
# project's own sample articles in scripts/demo/.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED:-$REPO_DIR/../shared}"
SEARCH="${SEARCH_URL:-http://127.0.0.1:8083}"
AUTH=()
[[ -n "${API_TOKEN:-}" ]] && AUTH=(-H "Authorization: Bearer $API_TOKEN")

if [[ -f "$SHARED/eval/dev/articles.jsonl" ]]; then
  FILE="$SHARED/eval/dev/articles.jsonl"
else
  FILE="$REPO_DIR/scripts/demo/sample-articles.ndjson"
fi
WANT=$(grep -c . "$FILE")
echo "== loading $WANT articles from $FILE"
"$REPO_DIR/bin/ingest" load --log-level warn "$FILE"

echo "== waiting until they are searchable"
for i in $(seq 1 120); do
  total=$(curl -fsS "${AUTH[@]}" "$SEARCH/v1/search?size=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo 0)
  [[ "$total" -ge "$WANT" ]] && break
  sleep 1
done
echo "   $total documents searchable"

show() {
  echo
  echo "== GET /v1/search?$1"
  curl -fsS "${AUTH[@]}" "$SEARCH/v1/search?$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("   total:", r["total"])
for h in r["hits"][:5]:
    names = lambda k: ", ".join(e["name"] for e in (h.get(k) or [])[:6])
    print("   -", h["id"], "|", (h.get("title") or "")[:90])
    print("       actors:", names("actors"))
    print("       weapons:", names("weapons"), "| locations:", names("locations"))
f = r.get("facets") or {}
for k in ("actors", "weapons", "locations", "categories"):
    if f.get(k):
        print("   facet", k + ":", ", ".join("%s (%d)" % (x.get("name") or x.get("value") or x.get("id"), x["count"]) for x in f[k][:6]))
'
}
show "actor=Putin&size=3"
show "weapon=Tomahawk&size=3"
show "location=Budapest&size=3"
show "weapon=Patriot&location=Budapest"
show "category=drone&size=3"
echo
echo "== GET /v1/entities?type=actor&prefix=zel"
curl -fsS "${AUTH[@]}" "$SEARCH/v1/entities?type=actor&prefix=zel"; echo
cat <<MSG

The pipeline keeps running:
  ingest   http://127.0.0.1:8081  (POST /v1/articles)
  classify http://127.0.0.1:8082  (/metrics)
  index    http://127.0.0.1:8083  (GET /v1/search, /v1/entities)
Logs are in .run/*.log. Stop everything with: make down
MSG
