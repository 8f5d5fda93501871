#!/usr/bin/env bash
# Sets up Reelwright on a fresh machine and makes a slideshow from the bundled sample photos.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
exec reelwright make --samples --title "Reelwright" -o slideshow.mp4 "$@"
