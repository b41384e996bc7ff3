"""Triton Python model ``grounder``: image bytes in, findings out.

The logic is in ``serving/triton_model.py``.
"""

import triton_python_backend_utils as pb_utils

from cxr_auditor.serving.triton_model import TritonRoleModel


class TritonPythonModel(TritonRoleModel):
    ROLE = "grounder"

    def __init__(self) -> None:
        super().__init__(pb_utils)
