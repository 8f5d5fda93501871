#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs it.
#   bash scripts/test.sh            # the whole suite
#   bash scripts/test.sh tests/draft  # any pytest arguments
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    && [ "$(id -u)" = 0 ]; then
  # headless Chromium drives the web-page tests
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e '.[dev]'
exec python3 -m pytest -q "$@"
