#!/usr/bin/env bash
# The README's first command on a fresh environment: `bash scripts/setup.sh app` into a new
# virtual environment made from $PYTHON (default python3), then `cxr-auditor app` must serve the
# page (Streamlit's health endpoint answers "ok") within 60 s. Run by .ci/run; prints PASS or FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${PORT:-8765}
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

VENV="$work/venv" bash scripts/setup.sh app
"$work/venv/bin/cxr-auditor" app --port "$port" --address 127.0.0.1 >"$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 60); do
  if [ "$("$work/venv/bin/python" -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=2).read().decode())" 2>/dev/null)" = ok ]; then
    echo "PASS: cxr-auditor app answered on port $port from a fresh environment"
    exit 0
  fi
  sleep 1
done
echo "FAIL: cxr-auditor app did not answer within 60 s; its log:" >&2
cat "$work/app.log" >&2
exit 1
