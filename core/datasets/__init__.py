"""Dataset normalizers: public chest X-ray annotations in the project's own terms.

Each normalizer is a mapping table (``maps/<dataset>.csv``, validated on load by ``maps``) plus a
small function that reads the source file and returns results with a ``NormalizeReport`` that counts
every row: kept, dropped by the table, not in the table (unmapped), or rejected with its reason.

- ``nih.read_nih``: NIH ``BBox_List_2017.csv`` -> ``NormalizedImage`` (incomplete reads).
- ``chestx_det.read_chestx_det``: ChestX-Det JSON -> ``NormalizedImage``.
- ``vindr.read_vindr`` / ``vindr.consensus``: VinDr-CXR CSV -> per-reader reads -> k-of-n consensus.
- ``iu_mesh.read_iu_mesh``: IU / Open-i MeSH codes -> ``ReportLabels``.
- ``chexpert.read_chexpert``: CheXpert label columns -> ``ReportLabels``.

Nothing here opens images or reads report text.
"""

from cxr_auditor.core.datasets.chestx_det import read_chestx_det
from cxr_auditor.core.datasets.chexpert import read_chexpert
from cxr_auditor.core.datasets.iu_mesh import labels_for_mesh, read_iu_mesh
from cxr_auditor.core.datasets.maps import MapTable, load_map_file, packaged_map
from cxr_auditor.core.datasets.nih import read_nih
from cxr_auditor.core.datasets.records import (
    LabelState,
    NormalizedImage,
    NormalizeReport,
    RejectedRow,
    ReportLabels,
)
from cxr_auditor.core.datasets.vindr import VindrImage, consensus, read_vindr, read_vindr_sizes

__all__ = [
    "LabelState",
    "MapTable",
    "NormalizeReport",
    "NormalizedImage",
    "RejectedRow",
    "ReportLabels",
    "VindrImage",
    "consensus",
    "labels_for_mesh",
    "load_map_file",
    "packaged_map",
    "read_chestx_det",
    "read_chexpert",
    "read_iu_mesh",
    "read_nih",
    "read_vindr",
    "read_vindr_sizes",
]
