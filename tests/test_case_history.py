"""A case's optional history: validated on load and read out as one line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cxr_auditor.core.case_format import History, LoadedCase, load_library


@pytest.mark.parametrize(
    ("history", "line"),
    [
        (History(), ""),
        (History(age=58, sex="female", view="PA"), "58-year-old woman, PA view."),
        (History(sex="male"), "Man."),
        (History(age=7), "7-year-old patient."),
        (History(view="AP", indication="fever"), "AP view. Indication: fever"),
        (History(indication="cough"), "Indication: cough"),
    ],
)
def test_history_reads_as_one_line(history: History, line: str) -> None:
    assert history.line() == line


@pytest.mark.parametrize("bad", [{"age": 91}, {"age": -1}, {"sex": "f"}, {"name": "x"}])
def test_history_refuses_identifying_or_unknown_fields(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        History.model_validate(bad)


def test_a_case_held_in_memory_serves_its_image_bytes() -> None:
    bundled = load_library().cases[0]
    in_memory = LoadedCase(bundled.case, folder=None, image_data=b"jpeg bytes")
    assert in_memory.image_path is None
    assert in_memory.image_bytes() == b"jpeg bytes"
    assert bundled.image_bytes()[:2] == b"\xff\xd8"
