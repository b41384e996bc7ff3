"""Grounder fine-tuning: SFT records, curation, QLoRA/LoRA SFT with an answer-only loss, adapter
merge and the merge check.

Stages (each a module, each a ``cxr-auditor train`` subcommand):
``records`` -> ``curate`` (+ ``split``) -> ``sft`` (``settings``, ``dataset``, ``loss_mask``) ->
``merge`` -> ``verify``. Only ``records``, ``curate`` and ``split`` run without the ``[train]``
extra; the rest import torch, transformers, trl and peft when called. GPU commands: README,
"Fine-tuning the grounder".
"""
