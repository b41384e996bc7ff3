"""Case bundles: one case as a zip holding ``case.json`` and its image, to share cases between apps.

``export_bundle`` writes the zip (fixed timestamps, so the same case gives the same bytes; the
disclaimer as the zip's comment); it refuses a case whose source may not be redistributed.
``read_bundle`` checks a zip completely before anything is stored and refuses, in one line:
a file that is not a zip or is too large; any entry with an absolute path, ``..``, a backslash or a
drive letter, a folder, a symbolic link, an encrypted entry, a repeated name or a name other than
``case.json`` and the image it names; a missing ``case.json`` or image; an entry whose declared
size is over its limit (refused before it is read; reads are capped as well, in case the zip lies);
a ``case.json`` that fails the ``Case`` model or ``core.authored``'s rules; an image that does not
decode or does not match the width and height given. Storing the result is ``db.case_store``'s job
(``save_imported``: one transaction, duplicate ids refused or renamed). No streamlit here.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from cxr_auditor.core.authored import MAX_CASE_JSON, parse_case_json
from cxr_auditor.core.case_format import CASE_FILE, Case, case_json
from cxr_auditor.core.errors import AuditorError, InputError
from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.serving.upload import CASE_IMAGE_MAX_BYTES, check_case_image

MAX_BUNDLE_BYTES = CASE_IMAGE_MAX_BYTES + 2**20  # the zip file itself: the image and case.json
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class BundleError(InputError):
    """A bundle that cannot be exported or imported, with the reason in one line."""


@dataclass(frozen=True)
class Bundle:
    """A checked case and its image bytes, as read from a bundle."""

    case: Case
    image: bytes


def why_not_exported(case: Case) -> str | None:
    """Why a case may not leave this app as a bundle (its source forbids sharing), or None."""
    if case.source.redistributable:
        return None
    return (
        f"case {case.id}: its source ({case.source.license or 'no licence given'}) does not "
        "allow sharing it outside this app, so it is not exported"
    )


def export_bundle(case: Case, image: bytes) -> bytes:
    """The zip bytes of a bundle; BundleError when the case's source may not be redistributed."""
    refusal = why_not_exported(case)
    if refusal is not None:
        raise BundleError(refusal)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.comment = DISCLAIMER.encode("utf-8")[:65535]
        entry = zipfile.ZipInfo(CASE_FILE, ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, case_json(case).encode("utf-8"))
        archive.writestr(zipfile.ZipInfo(case.image, ZIP_TIME), image)  # stored: already packed
    return buffer.getvalue()


def bundle_name(case: Case) -> str:
    """The file name offered for a case's bundle."""
    return f"{case.id}.zip"


def _bad_name(info: zipfile.ZipInfo) -> str | None:
    """Why an entry's name or kind is refused, or None."""
    name = info.filename
    if info.is_dir():
        return "is a folder; a bundle holds two files at its top level"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return "is compressed with a method other than stored or deflate (what export writes)"
    path = PurePosixPath(name)
    if (
        "\\" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or ".." in path.parts
        or len(path.parts) != 1
    ):
        return "has a path; a bundle holds plain file names only (no folders, '..' or '/')"
    return None


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str) -> bytes:
    """An entry's bytes, refused when it declares (or turns out to hold) more than ``limit``."""
    if info.file_size > limit:
        raise BundleError(
            f"{what} ({info.filename}) is {info.file_size / 2**20:.1f} MB unpacked, over the "
            f"{limit / 2**20:.1f} MB limit"
        )
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise BundleError(f"{what} ({info.filename}) unpacks to more than its declared size")
    return data


def read_bundle(data: bytes, name: str = "bundle") -> Bundle:
    """A bundle's checked case and image; BundleError (one line) on anything of the docstring."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the {MAX_BUNDLE_BYTES / 2**20:.0f} MB "
            "limit for a bundle"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _read_archive(archive, name)
    except zipfile.BadZipFile as error:
        raise BundleError(f"{name}: not a readable zip file ({error})") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error) as error:
        raise BundleError(f"{name}: the zip cannot be read ({error})") from None
    except BundleError as error:
        raise BundleError(f"{name}: {error}") from None
    except AuditorError as error:  # the case or its image
        raise BundleError(f"{name}: {error}") from None


def _read_archive(archive: zipfile.ZipFile, name: str) -> Bundle:
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        reason = _bad_name(info)
        if reason:
            raise BundleError(f"entry {info.filename!r} {reason}")
        if info.filename in entries:
            raise BundleError(f"entry {info.filename!r} appears twice")
        entries[info.filename] = info
    if CASE_FILE not in entries:
        raise BundleError(f"no {CASE_FILE} in the zip (found: {', '.join(entries) or 'nothing'})")
    text_bytes = _read_capped(archive, entries[CASE_FILE], MAX_CASE_JSON, CASE_FILE)
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(f"{CASE_FILE} is not UTF-8 text") from None
    case = parse_case_json(text, CASE_FILE)
    extra = sorted(set(entries) - {CASE_FILE, case.image})
    if extra:
        raise BundleError(
            f"unexpected file(s) {', '.join(map(repr, extra))}; a bundle holds {CASE_FILE} and "
            f"the image it names ({case.image}) only"
        )
    if case.image not in entries:
        raise BundleError(f"the image {case.image!r} that {CASE_FILE} names is missing")
    image = _read_capped(archive, entries[case.image], CASE_IMAGE_MAX_BYTES, "the image")
    check_case_image(case, image, where=case.image)
    return Bundle(case, image)
