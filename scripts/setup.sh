#!/usr/bin/env bash
# Makes (or updates) the project's virtual environment, .venv/, and installs what a job needs.
#
#   bash scripts/setup.sh app    # the teaching app: the package with its "app" extra
#   bash scripts/setup.sh test   # the full test suite: Debian's Chromium (browser tests) and
#                                # PostgreSQL's binaries (database tests start their own throwaway
#                                # server), then every extra that runs on a CPU, plus the checkers
#
# Works with Debian's own python3 (PEP 668 refuses `pip install` into it): everything goes into
# .venv, made from $PYTHON (default python3). If that Python cannot make a virtual environment
# (Debian without python3-venv), the Debian package is installed first.
# torch is pinned to 2.13.0 in the extras (a CPU build on the project machines; a bare "torch"
# pulls a CUDA build of several GB).
set -euo pipefail
cd "$(dirname "$0")/.."

job=${1:-}
case "$job" in
  app) extras="app" ;;
  test) extras="test,app,serving,models,eval,train,dev" ;;
  *) echo "usage: bash scripts/setup.sh app|test" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

apt_install() {
  local sudo
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=()
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  need+=("python3-venv")
fi
if [ "$job" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  apt_install "${need[@]}"
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $("$PYTHON" --version 2>&1) ($(command -v "$PYTHON"))"
  "$PYTHON" -m venv "$VENV"
fi
echo "setup: installing the project into $VENV with [$extras] (a few minutes the first time)"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[$extras]"
echo "setup: done; $VENV/bin/cxr-auditor is ready"
