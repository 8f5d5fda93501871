#!/usr/bin/env bash
# Installs the H5P host the .h5p export tests drive: H5P's own package validation and
# semantics (@lumieducation/h5p-server), its player (h5p-standalone) and a Chromium driver
# (playwright-core, which uses Debian's /usr/bin/chromium; no browser is downloaded).
#   bash scripts/setup_h5p_host.sh            # into .cache/h5p-host (git-ignored)
#   REELWRIGHT_H5P_HOST=/some/dir bash scripts/setup_h5p_host.sh
# Reused when present: it does nothing when the pinned versions are installed already.
# --ignore-scripts: h5p-standalone's preinstall only insists on yarn; nothing needs building.
# Needs node >= 18 and npm (playwright-core 1.49 is the last for node 18, Debian 12's). The content-type libraries themselves are test data in
# ../shared/h5p (see docs/interactive.md), never part of this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${REELWRIGHT_H5P_HOST:-.cache/h5p-host}"
pins=("@lumieducation/h5p-server@10" "h5p-standalone@3.8" "playwright-core@1.49")
stamp="$dest/.installed"
want="${pins[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$dest/node_modules" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "setup_h5p_host: npm is not installed" >&2; exit 1; }
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$major" -ge 18 ] || { echo "setup_h5p_host: node >= 18 is needed (found $major)" >&2; exit 1; }
mkdir -p "$dest"
[ -f "$dest/package.json" ] || echo '{"name": "reelwright-h5p-host", "private": true}' \
  > "$dest/package.json"
echo "installing ${want} into $dest ..."
npm install --prefix "$dest" --ignore-scripts --no-audit --no-fund --loglevel=error "${pins[@]}"
echo "$want" > "$stamp"
