# Sourced by run.sh and test.sh: finds or makes the project's virtual environment and installs
# Reelwright into it, so nothing is ever pip-installed into the machine's own Python (Debian and
# Ubuntu refuse that: PEP 668).
#   REELWRIGHT_VENV=/path   use (or create) that environment instead
#   an activated virtual environment (VIRTUAL_ENV) is used as it is
#   otherwise ./.venv in the checkout, created on first use and re-used after
# Usage: ensure_venv EXTRAS   (EXTRAS: "" or "[dev]"); sets VENV_PY to the environment's python.

pick_python() {
  local candidate
  for candidate in python3 python3.13 python3.12 python3.11 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Reelwright needs Python 3.11 or newer (python3 on PATH is older or missing)." >&2
  return 1
}

ensure_venv() {
  local extras="$1" venv base
  venv="${REELWRIGHT_VENV:-${VIRTUAL_ENV:-$PWD/.venv}}"
  if [ ! -x "$venv/bin/python" ]; then
    base="$(pick_python)"
    if ! "$base" -m venv "$venv" 2>/dev/null; then
      # Debian/Ubuntu ship venv separately (python3-venv); install it where we can.
      if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$venv"
        "$base" -m venv "$venv"
      else
        echo "Could not create a virtual environment at $venv: install python3-venv." >&2
        return 1
      fi
    fi
    echo "created a virtual environment at $venv"
  fi
  VENV_PY="$venv/bin/python"
  echo "using the virtual environment at $venv"
  PYTHONNOUSERSITE=1 "$VENV_PY" -m pip install -q --disable-pip-version-check -e ".${extras}"
}
