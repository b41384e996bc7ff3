"""DICOM uploads: pixels, window/level, MONOCHROME1, one-line errors, and no identifying data out.

DICOM files are made here with pydicom (never real patients). Every file carries a made-up name, ID,
birth date, institution and accession number; the tests check that none of them leaves the reader.
"""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEGLSLossless,
    generate_uid,
)

from cxr_auditor.serving.dicom import SAFE_FIELDS, Window, looks_like_dicom, read_dicom, render
from cxr_auditor.serving.image_files import ImageError
from cxr_auditor.serving.upload import decode_upload

CR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1"
PHI = {
    "PatientName": "Doe^Jane^Quincy",
    "PatientID": "PID-998877",
    "PatientBirthDate": "19610203",
    "InstitutionName": "Saint Example Hospital",
    "AccessionNumber": "ACC-554433",
    "ReferringPhysicianName": "Smith^Johnathan",
    "StudyDate": "20240102",
    "OtherPatientIDs": "OTHER-4242",
}
PHI_VALUES = [
    "Doe",
    "Jane",
    "Quincy",
    "PID-998877",
    "19610203",
    "Saint Example",
    "ACC-554433",
    "Johnathan",
    "20240102",
    "OTHER-4242",
]
RAMP = np.round(np.linspace(0, 4095, 48 * 64)).astype(np.uint16).reshape(48, 64)


def make_dicom(
    pixels: np.ndarray = RAMP,
    *,
    photometric: str = "MONOCHROME2",
    window: tuple[object, object] | None = None,
    slope: float | None = None,
    intercept: float | None = None,
    transfer: str = ExplicitVRLittleEndian,
    pixel_data: bytes | None = None,
    frames: int | None = None,
    preamble: bool = True,
) -> bytes:
    """A small CR DICOM file with made-up identifying fields."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CR_IMAGE_STORAGE
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = transfer
    ds = Dataset()
    ds.file_meta = meta
    for key, value in PHI.items():
        setattr(ds, key, value)
    ds.SOPClassUID = CR_IMAGE_STORAGE
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "CR"
    ds.ViewPosition = "PA"
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    if window is not None:
        ds.WindowCenter, ds.WindowWidth = window
    if slope is not None:
        ds.RescaleSlope, ds.RescaleIntercept = slope, intercept or 0
    if frames is not None:
        ds.NumberOfFrames = frames
    ds.PixelData = pixel_data if pixel_data is not None else pixels.astype(np.uint16).tobytes()
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=preamble, implicit_vr=False, little_endian=True)
    return buffer.getvalue()


def test_pixels_window_and_safe_fields():
    picture = read_dicom(make_dicom(window=(1000, 500)))
    assert (picture.width, picture.height) == (64, 48)
    assert picture.default_window == Window(1000.0, 500.0)
    assert picture.value_range == (0.0, 4095.0)
    assert set(picture.info) <= {*SAFE_FIELDS, "TransferSyntax"}
    assert picture.info["Modality"] == "CR" and not picture.monochrome1


@pytest.mark.parametrize(
    "case, window, expected",
    [
        ("header window", (1000, 500), Window(1000.0, 500.0)),
        ("several windows: the first is used", ([1000, 2000], [500, 800]), Window(1000.0, 500.0)),
        ("no window: the pixel range", None, Window(2047.5, 4095.0)),
        ("zero width: the pixel range", (1000, 0), Window(2047.5, 4095.0)),
    ],
)
def test_default_window(case, window, expected):
    assert read_dicom(make_dicom(window=window)).default_window == expected


def test_window_maps_center_to_mid_gray_and_clips():
    picture = read_dicom(make_dicom(window=(1000, 500)))
    pixels = np.asarray(render(picture)).astype(int)
    ramp = RAMP.astype(int)
    assert pixels[ramp <= 750].max() == 0
    assert pixels[ramp >= 1250].min() == 255
    nearest = np.unravel_index(np.abs(ramp - 1000).argmin(), ramp.shape)
    assert abs(int(pixels[nearest]) - 128) <= 2


def test_monochrome1_is_inverted():
    normal = np.asarray(render(read_dicom(make_dicom(photometric="MONOCHROME2"))))
    inverted = read_dicom(make_dicom(photometric="MONOCHROME1"))
    assert inverted.monochrome1
    assert np.array_equal(np.asarray(render(inverted)).astype(int), 255 - normal.astype(int))


def test_rescale_slope_and_intercept_are_applied():
    picture = read_dicom(make_dicom(slope=2.0, intercept=-1024))
    assert picture.value_range == (-1024.0, 2 * 4095.0 - 1024)


@pytest.mark.parametrize(
    "case, data, message",
    [
        ("empty", b"", "empty"),
        ("text with a .dcm name", b"Patient: Jane Doe " * 20, "not a readable DICOM"),
        ("no pixel data", make_dicom(pixel_data=b"")[:-8], "holds no image"),
        ("truncated pixel data", make_dicom()[:-2000], "corrupt or truncated"),
        (
            "compressed without a decoder",
            make_dicom(
                transfer=JPEGLSLossless, pixel_data=encapsulate([b"\xff\xd8\xff\xf7" + b"\0" * 64])
            ),
            r"compressed \(JPEG-LS Lossless",
        ),
        ("multi-frame", make_dicom(frames=3), "multi-frame"),
    ],
)
def test_unusable_dicom_says_why_in_one_line(case, data, message):
    with pytest.raises(ImageError, match=message) as caught:
        read_dicom(data, "upload.dcm")
    assert "\n" not in str(caught.value)
    assert not any(value in str(caught.value) for value in PHI_VALUES)


def test_size_limit():
    with pytest.raises(ImageError, match="over the"):
        read_dicom(make_dicom(), max_bytes=1000)


@pytest.mark.parametrize(
    "case, data, name, expected",
    [
        ("part 10 file", make_dicom(), "x", True),
        ("named .dcm", b"anything", "scan.DCM", True),
        ("png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "x.png", False),
    ],
)
def test_looks_like_dicom(case, data, name, expected):
    assert looks_like_dicom(data, name) is expected


def test_no_identifying_value_leaves_the_reader():
    picture = read_dicom(make_dicom(window=(1000, 500)))
    stored = pickle.dumps(picture) + repr(picture).encode() + repr(picture.info).encode()
    for value in PHI_VALUES:
        assert value.encode() not in stored, value


def test_upload_of_dicom_gives_a_windowable_picture_without_identifying_data():
    picture = decode_upload(make_dicom(window=(1000, 500)), "uploaded file.dcm")
    assert picture.kind == "DICOM" and picture.dicom is not None
    assert picture.original_size == (64, 48)
    assert len(picture.digest) == 64
    stored = pickle.dumps(picture)
    assert not any(value.encode() in stored for value in PHI_VALUES)
