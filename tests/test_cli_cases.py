"""``cxr-auditor cases import|list`` and ``cxr-auditor app``: output, exit codes, settings."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.cli import main
from cxr_auditor.cli.app import CONFIG_FILE, FALLBACK_SETTINGS, settings
from cxr_auditor.core.case_format import load_library, packaged_library

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "datasets"
REPO = Path(__file__).resolve().parents[1]


def write_image(path: Path, size: tuple[int, int] = (300, 250)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    array = np.random.default_rng(2).integers(0, 255, size[::-1], dtype=np.uint8)
    Image.fromarray(array).save(path)


def test_list_prints_every_packaged_case(capsys):
    assert main(["cases", "list"]) == 0
    out = capsys.readouterr().out
    count = len(load_library(packaged_library()).cases)
    assert out.splitlines()[0].startswith(f"{count} cases in ")
    assert "nih-00005140_001" in out and "pneumothorax" in out and "may be incomplete" in out


def test_list_json(capsys):
    assert main(["cases", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == []
    nih = [row for row in data["cases"] if row["source"] == "nih"]
    assert len(nih) >= 30 and all(row["reference_complete"] is False for row in nih)


def test_list_of_an_empty_library_fails(tmp_path, capsys):
    assert main(["cases", "list", "--library", str(tmp_path)]) == 2
    assert "no usable cases" in capsys.readouterr().err


def test_import_nih_then_list(tmp_path, capsys):
    write_image(tmp_path / "img" / "00000001_000.png")
    code = main(
        [
            "cases",
            "import",
            "--source",
            "nih",
            "--annotations",
            str(FIXTURES / "nih_bbox_sample.csv"),
            "--images",
            str(tmp_path / "img"),
            "--out",
            str(tmp_path / "lib"),
            "--max-side",
            "128",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "nih: 1 cases written" in out and "rows read" in out
    assert main(["cases", "list", "--library", str(tmp_path / "lib")]) == 0
    assert "nih-00000001_000" in capsys.readouterr().out
    with Image.open(tmp_path / "lib" / "nih-00000001_000" / "image.jpg") as image:
        assert max(image.size) == 128


def test_import_vindr_with_sizes_to_a_local_folder(tmp_path, capsys):
    write_image(tmp_path / "img" / "0a1b2c3d4e5f60718293a4b5c6d7e8f9.png", (2500, 3000))
    code = main(
        [
            "cases",
            "import",
            "--source",
            "vindr",
            "--annotations",
            str(FIXTURES / "vindr_boxes_sample.csv"),
            "--sizes",
            str(FIXTURES / "vindr_meta_sample.csv"),
            "--images",
            str(tmp_path / "img"),
            "--out",
            str(tmp_path / "lib"),
        ]
    )
    assert code == 0, capsys.readouterr().err
    case = json.loads(
        (tmp_path / "lib" / "vindr-0a1b2c3d4e5f60718293a4b5c6d7e8f9" / "case.json").read_text()
    )
    assert case["reference_complete"] is True and "PhysioNet" in case["source"]["license"]


@pytest.mark.parametrize(
    "case, argv, message",
    [
        (
            "vindr into the packaged library",
            ["--source", "vindr", "--sizes", str(FIXTURES / "vindr_meta_sample.csv")],
            "may not be redistributed",
        ),
        ("vindr without sizes", ["--source", "vindr", "--out", "{tmp}/lib"], "needs --sizes"),
        (
            "missing annotations",
            ["--source", "nih", "--annotations", "{tmp}/none.csv", "--out", "{tmp}/lib"],
            "does not exist",
        ),
        ("missing image folder", ["--source", "nih", "--images", "{tmp}/none"], "does not exist"),
        (
            "bad max side",
            ["--source", "nih", "--max-side", "10", "--out", "{tmp}/lib"],
            "--max-side",
        ),
    ],
)
def test_import_errors_are_one_line_with_exit_code_2(tmp_path, capsys, case, argv, message):
    (tmp_path / "img").mkdir()
    base = {
        "--annotations": str(FIXTURES / "vindr_boxes_sample.csv"),
        "--images": str(tmp_path / "img"),
    }
    for key, value in base.items():
        if key not in argv:
            argv = [*argv, key, value]
    argv = [part.replace("{tmp}", str(tmp_path)) for part in argv]
    assert main(["cases", "import", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_app_command_passes_the_project_settings(capsys):
    assert main(["app", "--print-command", "--port", "8600"]) == 0
    out = capsys.readouterr().out
    assert "-m streamlit run" in out and str(REPO / "ui" / "app.py") in out
    for flag in (
        "--server.maxUploadSize 50",
        "--server.enableXsrfProtection true",
        "--browser.gatherUsageStats false",
        "--client.toolbarMode minimal",
        "--server.port 8600",
        "--server.address localhost",
        "--server.headless true",
    ):
        assert flag in out


def test_config_file_matches_the_fallback_settings():
    data = tomllib.loads(CONFIG_FILE.read_text())
    assert settings() == FALLBACK_SETTINGS
    assert data["server"]["enableXsrfProtection"] is True


def test_bad_port_is_refused(capsys):
    assert main(["app", "--port", "0"]) == 2
    assert "--port" in capsys.readouterr().err


def test_cases_help_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "cxr_auditor.cli", "cases", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "import" in done.stdout and "list" in done.stdout
