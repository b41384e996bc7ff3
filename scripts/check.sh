#!/usr/bin/env bash
# The static checks .ci/run runs before the tests (after `bash scripts/setup.sh test`):
#   1. ruff: lint and format check (settings in pyproject.toml)
#   2. import-linter: the layer contract in pyproject.toml
#   3. mypy: strict on core/ and serving/, the default checks on the rest of the package
#   4. the wheel installs one top-level package, cxr_auditor (its top_level.txt)
# Each step prints its name; the first failure stops the script with its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
bin="$VENV/bin"
root=$PWD

echo "== ruff check"
"$bin/ruff" check .
echo "== ruff format --check"
"$bin/ruff" format --check .
echo "== lint-imports (layers)"
"$bin/lint-imports" --no-cache

# mypy names modules after their folders, and the repository root is the package cxr_auditor
# (pyproject.toml maps it so), so mypy reads the tree through a link named cxr_auditor.
echo "== mypy"
view=$(mktemp -d)
trap 'rm -rf "$view"' EXIT
ln -s "$root" "$view/cxr_auditor"
# The top-level packages named in pyproject.toml, one -p each (-p includes subpackages), and -m for
# the root module: its -p would also walk tests/, bench/ and build/, which hold no package.
packages=$("$bin/python" -c 'import tomllib; print(" ".join(("-m " if p == "cxr_auditor" else "-p ") + p for p in tomllib.load(open("pyproject.toml", "rb"))["tool"]["setuptools"]["packages"] if p.count(".") < 2))')
# shellcheck disable=SC2086  # one word per -p argument
(cd "$view" && "$root/$bin/mypy" --config-file "$root/pyproject.toml" \
   --python-executable "$root/$bin/python" $packages)
# Test files whose stand-ins (model server backends, runtimes) subclass the Protocols of
# serving/backend.py and serving/runtime.py: mypy checks each stand-in against the real contract
# (mypy's default checks; tests/ is on MYPYPATH for their `support` helper).
MYPY_TESTS=(
  tests/test_app_readers.py
  tests/test_eval_cli.py
  tests/test_prompt_injection.py
  tests/test_serving_services.py
  tests/test_serving_runtime_trtllm.py
  tests/test_build_engines_device_bench.py
)
(cd "$view" && MYPYPATH="$root/tests" "$root/$bin/mypy" --config-file "$root/pyproject.toml" \
   --python-executable "$root/$bin/python" "${MYPY_TESTS[@]/#/cxr_auditor/}")

echo "== wheel: one top-level package"
"$bin/python" -m pip wheel -q --no-deps --disable-pip-version-check . -w "$view/wheel" >/dev/null
rm -rf build  # setuptools' scratch folder in the checkout
top=$(unzip -p "$view"/wheel/*.whl '*.dist-info/top_level.txt' | tr -d '\r')
unzip -l "$view"/wheel/*.whl | awk 'NR>3 {print $4}' | grep -v '^$' | cut -d/ -f1 | sort -u \
  | grep -v '\.dist-info$' > "$view/tops.txt" || true
if [ "$top" != "cxr_auditor" ] || [ "$(cat "$view/tops.txt")" != "cxr_auditor" ]; then
  echo "the wheel must hold one top-level package, cxr_auditor; top_level.txt: $top;" \
       "folders: $(tr '\n' ' ' < "$view/tops.txt")" >&2
  exit 1
fi
echo "top_level.txt: $top"
echo "checks passed"
