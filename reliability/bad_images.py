"""A catalogue of bad and unusual images and DICOMs, each through every image loader of the project.

Every file is made here, on the fly, with PIL, numpy and pydicom (no real patient anywhere): empty
and truncated files, text and HTML renamed ``.png``, decompression bombs, huge dimensions, 16-bit,
RGBA, palette, CMYK JPEG, metadata that names a patient, and DICOMs (MONOCHROME1, compressed
without a codec, multi-frame, no pixels, NaN pixels, identifying header fields...). Each goes
through the app's upload path (``serving.upload.decode_upload``), the CLI's loader
(``serving.image_files.load_image``, PNG/JPEG only) and the model server's decoder
(``serving.images.decode_image``, PNG/JPEG only). A row says accepted or refused with the one-line
message; an exception other than the loader's own error is a crash.

Privacy check: every identifying value planted in a file (DICOM PatientName, PatientID,
PatientBirthDate and others; a PNG text chunk; JPEG EXIF and comment) is searched for in everything
the app keeps or shows: the pickled picture (what the app's cache stores), the picture's metadata,
the PNG sent to a model server, the annotated PNG and the JSON export of an audit of that image,
and every error message. The script exits 1 on a crash, an outcome other than the expected one, a
message over more than one line, or an identifying value found::

    python bench/bad_images.py
"""

from __future__ import annotations

import io
import pickle
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, PngImagePlugin

from cxr_auditor.core.audit import failed_read, rule_reader, run_audit
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.schemas import ReaderIdentity
from cxr_auditor.reliability.fuzz_common import machine, table

if TYPE_CHECKING:
    from cxr_auditor.serving.upload import Picture

SERVER_MAX_BYTES = 33_554_432  # triton_repo/grounder/config.pbtxt: max_image_bytes
PHI = {
    "PatientName": "Doe^Jane^Quincy",
    "PatientID": "PID-998877",
    "PatientBirthDate": "19610203",
    "OtherPatientIDs": "OTHER-4242",
    "PatientAddress": "12 Example Street",
    "InstitutionName": "Saint Example Hospital",
    "AccessionNumber": "ACC-554433",
    "ReferringPhysicianName": "Smith^Johnathan",
    "StudyDate": "20240102",
}
PHI_VALUES = [
    "Doe",
    "Jane",
    "Quincy",
    "PID-998877",
    "19610203",
    "OTHER-4242",
    "12 Example Street",
    "Saint Example",
    "ACC-554433",
    "Johnathan",
    "20240102",
]
CR_STORAGE = "1.2.840.10008.5.1.4.1.1.1"


@dataclass(frozen=True)
class Kind:
    name: str
    file_name: str
    data: bytes
    expected: str  # "accepted" or "refused"
    identifying: bool = False  # carries PHI values that must never come out


# ------------------------------------------------------------------------------ makers


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def gray(height: int = 64, width: int = 80, dtype: type = np.uint8, high: int = 255) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, high, (height, width)).astype(dtype)


def png_with_ihdr(width: int, height: int, bit_depth: int = 8, colour: int = 0) -> bytes:
    """A PNG whose header claims ``width``x``height`` but holds almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    ihdr = (
        width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([bit_depth, colour, 0, 0, 0])
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def bomb_png(side: int = 20_000) -> bytes:
    """A real, valid 1-bit PNG of side x side pixels that compresses to a few kilobytes."""
    row = b"\0" + b"\0" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
        )

    ihdr = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def text_chunk_bomb() -> bytes:
    """A PNG with a compressed text chunk that inflates to 64 MB."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "A" * 64_000_000, zip=True)
    return encode(Image.fromarray(gray()), "PNG", pnginfo=info)


def bad_crc_png() -> bytes:
    data = bytearray(encode(Image.fromarray(gray()), "PNG"))
    data[29] ^= 0xFF  # inside the IHDR CRC
    return bytes(data)


def png_with_patient_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("PatientName", PHI["PatientName"])
    info.add_text("Comment", f"{PHI['PatientID']} born {PHI['PatientBirthDate']}")
    return encode(Image.fromarray(gray()), "PNG", pnginfo=info)


def jpeg_with_patient_exif() -> bytes:
    image = Image.fromarray(np.stack([gray()] * 3, axis=-1))
    exif = image.getexif()
    exif[0x013B] = PHI["PatientName"]  # Artist
    exif[0x010E] = f"{PHI['PatientID']} {PHI['PatientBirthDate']}"  # ImageDescription
    return encode(image, "JPEG", exif=exif.tobytes(), comment=PHI["PatientAddress"].encode())


def dicom(
    pixels: np.ndarray | None = None,
    *,
    photometric: str = "MONOCHROME2",
    transfer: str | None = None,
    pixel_data: bytes | None = None,
    preamble: bool = True,
    extra: dict[str, object] | None = None,
    bits: int = 16,
    samples: int = 1,
) -> bytes:
    """A CR DICOM file with every identifying field of ``PHI`` filled with made-up values."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

    pixels = gray(48, 64, np.uint16, 4096) if pixels is None else pixels
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID(CR_STORAGE)
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = UID(transfer) if transfer else ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    for key, value in PHI.items():
        setattr(ds, key, value)
    ds.SOPClassUID, ds.SOPInstanceUID = CR_STORAGE, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.ViewPosition = "CR", "PA"
    ds.Rows, ds.Columns = pixels.shape[:2]
    ds.SamplesPerPixel = samples
    if samples > 1:
        ds.PlanarConfiguration = 0
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = (
        bits,
        bits if bits == 8 else 12,
        (7 if bits == 8 else 11),
    )
    ds.PixelRepresentation = 0
    for name, extra_value in (extra or {}).items():
        setattr(ds, name, extra_value)
    ds.PixelData = pixel_data if pixel_data is not None else pixels.tobytes()
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=preamble, implicit_vr=False, little_endian=True)
    return buffer.getvalue()


def dicom_float(nan: bool) -> bytes:
    """A DICOM with 32-bit float pixels (Float Pixel Data), with one NaN when ``nan``."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

    pixels = np.linspace(-1.0, 1.0, 256, dtype=np.float32).reshape(16, 16)
    if nan:
        pixels[3, 3] = np.nan
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID(CR_STORAGE)
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    for key, value in PHI.items():
        setattr(ds, key, value)
    ds.Modality, ds.Rows, ds.Columns = "CR", 16, 16
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated = 32
    ds.FloatPixelData = pixels.tobytes()
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True, implicit_vr=False, little_endian=True)
    return buffer.getvalue()


def catalogue() -> list[Kind]:
    """Every kind of file, made now; at least 20 (the issue's list plus more)."""
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEG2000Lossless, JPEGLSLossless

    rgb = np.stack([gray(), gray()[::-1], gray()[:, ::-1]], axis=-1)
    good_png = encode(Image.fromarray(gray()), "PNG")
    good_jpeg = encode(Image.fromarray(rgb), "JPEG", quality=90)
    ramp16 = (np.arange(64 * 80, dtype=np.uint32).reshape(64, 80) * 12).astype(np.uint16)
    makers: list[tuple[str, str, Callable[[], bytes], str, bool]] = [
        ("zero-byte file", "empty.png", lambda: b"", "refused", False),
        ("PNG signature only", "sig.png", lambda: good_png[:8], "refused", False),
        (
            "truncated PNG (cut in the pixel data)",
            "cut.png",
            lambda: good_png[: len(good_png) // 2],
            "refused",
            False,
        ),
        (
            "truncated JPEG (half the file)",
            "cut.jpg",
            lambda: good_jpeg[: len(good_jpeg) // 2],
            "refused",
            False,
        ),
        ("PNG with a broken CRC", "crc.png", bad_crc_png, "refused", False),
        (
            "text renamed .png",
            "notes.png",
            lambda: b"Impression: normal chest. " * 40,
            "refused",
            False,
        ),
        (
            "HTML/script renamed .png",
            "x.png",
            lambda: b"<html><script>alert(document.cookie)</script></html>",
            "refused",
            False,
        ),
        (
            "GIF renamed .png",
            "gif.png",
            lambda: encode(Image.fromarray(gray()), "GIF"),
            "refused",
            False,
        ),
        (
            "BMP renamed .jpg",
            "bmp.jpg",
            lambda: encode(Image.fromarray(gray()), "BMP"),
            "refused",
            False,
        ),
        (
            "WebP renamed .png",
            "webp.png",
            lambda: encode(Image.fromarray(rgb), "WEBP"),
            "refused",
            False,
        ),
        (
            "decompression bomb (20000x20000 1-bit PNG, few KB)",
            "bomb.png",
            bomb_png,
            "refused",
            False,
        ),
        (
            "huge dimensions in the header (100000x100000)",
            "huge.png",
            lambda: png_with_ihdr(100_000, 100_000),
            "refused",
            False,
        ),
        ("zero width in the header", "zero.png", lambda: png_with_ihdr(0, 10), "refused", False),
        (
            "compressed text chunk that inflates to 64 MB",
            "zbomb.png",
            text_chunk_bomb,
            "refused",
            False,
        ),
        (
            "16-bit grayscale PNG",
            "16bit.png",
            lambda: encode(Image.fromarray(ramp16), "PNG"),
            "accepted",
            False,
        ),
        (
            "16-bit PNG, constant value",
            "flat16.png",
            lambda: encode(Image.fromarray(np.full((20, 20), 777, np.uint16)), "PNG"),
            "accepted",
            False,
        ),
        (
            "RGBA PNG",
            "rgba.png",
            lambda: encode(
                Image.fromarray(np.dstack([rgb, np.full(gray().shape, 128, np.uint8)])), "PNG"
            ),
            "accepted",
            False,
        ),
        (
            "gray + alpha PNG",
            "la.png",
            lambda: encode(Image.fromarray(gray()).convert("LA"), "PNG"),
            "accepted",
            False,
        ),
        (
            "palette PNG with transparency",
            "p.png",
            lambda: encode(Image.fromarray(rgb).convert("P"), "PNG", transparency=0),
            "accepted",
            False,
        ),
        (
            "1-bit PNG",
            "bw.png",
            lambda: encode(Image.fromarray(gray()).convert("1"), "PNG"),
            "accepted",
            False,
        ),
        (
            "CMYK JPEG",
            "cmyk.jpg",
            lambda: encode(Image.fromarray(rgb).convert("CMYK"), "JPEG"),
            "accepted",
            False,
        ),
        (
            "progressive grayscale JPEG",
            "prog.jpg",
            lambda: encode(Image.fromarray(gray()), "JPEG", progressive=True),
            "accepted",
            False,
        ),
        (
            "1x1 PNG",
            "dot.png",
            lambda: encode(Image.fromarray(np.zeros((1, 1), np.uint8)), "PNG"),
            "accepted",
            False,
        ),
        (
            "extreme aspect ratio (20000x1)",
            "line.png",
            lambda: encode(Image.fromarray(np.zeros((1, 20_000), np.uint8)), "PNG"),
            "accepted",
            False,
        ),
        (
            "PNG text chunks naming the patient",
            "named.png",
            png_with_patient_text,
            "accepted",
            True,
        ),
        (
            "JPEG with EXIF and a comment naming the patient",
            "named.jpg",
            jpeg_with_patient_exif,
            "accepted",
            True,
        ),
        (
            "DICOM MONOCHROME1",
            "mono1.dcm",
            lambda: dicom(photometric="MONOCHROME1"),
            "accepted",
            True,
        ),
        (
            "DICOM with patient name, ID, birth date and more",
            "Doe_Jane.dcm",
            dicom,
            "accepted",
            True,
        ),
        (
            "DICOM without the 128-byte preamble",
            "raw.dcm",
            lambda: dicom(preamble=False),
            "accepted",
            True,
        ),
        ("DICOM 8-bit", "8bit.dcm", lambda: dicom(gray(), bits=8), "accepted", True),
        (
            "DICOM RGB",
            "rgb.dcm",
            lambda: dicom(rgb, photometric="RGB", bits=8, samples=3),
            "accepted",
            True,
        ),
        (
            "DICOM with malformed window values",
            "window.dcm",
            lambda: dicom(extra={"WindowCenter": "1000", "WindowWidth": "0"}),
            "accepted",
            True,
        ),
        (
            "DICOM JPEG-LS compressed, no codec installed",
            "jls.dcm",
            lambda: dicom(
                transfer=JPEGLSLossless, pixel_data=encapsulate([b"\xff\xd8\xff\xf7" + b"\0" * 64])
            ),
            "refused",
            True,
        ),
        (
            "DICOM JPEG 2000 compressed, no codec installed",
            "j2k.dcm",
            lambda: dicom(
                transfer=JPEG2000Lossless,
                pixel_data=encapsulate([b"\xff\x4f\xff\x51" + b"\0" * 64]),
            ),
            "refused",
            True,
        ),
        (
            "DICOM whose transfer syntax UID names no transfer syntax (found by atheris)",
            "uid.dcm",
            lambda: dicom(transfer="1.2.840.11.2..1.2.1"),
            "refused",
            True,
        ),
        (
            "DICOM with an element of unknown VR, read lazily (found by atheris)",
            "vr.dcm",
            lambda: dicom().replace(b"\x28\x00\x11\x00US", b"\x28\x00\x11\x00U\x13", 1),
            "refused",
            True,
        ),
        (
            "DICOM without pixel data",
            "nopix.dcm",
            lambda: dicom(pixel_data=b"")[:-8],
            "refused",
            True,
        ),
        ("DICOM with truncated pixel data", "cutpix.dcm", lambda: dicom()[:-2000], "refused", True),
        (
            "DICOM multi-frame",
            "frames.dcm",
            lambda: dicom(extra={"NumberOfFrames": 3}),
            "refused",
            True,
        ),
        (
            "DICOM header claiming 60000x60000",
            "big.dcm",
            lambda: dicom(extra={"Rows": 60_000, "Columns": 60_000}),
            "refused",
            True,
        ),
        ("DICOM with zero rows", "zerorows.dcm", lambda: dicom(extra={"Rows": 0}), "refused", True),
        ("DICOM 32-bit float pixels", "float.dcm", lambda: dicom_float(False), "accepted", True),
        ("DICOM float pixels with NaN", "nan.dcm", lambda: dicom_float(True), "refused", True),
        (
            "text renamed .dcm (a note with a name)",
            "note.dcm",
            lambda: f"Patient {PHI['PatientName']} {PHI['PatientID']}".encode() * 20,
            "refused",
            True,
        ),
    ]
    return [
        Kind(name, file_name, make(), expected, identifying)
        for name, file_name, make, expected, identifying in makers
    ]


# ------------------------------------------------------------------------------ checking


@dataclass
class Row:
    kind: Kind
    outcome: str  # accepted / refused / crash
    message: str
    seconds: float
    problems: list[str]


def _leaks(blobs: dict[str, bytes]) -> list[str]:
    found = []
    for where, blob in blobs.items():
        for value in PHI_VALUES:
            for encoding in ("utf-8", "utf-16-le", "latin-1"):
                if value.encode(encoding) in blob:
                    found.append(f"{value!r} in {where}")
                    break
    return found


def _app_outputs(picture: Picture) -> dict[str, bytes]:
    """What the app keeps or shows for an accepted upload, as bytes to search."""
    from cxr_auditor.serving.upload import png_bytes
    from cxr_auditor.ui.services import export

    image = picture.image
    identity = ReaderIdentity(role="grounder", kind="none", name="none")
    result = run_audit("No pneumothorax.", failed_read(identity, "no reader"), rule_reader())
    result.inputs.image_sha256 = picture.digest
    provenance = export.provenance(None, picture.kind)
    return {
        "the cached picture (pickle)": pickle.dumps(picture),
        "the picture's metadata": repr(image.info).encode("utf-8", "replace"),
        "the DICOM facts shown": repr(getattr(picture.dicom, "info", {})).encode(
            "utf-8", "replace"
        ),
        "the PNG sent to a model server": png_bytes(image),
        "the annotated PNG export": export.annotated_png(image, provenance),
        "the JSON export": export.audit_json(result, provenance),
    }


def check(kind: Kind) -> Row:
    from cxr_auditor.serving.image_files import LoadedImage, load_image
    from cxr_auditor.serving.images import decode_image
    from cxr_auditor.serving.upload import decode_upload

    problems: list[str] = []
    started = time.perf_counter()
    try:
        picture = decode_upload(kind.data, f"uploaded file{Path(kind.file_name).suffix}")
        outcome, message = (
            "accepted",
            f"{picture.kind} {picture.original_size[0]}x{picture.original_size[1]}",
        )
    except AuditorError as error:
        picture, outcome, message = None, "refused", str(error)
    except Exception as error:
        picture, outcome, message = None, "crash", f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    if outcome != kind.expected:
        problems.append(f"expected {kind.expected}, got {outcome}")
    if "\n" in message or not message:
        problems.append("the message is not one line")
    blobs = {"the message": message.encode("utf-8", "replace")}
    if picture is not None and kind.identifying:
        blobs.update(_app_outputs(picture))
    if not kind.file_name.endswith(".dcm"):  # the CLI's loader and the server's decoder too
        for name, load in (
            ("CLI load_image", lambda: load_image(kind.data, "image")),
            ("server decode_image", lambda: decode_image(kind.data, SERVER_MAX_BYTES)),
        ):
            try:
                loaded = load()
                if kind.identifying:
                    image = loaded.image if isinstance(loaded, LoadedImage) else loaded
                    blobs[f"{name} metadata"] = repr(image.info).encode("utf-8", "replace")
                other = "accepted"
            except AuditorError as error:
                other = "refused"
                blobs[f"{name} message"] = str(error).encode()
            except Exception as error:
                other = "crash"
                problems.append(f"{name} crashed: {type(error).__name__}: {error}"[:160])
            if other != outcome and other != "crash":
                problems.append(f"{name} {other} it but the app {outcome} it")
    problems += [f"identifying value {leak}" for leak in _leaks(blobs)]
    return Row(kind, outcome, message, seconds, problems)


def main() -> int:
    import warnings

    warnings.simplefilter("ignore")  # pydicom warns about the malformed headers made here
    kinds = catalogue()
    rows = [check(kind) for kind in kinds]
    print(
        f"Bad-image catalogue: {len(rows)} kinds through the app's upload path, the CLI loader and "
        f"the model server's decoder; {machine()}"
    )
    print(
        table(
            ["kind", "expected", "outcome", "ms", "message (one line, as shown)"],
            [
                [
                    r.kind.name,
                    r.kind.expected,
                    r.outcome,
                    r.seconds * 1000,
                    (r.message[:110] + "…") if len(r.message) > 110 else r.message,
                ]
                for r in rows
            ],
        )
    )
    checked = [r for r in rows if r.kind.identifying]
    print(
        f"\nidentifying values planted in {len(checked)} files ({', '.join(PHI)}; PNG text, EXIF, "
        "JPEG comment); searched in messages, the cached picture, metadata, DICOM facts, the PNG "
        "sent to a model server, the PNG and JSON exports"
    )
    failures = [r for r in rows if r.problems]
    for row in failures:
        print(f"FAIL {row.kind.name}: {'; '.join(row.problems)}")
    crashes = sum(r.outcome == "crash" for r in rows)
    print(
        f"\n{len(rows)} kinds: {sum(r.outcome == 'accepted' for r in rows)} accepted, "
        f"{sum(r.outcome == 'refused' for r in rows)} refused, {crashes} crashes; identifying "
        f"values found: {sum(p.startswith('identifying') for r in rows for p in r.problems)}; "
        f"slowest {max(r.seconds for r in rows) * 1000:.0f} ms: "
        f"{'PASS' if not failures else 'FAIL'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
