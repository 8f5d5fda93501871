#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs it.
#   bash scripts/test.sh               # the whole suite
#   bash scripts/test.sh tests/draft   # any pytest arguments
# Python packages go into the project's virtual environment (./.venv, or REELWRIGHT_VENV; see
# venv.sh), never the machine's own Python. System packages: chromium (browser tests),
# redis-server and postgresql (scale-out tests; the tests start and stop their own servers),
# gcc (builds the native Ken Burns warp at install), nodejs/npm (H5P's own host code checks the
# .h5p exports). Without root/apt they are skipped locally; under CI=true a missing one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
source scripts/venv.sh
ensure_venv "[dev]"
export PYTHONNOUSERSITE=1
if [ -f scripts/setup_h5p_host.sh ]; then
  bash scripts/setup_h5p_host.sh || echo "H5P host packages could not be installed (npm)" >&2
fi
if [ "$#" -eq 0 ]; then  # the whole suite: lint and types first (mypy --strict on the core)
  "$VENV_PY" -m ruff check src tests benchmarks
  "$VENV_PY" -m mypy
fi
exec "$VENV_PY" -m pytest -q "$@"
