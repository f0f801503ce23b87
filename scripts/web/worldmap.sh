#!/usr/bin/env bash
# Rebuilds the page's world outline from the pinned world-atlas npm package.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORLD_ATLAS_VERSION=2.0.2
dir=.cache/npm/world-atlas
mkdir -p "$dir"
npm install --no-save --no-audit --no-fund --prefix "$dir" "world-atlas@$WORLD_ATLAS_VERSION" >/dev/null
python3 scripts/web/worldmap.py "$dir/node_modules/world-atlas/countries-110m.json" \
  services/index/internal/web/assets/world.svg
echo "wrote services/index/internal/web/assets/world.svg"
