"""CXR Draft Auditor: research and teaching tool that audits chest X-ray draft impressions.

Not a medical device. The repository root is this package: each top-level folder is one
subpackage (``cxr_auditor.core``, ``cxr_auditor.serving``, ...), mapped in ``pyproject.toml``.
Layers, lowest first (checked by import-linter, see ``pyproject.toml``): ``core`` <-
``serving`` <- (``evaluation``, ``train``, ``build_engines``, ``authoring``) <- (``ui``, ``cli``)
<- ``reliability``.
"""
