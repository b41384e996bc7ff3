"""Template word files: sections, keys and placeholders are checked on load."""

from __future__ import annotations

import pytest

from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.templates import load_templates

REQUIRED = {"GREETING": frozenset({"short", "long"})}
ALLOWED = frozenset({"name"})


@pytest.mark.parametrize(
    "body, message",
    [
        ('[GREETING]\nshort = "Hi {name}."\n', "must have keys"),
        ('[GREETING]\nshort = "Hi."\nlong = "Hello {patient}."\n', "patient"),
        ('[GREETING]\nshort = "Hi."\nlong = "Hello {name."\n', "bad braces"),
        ('[GREETING]\nshort = ""\nlong = "Hello."\n', "non-empty"),
        ('[OTHER]\nx = "y"\n', "unknown section"),
        ("[GREETING\n", "not valid TOML"),
    ],
)
def test_bad_files_name_file_section_and_allowed_values(tmp_path, body, message):
    path = tmp_path / "words.toml"
    path.write_text(body)
    with pytest.raises(DataFileError, match=message) as caught:
        load_templates("unused", REQUIRED, ALLOWED, path)
    assert str(path) in str(caught.value)


def test_a_good_file_loads(tmp_path):
    path = tmp_path / "words.toml"
    path.write_text('[GREETING]\nshort = "Hi {name}."\nlong = "Hello, {name}."\n')
    assert load_templates("unused", REQUIRED, ALLOWED, path)["GREETING"]["short"] == "Hi {name}."


@pytest.mark.parametrize("packaged", ["text/explanations.toml", "text/box_feedback.toml"])
def test_packaged_files_are_found(packaged):
    from cxr_auditor.core import explain, score_boxes

    module = explain if "explanations" in packaged else score_boxes
    assert load_templates(packaged, module.REQUIRED, module.PLACEHOLDERS)
