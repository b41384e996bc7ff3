"""CXR Draft Auditor core: the pure-logic heart of the auditor.

Imports only the standard library, numpy and pydantic. It never loads a model, a UI toolkit or a
network client; those live in ``serving/`` and ``ui/``. Research and education only, never a
medical device.
"""

from cxr_auditor.core.labels import DISCLAIMER, LABELS, POSITIVE_LABELS

__all__ = ["DISCLAIMER", "LABELS", "POSITIVE_LABELS"]
