#!/usr/bin/env bash
# Sets up Reelwright on a fresh machine (Python 3.11+) and starts the server with its web UI:
# SQLite, local disk and in-process render workers under ./data, nothing else to install.
# Installs into the project's virtual environment (./.venv, made on first run; see venv.sh).
# Any `reelwright serve` option passes through: bash scripts/run.sh --port 8080
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv ""
export PYTHONNOUSERSITE=1
exec "$(dirname "$VENV_PY")/reelwright" serve --data-dir "${REELWRIGHT_DATA_DIR:-./data}" "$@"
