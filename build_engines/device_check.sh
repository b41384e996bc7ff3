#!/usr/bin/env bash
# Device check of the GPU path, for a machine with one NVIDIA GPU, torch + transformers (>= 5.18)
# installed and NO internet (build_engines/device_bench.py): versions; random-weight checkpoints
# of the REAL 4B configurations (written from the published architecture facts; nothing is
# downloaded); bf16 weight memory; token parity of the two runtimes; peak memory of one generate
# at batch 1, 16 and 40; full audits through the served code path at concurrency 1, 8 and 40
# (150 grounder + 100 parser tokens, p50/p99, tokens/s); and, if tensorrt_llm is installed, the
# same models through the project's TensorRT-LLM runtime with load_format="dummy". One line per
# section (PASS/FAIL/SKIP with its seconds), tables at the end, JSON in $OUT. Python stops
# starting sections after CXR_DEVICE_BUDGET_S (default 420 s); the whole run is killed at 480 s.
#
# usage: bash build_engines/device_check.sh        (writes into $OUT when set, else ./device_check_out)
set -euo pipefail

# Paths and limits, in one place
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="${OUT:-$REPO_ROOT/device_check_out}"
WORK_DIR="${CXR_DEVICE_WORKDIR:-${TMPDIR:-/tmp}}"        # ~17 GB of random weights, deleted after
RESULT_JSON="$OUT_DIR/device_bench.json"
LOG_FILE="$OUT_DIR/device_check.log"
BENCH_TIMEOUT_S="${CXR_DEVICE_TIMEOUT_S:-480}"
BUDGET_S="${CXR_DEVICE_BUDGET_S:-420}"
CONCURRENCY="${CXR_DEVICE_CONCURRENCY:-1 8 40}"

cd "$REPO_ROOT"
mkdir -p "$OUT_DIR" "$WORK_DIR"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
PYTHON="${PYTHON:-python3}"
# The scripts import the installed package cxr_auditor; install this checkout without its
# dependencies (the machine has torch and transformers) and without a build environment (offline).
if ! "$PYTHON" -c "import cxr_auditor" >/dev/null 2>&1; then
  "$PYTHON" -m pip install -q --no-deps --no-build-isolation -e "$REPO_ROOT" \
    || { echo "FAIL: could not install the project into $PYTHON (pip install -e, offline)"; exit 2; }
fi

main() {
  echo "== GPU"
  if ! nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; then
    echo "FAIL: no NVIDIA GPU visible (nvidia-smi failed)"; return 2
  fi
  echo "== Python packages"
  "$PYTHON" - <<'PY' || { echo "FAIL: the Python environment is not ready (see above)"; return 2; }
import importlib.util, sys
need = ["torch", "transformers", "tokenizers", "safetensors", "numpy", "pydantic", "PIL"]
missing = [m for m in need if importlib.util.find_spec(m) is None]
if missing:
    sys.exit(f"missing: {', '.join(missing)} (pip install torch 'transformers>=5.18' pydantic pillow)")
import torch, transformers
major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
print(f"python {sys.version.split()[0]}, torch {torch.__version__} (CUDA {torch.version.cuda}), "
      f"transformers {transformers.__version__}, cuda available: {torch.cuda.is_available()}")
if (major, minor) < (5, 18):
    sys.exit("transformers >= 5.18 is needed for Nemotron-H (older ones lack its MLP layers or pad batches wrongly)")
if not torch.cuda.is_available():
    sys.exit("torch sees no CUDA GPU")
PY
  echo "== Device check: real 4B configurations, random weights (JSON rewritten after each section)"
  # shellcheck disable=SC2086  # CONCURRENCY is a list of numbers
  timeout "$BENCH_TIMEOUT_S" "$PYTHON" -m cxr_auditor.build_engines.device_bench --scale real --device cuda \
    --concurrency $CONCURRENCY --budget-s "$BUDGET_S" --workdir "$WORK_DIR" --out "$RESULT_JSON"
}

set +e
main 2>&1 | tee "$LOG_FILE"
status="${PIPESTATUS[0]}"
set -e
if [ "$status" -eq 0 ]; then echo "PASS (results: $RESULT_JSON)"; else echo "FAIL (exit $status, log: $LOG_FILE)"; fi
exit "$status"
