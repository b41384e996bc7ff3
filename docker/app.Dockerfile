# The Streamlit teaching app (cxr-auditor app), talking to Triton through tritonclient and keeping
# its database in PostgreSQL (CXR_DATABASE_URL). CPU only; no model weights in this image.
FROM python:3.11-slim-bookworm

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

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

# numpy<2 and the app extra's pandas/pyarrow pins keep it one consistent environment (README).
RUN python3 -m pip install -e ".[app]" "tritonclient[http,grpc]==2.71.0" "numpy>=1.26,<2" \
        "psycopg[binary]>=3.2" \
 && useradd --create-home --uid 10001 app

USER 10001
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["python3", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

CMD ["cxr-auditor", "app", "--address", "0.0.0.0", "--port", "8501"]
