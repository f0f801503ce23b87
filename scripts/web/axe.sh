#!/usr/bin/env bash
# Installs the pinned axe-core (accessibility engine) that the page's browser
# tests inject; prints the path of axe.min.js.
set -euo pipefail
cd "$(dirname "$0")/../.."
AXE_CORE_VERSION=4.14.1
dir=.cache/npm/axe-core
js=$dir/node_modules/axe-core/axe.min.js
if ! grep -qs "\"version\": \"$AXE_CORE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
  mkdir -p "$dir"
  npm install --no-save --no-audit --no-fund --prefix "$dir" "axe-core@$AXE_CORE_VERSION" >/dev/null
fi
echo "$PWD/$js"
