"""Case bundles (``authoring.bundles``) and ``cxr-auditor cases export-bundle|import-bundle``.

A bundle exported from one database and imported into a fresh one gives the identical case and image
bytes. Each bad bundle is refused with one line on stderr, exit code 2 and nothing written to the
database; a 100 MB image is refused from its declared size, before it is read.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from authored_support import authored_case, film
from sqlalchemy import func, select

from cxr_auditor.authoring.bundles import BundleError, export_bundle, read_bundle
from cxr_auditor.cli import main
from cxr_auditor.core.case_format import case_json, load_library
from cxr_auditor.db import case_store, open_database
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import AuthoredCase

LIBRARY_CASE = "nih-00005140_001"


def zip_of(entries: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink is not None:
            link = zipfile.ZipInfo(symlink)
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def good_entries(case=None) -> dict[str, bytes]:
    case = case or authored_case("local-bundle1")
    return {"case.json": case_json(case).encode(), "image.jpg": film()}


def count(url: str) -> int:
    engine = open_database(url)
    with reading(engine) as db:
        n = db.execute(select(func.count(AuthoredCase.id))).scalar_one()
    engine.dispose()
    return n


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'import.sqlite3'}"


def import_bundle(path: Path, url: str, *extra: str) -> int:
    return main(["cases", "import-bundle", str(path), "--database-url", url, *extra])


def test_export_then_import_into_a_fresh_database_gives_identical_case_and_image(tmp_path, capsys):
    source_url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    engine = open_database(source_url)
    case, image = authored_case("local-roundtrip"), film(seed=7)
    case_store.save_case(engine, case, image, author="Dr. Lee")
    engine.dispose()
    out = tmp_path / "case.zip"
    assert (
        main(["cases", "export-bundle", "local-roundtrip", str(out), "--database-url", source_url])
        == 0
    )
    assert "bundle written" in capsys.readouterr().out
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert import_bundle(out, fresh) == 0
    assert "imported local-roundtrip: Breathless after a fall" in capsys.readouterr().out
    engine = open_database(fresh)
    loaded = case_store.load_case(engine, "local-roundtrip")
    assert loaded.case == case and loaded.image_bytes() == image
    assert case_json(loaded.case) == case_json(case)
    engine.dispose()
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["case.json", "image.jpg"]
        assert b"Not a medical device" in archive.comment


def test_the_same_case_exports_to_the_same_bytes():
    case, image = authored_case("local-same"), film()
    assert export_bundle(case, image) == export_bundle(case, image)


def test_a_library_case_exported_is_imported_under_a_local_id(tmp_path, url, capsys):
    out = tmp_path / "library.zip"
    assert main(["cases", "export-bundle", LIBRARY_CASE, str(out)]) == 0
    assert import_bundle(out, url) == 0
    printed = capsys.readouterr().out
    assert f"(its id was {LIBRARY_CASE})" in printed
    engine = open_database(url)
    (stored,), _ = case_store.list_cases(engine)
    original = load_library().get(LIBRARY_CASE)
    assert stored.case.id.startswith("local-")
    assert stored.case.model_copy(update={"id": LIBRARY_CASE}) == original.case
    assert case_store.load_case(engine, stored.case.id).image_bytes() == original.image_bytes()
    engine.dispose()


def test_a_case_whose_source_may_not_be_shared_is_not_exported():
    case = authored_case("local-private")
    private = case.model_copy(
        update={"source": case.source.model_copy(update={"redistributable": False})}
    )
    with pytest.raises(BundleError, match="does not allow sharing"):
        export_bundle(private, film())


def test_a_duplicate_id_is_refused_or_imported_under_a_new_id(tmp_path, url, capsys):
    path = tmp_path / "dup.zip"
    path.write_bytes(zip_of(good_entries()))
    assert import_bundle(path, url) == 0
    capsys.readouterr()
    assert import_bundle(path, url) == 2
    err = capsys.readouterr().err
    assert "already in the database; nothing was imported (--new-id" in err
    assert count(url) == 1
    assert import_bundle(path, url, "--new-id") == 0
    assert "(its id was local-bundle1)" in capsys.readouterr().out
    assert count(url) == 2


def _bad_bundles() -> dict[str, tuple[bytes, str]]:
    good = good_entries()
    case = authored_case("local-bundle1")
    wrong_schema = case_json(case).replace('"schema_version": 1', '"schema_version": 7')
    unknown_key = case_json(case).replace('"title"', '"secret": "x", "title"')
    bad_label = case_json(case).replace('"pneumothorax"', '"PTX"')
    wide = case_json(case).replace('"width": 320', '"width": 640')
    return {
        "missing image": (zip_of({"case.json": good["case.json"]}), "image 'image.jpg'"),
        "missing case.json": (zip_of({"image.jpg": good["image.jpg"]}), "no case.json"),
        "wrong schema version": (
            zip_of(good | {"case.json": wrong_schema.encode()}),
            "schema_version 7 is not supported",
        ),
        "unknown key": (
            zip_of(good | {"case.json": unknown_key.encode()}),
            "secret: Extra inputs are not permitted",
        ),
        "label not canonical": (
            zip_of(good | {"case.json": bad_label.encode()}),
            "'PTX' is not a canonical label",
        ),
        "size not the image's": (
            zip_of(good | {"case.json": wide.encode()}),
            "image is 320x256 pixels but case.json gives width 640",
        ),
        "image not decodable": (
            zip_of(good | {"image.jpg": b"\xff\xd8\xff" + b"0" * 500}),
            "image.jpg",
        ),
        "extra file": (zip_of(good | {"notes.txt": b"hello"}), "unexpected file(s) 'notes.txt'"),
        "parent folder": (zip_of(good | {"../case.json": b"{}"}), "'../case.json' has a path"),
        "absolute path": (zip_of(good | {"/etc/cron.d/x": b"x"}), "'/etc/cron.d/x' has a path"),
        "nested path": (zip_of(good | {"a/../../x": b"x"}), "has a path"),
        "backslash": (zip_of(good | {"..\\evil.jpg": b"x"}), "has a path"),
        "symbolic link": (zip_of(good, symlink="image.png"), "'image.png' is a symbolic link"),
        "not a zip": (b"PK\x03\x04 this is not really a zip", "not a readable zip file"),
    }


BAD = _bad_bundles()


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_bundle_is_refused_in_one_line_and_nothing_is_written(tmp_path, url, capsys, kind):
    data, message = BAD[kind]
    path = tmp_path / "bad.zip"
    path.write_bytes(data)
    assert import_bundle(path, url) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert count(url) == 0


def test_a_100_mb_image_is_refused_from_its_declared_size_before_it_is_read(
    tmp_path, url, capsys, monkeypatch
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("case.json", good_entries()["case.json"])
        with archive.open("image.jpg", "w", force_zip64=True) as entry:
            chunk = bytes(2**20)
            for _ in range(100):  # 100 MB of zeros: about 100 kB packed
                entry.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 2**20
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def watched(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", watched)
    path = tmp_path / "bomb.zip"
    path.write_bytes(data)
    assert import_bundle(path, url) == 2
    err = capsys.readouterr().err
    assert "the image (image.jpg) is 100.0 MB unpacked, over the 8.0 MB limit" in err
    assert opened == ["case.json"]  # the image was never opened
    assert count(url) == 0


def test_an_entry_that_unpacks_to_more_than_it_declares_is_refused():
    data = bytearray(zip_of(good_entries()))
    # The image's central directory entry (the second one) declares 100 bytes, a lie: the capped
    # read and the zip's own check refuse it.
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    assert data[second + 46 : second + 55] == b"image.jpg"
    data[second + 24 : second + 28] = (100).to_bytes(4, "little")
    with pytest.raises(BundleError, match="lying.zip: ") as error:
        read_bundle(bytes(data), "lying.zip")
    assert "\n" not in str(error.value)


def test_a_bundle_over_the_file_limit_is_refused_before_it_is_opened(tmp_path, url, capsys):
    path = tmp_path / "huge.zip"
    with path.open("wb") as handle:
        handle.truncate(200 * 2**20)  # sparse: no disk used
    assert import_bundle(path, url) == 2
    assert "over the 9 MB limit for a bundle" in capsys.readouterr().err


def corrupted(compression: int) -> bytes:
    """A good bundle whose case.json's compressed bytes are damaged (the CRC is not reached)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for entry, data in good_entries().items():
            archive.writestr(entry, data)
    raw = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("case.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 2, start + 40):
        raw[k] ^= 0x5A
    return bytes(raw)


@pytest.mark.parametrize(
    ("compression", "message"),
    [
        (zipfile.ZIP_DEFLATED, "the zip cannot be read"),
        (zipfile.ZIP_BZIP2, "compressed with a method other than stored or deflate"),
        (zipfile.ZIP_LZMA, "compressed with a method other than stored or deflate"),
    ],
)
def test_damaged_or_unusually_compressed_entries_are_refused_in_one_line(compression, message):
    with pytest.raises(BundleError, match=message) as refused:
        read_bundle(corrupted(compression))
    assert "\n" not in str(refused.value)
