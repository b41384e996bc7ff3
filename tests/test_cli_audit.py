"""``cxr-auditor audit`` end to end: real images, real reference reads, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.cli import main

REPO = Path(__file__).resolve().parents[1]
# A right apical pneumothorax: image-left is the patient's right.
READ = [
    {"label": "pneumothorax", "box_2d": [0.05, 0.10, 0.35, 0.40]},
    {"label": "cardiomegaly", "box_2d": [0.45, 0.30, 0.80, 0.75]},
]


def png(tmp_path: Path, name: str = "cxr.png", mode: str = "L", bits: int = 8) -> Path:
    rng = np.random.default_rng(1)
    if bits == 16:
        array = rng.integers(0, 65535, (40, 40), dtype=np.uint16)
    else:
        array = rng.integers(0, 255, (40, 40, 3 if mode in ("RGB", "RGBA") else 1), dtype=np.uint8)
        if mode == "RGBA":
            array = np.dstack([array, np.full((40, 40), 255, np.uint8)])
        array = array.squeeze()
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG" if name.endswith(".jpg") else "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def read_json(tmp_path: Path) -> Path:
    path = tmp_path / "read.json"
    path.write_text(json.dumps(READ))
    return path


def test_readable_audit_flags_a_denied_pneumothorax(tmp_path, read_json, capsys):
    code = main(
        [
            "audit",
            "--image",
            str(png(tmp_path)),
            "--findings",
            str(read_json),
            "--draft",
            "No pneumothorax. Heart size is normal.",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "[URGENT] Pneumothorax" in out and "NOT in draft" in out
    assert "[MISSING] Pneumothorax (denied)" in out
    assert "not a medical device" in out.lower()


def test_json_output_is_the_audit_result(tmp_path, read_json, capsys):
    draft = tmp_path / "draft.txt"
    draft.write_text("Large left pneumothorax. Cardiomegaly.")
    code = main(
        [
            "audit",
            "--image",
            str(png(tmp_path, "cxr.jpg", "RGB")),
            "--findings",
            str(read_json),
            "--draft-file",
            str(draft),
            "--json",
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {(f["kind"], f["label"]) for f in result["flags"]} == {
        ("URGENT", "pneumothorax"),
        ("LATERALITY", "pneumothorax"),
    }
    assert result["parser"]["kind"] == "rules" and result["grounder"]["kind"] == "reference"
    assert (
        result["inputs"]["image_sha256"] and "not a medical device" in result["disclaimer"].lower()
    )
    lat = next(f for f in result["flags"] if f["kind"] == "LATERALITY")
    start, end = lat["mentions"][0]["span"]
    assert lat["mentions"][0]["laterality"] == "left"
    assert "Large left pneumothorax. Cardiomegaly."[start:end] == lat["mentions"][0]["text"]


@pytest.mark.parametrize("mode, bits", [("L", 8), ("L", 16), ("RGB", 8), ("RGBA", 8)])
def test_png_variants_are_read(tmp_path, read_json, mode, bits, capsys):
    assert (
        main(
            [
                "audit",
                "--image",
                str(png(tmp_path, mode=mode, bits=bits)),
                "--findings",
                str(read_json),
                "--draft",
                "Right pneumothorax. Cardiomegaly.",
            ]
        )
        == 0
    )
    assert "[URGENT] Pneumothorax - in draft" in capsys.readouterr().out


def _bad(tmp_path: Path, kind: str, read_json: Path) -> tuple[list[str], str]:
    image = png(tmp_path)
    draft = ["--draft", "No acute abnormality."]
    if kind == "missing image":
        return [
            "--image",
            str(tmp_path / "nope.png"),
            "--findings",
            str(read_json),
            *draft,
        ], "does not exist"
    if kind == "empty image":
        (tmp_path / "empty.png").write_bytes(b"")
        return [
            "--image",
            str(tmp_path / "empty.png"),
            "--findings",
            str(read_json),
            *draft,
        ], "empty"
    if kind == "corrupt image":
        (tmp_path / "bad.png").write_bytes(image.read_bytes()[:120])
        return [
            "--image",
            str(tmp_path / "bad.png"),
            "--findings",
            str(read_json),
            *draft,
        ], "corrupt"
    if kind == "text as image":
        (tmp_path / "notes.png").write_text("hello")
        return [
            "--image",
            str(tmp_path / "notes.png"),
            "--findings",
            str(read_json),
            *draft,
        ], "not PNG or JPEG"
    if kind == "empty draft":
        return [
            "--image",
            str(image),
            "--findings",
            str(read_json),
            "--draft",
            "   ",
        ], "draft is empty"
    if kind == "directory as draft file":
        return [
            "--image",
            str(image),
            "--findings",
            str(read_json),
            "--draft-file",
            str(tmp_path),
        ], "not a file"
    bad_reads = {
        "read not json": ("[{label: x}", "not valid JSON"),
        "read not a list": ('{"label": "pneumothorax"}', "expected a JSON list"),
        "read unknown label": ('[{"label": "atelectasis", "box_2d": null}]', "not canonical"),
        "read box out of range": ('[{"label": "pneumothorax", "box_2d": [0, 0, 2, 1]}]', "box_2d"),
        "read extra key": ('[{"label": "pneumothorax", "box": [0, 0, 1, 1]}]', "keys must be"),
    }
    text, message = bad_reads[kind]
    path = tmp_path / "bad_read.json"
    path.write_text(text)
    return ["--image", str(image), "--findings", str(path), *draft], message


@pytest.mark.parametrize(
    "kind",
    [
        "missing image",
        "empty image",
        "corrupt image",
        "text as image",
        "empty draft",
        "directory as draft file",
        "read not json",
        "read not a list",
        "read unknown label",
        "read box out of range",
        "read extra key",
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, read_json, capsys, kind):
    argv, message = _bad(tmp_path, kind, read_json)
    assert main(["audit", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], captured.err
    assert "Traceback" not in captured.err


def test_real_nih_case_through_a_subprocess(shared_data, tmp_path):
    image = shared_data / "nih_chestxray14_bbox" / "images" / "00005140_001.png"
    read = tmp_path / "read.json"
    read.write_text(json.dumps([{"label": "pneumothorax", "box_2d": [0.1, 0.55, 0.45, 0.95]}]))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cxr_auditor.cli",
            "audit",
            "--image",
            str(image),
            "--findings",
            str(read),
            "--draft",
            "No acute cardiopulmonary abnormality.",
            "--incomplete-reference",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    missing = [f for f in result["flags"] if f["kind"] == "MISSING"]
    assert [(f["label"], f["reason"]) for f in missing] == [("pneumothorax", "draft_normal")]
