"""The teaching explanations file validates on load."""

from __future__ import annotations

import pytest

from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.explain import REQUIRED, explain, load_explanations


def test_packaged_file_has_every_rule_outcome():
    data = load_explanations()
    assert {s: set(t) for s, t in data.items()} == {s: set(k) for s, k in REQUIRED.items()}


def test_explain_fills_placeholders():
    text = explain(
        "LATERALITY",
        "mismatch",
        name="Pneumothorax",
        phrase='"left pneumothorax"',
        draft_side="left",
        image_side="right",
    )
    assert '"left pneumothorax"' in text and "{" not in text


@pytest.mark.parametrize(
    "body, message",
    [
        ("[MISSING]\nomitted = 'x'\n", "must have keys"),
        ("[WRONG]\nnote = 'x'\n", "unknown section"),
        ("not toml = = =", "not valid TOML"),
    ],
)
def test_bad_files_are_refused_with_the_reason(tmp_path, body, message):
    path = tmp_path / "explanations.toml"
    path.write_text(body)
    with pytest.raises(DataFileError, match=message):
        load_explanations(path)


def test_unknown_placeholder_is_refused(tmp_path):
    from importlib import resources

    text = (resources.files("cxr_auditor.core") / "text" / "explanations.toml").read_text()
    text = text.replace(
        "but the image read does not show it.",
        "but the image read does not show it {patient_name}.",
        1,
    )
    path = tmp_path / "explanations.toml"
    path.write_text(text)
    with pytest.raises(DataFileError, match="patient_name"):
        load_explanations(path)
