#!/usr/bin/env bash
# Installs headless Chromium from Debian's packages for the page's browser
# tests (services/pipelinectl/e2e/page_test.go); does nothing when present.
set -euo pipefail
bin=${CHROMIUM_BIN:-/usr/bin/chromium}
if [[ -x $bin ]]; then
  exit 0
fi
echo "installing Debian's chromium package for the browser tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$bin" --version
