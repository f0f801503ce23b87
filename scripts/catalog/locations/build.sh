#!/usr/bin/env bash
# Builds services/pipeline/catalog/data/locations.tsv.gz from the npm packages
# pinned in package-lock.json (installed into ./node_modules with `npm ci`)
# plus curated/ and services/pipeline/catalog/data/places.tsv, then runs the
# catalog tests against the result.
#
#   scripts/catalog/locations/build.sh            # install if needed, build, test
#   SKIP_INSTALL=1 scripts/catalog/locations/build.sh
#
# The output is deterministic: rows sorted by id, gzip -n (no name, no
# timestamp), so a rebuild from the same inputs gives identical bytes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/services/pipeline/catalog/data/locations.tsv.gz"

cd "$here"

# The committed lock file carries versions and integrity hashes only.
if grep -q '"resolved"' package-lock.json; then
  echo "package-lock.json contains \"resolved\" URLs; regenerate it with" >&2
  echo "  npm install --package-lock-only --omit-lockfile-registry-resolved" >&2
  exit 1
fi

if [[ -z "${SKIP_INSTALL:-}" || ! -d node_modules ]]; then
  npm ci --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

node build.mjs "$tmp/locations.tsv" --report "$tmp/warnings.txt"
echo "warnings: $(wc -l < "$tmp/warnings.txt") (kept in $here/build-warnings.txt, not committed)" >&2
cp "$tmp/warnings.txt" "$here/build-warnings.txt"

mkdir -p "$(dirname "$out")"
gzip -n -9 -c "$tmp/locations.tsv" > "$tmp/locations.tsv.gz"
mv "$tmp/locations.tsv.gz" "$out"
echo "wrote $out ($(wc -c < "$out") bytes, $(($(wc -l < "$tmp/locations.tsv") - 1)) rows)" >&2

node --test test/
