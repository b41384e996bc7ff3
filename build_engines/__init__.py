"""GPU build of the two served models: pin and fetch checkpoints, check them, optionally quantize
the grounder to FP8, render the TensorRT-LLM settings into the Triton model repository, then warm
up, smoke-test and benchmark the running server.

TensorRT-LLM's engine-build flow was removed upstream and never supported Gemma 3 multimodal or
Nemotron-H, so nothing here compiles an engine: both models run on TensorRT-LLM's PyTorch backend
(``tensorrt_llm.LLM``, ``serving/runtime_trtllm.py``) and "build" means the steps above: pinned
Hugging Face checkpoints, optional ModelOpt FP8, a generated model repository, warm-up. Entry point:
``python -m cxr_auditor.build_engines``.

Heavy or GPU-only packages (huggingface_hub, torch, ModelOpt, tritonclient) are imported inside
the step that needs them; every command has ``--dry-run``.
"""
