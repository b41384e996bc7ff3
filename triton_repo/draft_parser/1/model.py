"""Triton Python model ``draft_parser``: draft text in, mentions out.

The logic is in ``serving/triton_model.py``.
"""

import triton_python_backend_utils as pb_utils

from cxr_auditor.serving.triton_model import TritonRoleModel


class TritonPythonModel(TritonRoleModel):
    ROLE = "draft_parser"

    def __init__(self) -> None:
        super().__init__(pb_utils)
