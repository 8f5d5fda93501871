#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs it.
#   bash scripts/test.sh               # the whole suite
#   bash scripts/test.sh tests/draft   # any pytest arguments
# System packages: chromium (browser tests), redis-server and postgresql (scale-out tests; the
# tests start and stop their own servers), gcc (builds the native Ken Burns warp at install).
# Without root/apt they are skipped locally; under CI=true a missing one fails the run instead.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e '.[dev]'
if [ "$#" -eq 0 ]; then  # the whole suite: lint and types first (mypy --strict on the core)
  python3 -m ruff check src tests benchmarks
  python3 -m mypy
fi
exec python3 -m pytest -q "$@"
