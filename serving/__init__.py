"""Both sides of the Triton wire, kept out of core/ so that core stays pure.

Server side (runs inside ``triton_repo/*/1/model.py``): ``triton_model`` (tensors in and out),
``services`` (check, generate, parse, retry once), ``runtime*`` (transformers, tensorrt_llm,
replay), ``prompts``, ``images``, ``model_settings``. Client side: ``client`` (TritonBackend for the
app and the CLI) and ``config`` (CXR_TRITON_* settings). Local server: ``repository`` (fill the
placeholders), ``launcher`` (the tritonserver bundled in nvidia-pytriton), ``devserver``, and
``tiny_models`` (random-weight models of the real architectures). torch, transformers,
tensorrt_llm and tritonclient are imported only where they are used.
"""
