# Triton with the same triton_repo/ on the transformers runtime (Hugging Face generate on the GPU):
# the baseline `python -m cxr_auditor.build_engines bench` compares TensorRT-LLM against, on the same GPU.
# Uses the project's "models" extra (torch==2.13.0, transformers>=5.18 for Nemotron-H).
ARG TRITON_VERSION=26.07
FROM nvcr.io/nvidia/tritonserver:${TRITON_VERSION}-py3

ENV PIP_BREAK_SYSTEM_PACKAGES=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

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

# numpy<2: the Python-backend stub; the models extra pins torch, never a bare "torch".
RUN python3 -m pip install -e ".[models]" "numpy>=1.26,<2" "tritonclient[http,grpc]==2.71.0" \
 && python3 -c "import cxr_auditor.serving.runtime_transformers, cxr_auditor.build_engines.cli; print('project importable')"

EXPOSE 8000 8001 8002
HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=40 \
  CMD ["python3", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/v2/health/ready', timeout=4).status == 200 else 1)"]

CMD ["tritonserver", "--model-repository=/models/transformers", \
     "--http-port=8000", "--grpc-port=8001", "--metrics-port=8002", "--exit-timeout-secs=30"]
