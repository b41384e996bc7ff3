#!/usr/bin/env bash
# Installs everything the full test suite needs on a fresh Debian machine (CPU only):
# Debian's Chromium (browser tests) and PostgreSQL's binaries (database tests start their own
# throwaway server), then the project with every extra that runs here.
# torch is pinned to 2.13.0 (a CPU build on the project machines; a bare "torch" pulls CUDA).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)  # tests start their own server
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test,app,serving,models,eval,train]"
