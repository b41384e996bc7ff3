"""``cxr-auditor audit --image X.dcm``: DICOM decoded as the app decodes it, and no header data out.

The DICOM files are made here with pydicom and carry made-up identifying fields; every test that
audits one checks that none of them reaches stdout, stderr or the ``--json`` output. Window/level
and MONOCHROME1 are checked on the picture the CLI would send to a grounder (``read_image``).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from cxr_auditor.cli import main
from cxr_auditor.cli.audit import read_image

CR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1"
PHI = {
    "PatientName": "Roe^Alexandra^Quill",
    "PatientID": "MRN-31415926",
    "PatientBirthDate": "19580417",
    "InstitutionName": "Made Up General",
    "AccessionNumber": "ACC-271828",
}
PHI_VALUES = ["Roe", "Alexandra", "Quill", "MRN-31415926", "19580417", "Made Up", "ACC-271828"]
# Left half dark, right half bright; the window below cuts both ends.
PIXELS = np.hstack([np.full((32, 16), 200), np.full((32, 16), 3800)]).astype(np.uint16)
READ = [{"label": "pneumothorax", "box_2d": [0.05, 0.10, 0.35, 0.40]}]


def make_dicom(photometric: str = "MONOCHROME2", window: tuple[int, int] | None = None) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CR_IMAGE_STORAGE
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    for key, value in PHI.items():
        setattr(ds, key, value)
    ds.SOPClassUID = CR_IMAGE_STORAGE
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "CR"
    ds.Rows, ds.Columns = PIXELS.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    if window is not None:
        ds.WindowCenter, ds.WindowWidth = window
    ds.PixelData = PIXELS.tobytes()
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True, implicit_vr=False, little_endian=True)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def gray(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L")).astype(int)


@pytest.fixture
def read_json(tmp_path: Path) -> Path:
    path = tmp_path / "read.json"
    path.write_text(json.dumps(READ))
    return path


def audit(tmp_path: Path, read_json: Path, image: Path, *extra: str) -> list[str]:
    return [
        "audit",
        "--image",
        str(image),
        "--findings",
        str(read_json),
        "--draft",
        "No pneumothorax.",
        *extra,
    ]


@pytest.mark.parametrize("photometric", ["MONOCHROME2", "MONOCHROME1"])
@pytest.mark.parametrize("as_json", [False, True])
def test_dicom_audit_runs_and_prints_no_header_field(
    tmp_path, read_json, capsys, photometric, as_json
):
    image = write(tmp_path, "study.dcm", make_dicom(photometric, window=(2000, 1000)))
    code = main(audit(tmp_path, read_json, image, *(["--json"] if as_json else [])))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    if as_json:
        result = json.loads(captured.out)
        assert {f["kind"] for f in result["flags"]} == {"MISSING", "URGENT"}
        # The digest is of the pixels, never of the file (whose header identifies the patient).
        assert result["inputs"]["image_sha256"] == read_image(image)[1]
    else:
        assert "[MISSING] Pneumothorax (denied)" in captured.out
    for value in PHI_VALUES:
        assert value not in captured.out and value not in captured.err


def test_dicom_digest_is_of_pixels_not_of_header(tmp_path):
    first = write(tmp_path, "a.dcm", make_dicom())
    second = write(tmp_path, "b.dcm", make_dicom())  # new UIDs: other bytes, same pixels
    assert first.read_bytes() != second.read_bytes()
    assert read_image(first)[1] == read_image(second)[1]


def shown(value: float, window: tuple[int, int]) -> float:
    """The gray level a window maps a pixel value to (DICOM linear window, 0..255)."""
    center, width = window
    return 255 * min(1.0, max(0.0, (value - (center - width / 2)) / width))


@pytest.mark.parametrize(
    "window",
    [
        None,  # no window in the file: the pixel range maps to black..white
        (2000, 4000),  # holds both halves: neither end is clipped
        (2000, 1000),  # narrow: the dark half clips to black, the bright half to white
        (3000, 200),  # narrow and high: both halves are black
    ],
)
def test_window_comes_from_the_file_and_monochrome1_is_inverted(tmp_path, window):
    normal = gray(read_image(write(tmp_path, "m2.dcm", make_dicom("MONOCHROME2", window)))[0])
    inverted = gray(read_image(write(tmp_path, "m1.dcm", make_dicom("MONOCHROME1", window)))[0])
    expected = window or (2000, 3600)  # the range 200..3800
    assert abs(normal[:, :16].mean() - shown(200, expected)) <= 1
    assert abs(normal[:, 16:].mean() - shown(3800, expected)) <= 1
    assert np.array_equal(inverted, 255 - normal)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("corrupt.dcm", make_dicom()[:-300], "corrupt or truncated"),
        ("notdicom.dcm", b"these are not the pixels you are looking for\n" * 10, "not a readable"),
        ("empty.dcm", b"", "empty"),
    ],
)
def test_bad_dicom_is_one_line_exit_2(tmp_path, read_json, capsys, name, data, message):
    image = write(tmp_path, name, data)
    code = main(audit(tmp_path, read_json, image))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in captured.err
    for value in PHI_VALUES:
        assert value not in captured.err


def test_bad_dicom_from_the_shell_prints_one_line(tmp_path, read_json):
    """As a process: no decoder warning or traceback joins the one-line error on stderr."""
    image = write(tmp_path, "notdicom.dcm", b"these are not the pixels you are looking for\n" * 10)
    done = subprocess.run(
        [sys.executable, "-m", "cxr_auditor.cli", *audit(tmp_path, read_json, image)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "not a readable DICOM file" in done.stderr
