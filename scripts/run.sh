#!/usr/bin/env bash
# Sets up Reelwright on a fresh machine (Python 3.11+) and starts the server with its web UI:
# SQLite, local disk and in-process render workers under ./data, nothing else to install.
# Open http://127.0.0.1:8000/ when it says "Uvicorn running".
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
exec reelwright serve --data-dir "${REELWRIGHT_DATA_DIR:-./data}" "$@"
