"""Every path the build steps use, declared in one place.

Host folders are arguments of the commands; these are the fixed locations inside the project and
inside the containers of ``docker-compose.yml`` (which mounts the weights at ``/weights`` and the
rendered model repositories under ``/models``).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TRITON_REPO = PROJECT_ROOT / "triton_repo"  # committed repository with ${placeholders}
MANIFEST_NAME = "manifest.json"  # written by prepare beside the model folders
ROLE_FOLDERS = {"grounder": "grounder", "draft_parser": "parser"}  # under the models folder
FP8_SUFFIX = "-fp8"  # grounder-fp8/: the quantized copy
SETTINGS_RECORD = "gpu_settings.json"  # written by write-repo into each model folder

# Inside the containers (docker-compose.yml)
CONTAINER_WEIGHTS = Path("/weights")
CONTAINER_REPOS = Path("/models")

# The smoke test's default image: a bundled library case (pneumothorax, left).
SMOKE_CASE = "nih-00029259_027"


def case_image(case_id: str = SMOKE_CASE) -> Path:
    """The image of a bundled library case (works from a checkout and from an installed package)."""
    return Path(
        str(
            importlib.resources.files("cxr_auditor.core")
            / "cases"
            / "library"
            / case_id
            / "image.jpg"
        )
    )


def library_images(limit: int) -> list[Path]:
    """Up to ``limit`` bundled library images, in a stable order (FP8 calibration uses them)."""
    root = Path(str(importlib.resources.files("cxr_auditor.core") / "cases" / "library"))
    return sorted(root.glob("*/image.jpg"))[:limit]
