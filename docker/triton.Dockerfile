# Triton + TensorRT-LLM (PyTorch backend) with this project installed: serves triton_repo/ rendered
# by `python -m cxr_auditor.build_engines write-repo`, and runs the build_engines commands (the "tools" service).
# NGC pairing (shared/notes/tensorrt_llm_and_triton.md §2.6): 26.07 = Triton 2.71.0 + TensorRT-LLM
# 1.2.1 + CUDA 13.1. Not built or run on the project's CPU machines.
ARG TRITON_VERSION=26.07
FROM nvcr.io/nvidia/tritonserver:${TRITON_VERSION}-trtllm-python-py3

# 26.07 ships openai 1.107.3, too old for its own llmapi ("cannot import name 'PartReasoningText'");
# a newer copy goes into an overlay on PYTHONPATH so no package of the image is changed (the version
# that fixes it is NVIDIA's tutorial's advice, not verified here; override with --build-arg).
ARG OPENAI_OVERLAY="openai==1.109.1"
ENV PIP_BREAK_SYSTEM_PACKAGES=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/opt/overlay${PYTHONPATH:+:${PYTHONPATH}} \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /opt/cxr
COPY pyproject.toml README.md ./
# The whole package: every folder named in pyproject.toml's package list must be present.
COPY __init__.py ./
COPY core ./core
COPY serving ./serving
COPY evaluation ./evaluation
COPY train ./train
COPY build_engines ./build_engines
COPY authoring ./authoring
COPY ui ./ui
COPY cli ./cli
COPY reliability ./reliability
COPY triton_repo ./triton_repo
COPY .streamlit ./.streamlit

# The project goes in without its dependencies: TensorRT-LLM pins torch, transformers and numpy<2,
# and must keep them (huggingface_hub comes with them). tritonclient (for warmup/smoke/bench) is
# added under a constraint file that freezes every other version already in the image.
# hadolint ignore=DL3013
RUN python3 -m pip list --format=freeze | grep -iv '^tritonclient==' > /tmp/image-versions.txt \
 && python3 -m pip install --no-deps --target /opt/overlay "${OPENAI_OVERLAY}" \
 && python3 -m pip install -c /tmp/image-versions.txt "tritonclient[http,grpc]==2.71.0" \
 && python3 -m pip install --no-deps -e . \
 && python3 -c "import cxr_auditor.serving.runtime_trtllm, cxr_auditor.build_engines.cli; print('project importable')"

EXPOSE 8000 8001 8002
HEALTHCHECK --interval=15s --timeout=5s --start-period=600s --retries=40 \
  CMD ["python3", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/v2/health/ready', timeout=4).status == 200 else 1)"]

# Plain tritonserver, not trtllm-llmapi-launch: two TensorRT-LLM models would share its one proxy
# IPC address and MPI leader. Each model's LLM runs its worker in its own Python stub
# (TLLM_WORKER_USE_SINGLE_PROCESS=1; serving/runtime_trtllm.py sets it and clears inherited
# MPI/PMIx job variables before importing tensorrt_llm). Exec form: tritonserver gets SIGTERM
# (compose adds `init: true` so PID 1 forwards it and reaps the stubs).
ENV TLLM_WORKER_USE_SINGLE_PROCESS=1 \
    HF_HUB_DISABLE_PROGRESS_BARS=1
CMD ["tritonserver", "--model-repository=/models/tensorrt_llm", \
     "--http-port=8000", "--grpc-port=8001", "--metrics-port=8002", "--exit-timeout-secs=30"]
