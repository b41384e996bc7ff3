"""Mapping tables: packaged tables load and match the worked examples; bad tables fail loudly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cxr_auditor.core.datasets.maps import (
    PACKAGED_TABLES,
    fold,
    load_map_file,
    packaged_map,
    parse_map,
)
from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS

HEADER = "source_label,canonical,canonical_broad,rationale\n"


@pytest.mark.parametrize("name", PACKAGED_TABLES)
def test_packaged_table_loads_with_rows_and_valid_labels(name: str) -> None:
    table = packaged_map(name)
    assert table.rows, name
    for row in table.rows:
        for label in row.strict + row.broad:
            assert label in LABELS or (name == "iu_mesh" and label == "unlabeled")
        assert row.rationale


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("nih", "Effusion", ("pleural_effusion",)),
        ("nih", "  effusion ", ("pleural_effusion",)),
        ("nih", "INFILTRATE", ("lung_opacity_consolidation",)),
        ("nih", "Atelectasis", ()),
        ("nih", "Hernia", None),
        ("chestx_det", "diffuse   nodule", ()),
        ("chestx_det", "Pleural Thickening", ()),
        ("vindr", "nodule/mass", ("nodule_mass",)),
        ("vindr", "No Finding", ("no_finding",)),
        ("chexpert", "lung lesion", ("nodule_mass",)),
        ("iu_mesh", "Hydropneumothorax", ("pneumothorax", "pleural_effusion")),
    ],
)
def test_lookup_ignores_case_and_whitespace(
    name: str, query: str, expected: tuple[str, ...] | None
) -> None:
    assert packaged_map(name).lookup(query) == expected


@pytest.mark.parametrize(
    ("name", "query", "strict", "broad"),
    [
        ("nih", "Atelectasis", (), ("lung_opacity_consolidation",)),
        ("chestx_det", "Diffuse Nodule", (), ("nodule_mass",)),
        ("chestx_det", "Calcification", (), ()),
        ("vindr", "Pulmonary fibrosis", (), ("lung_opacity_consolidation",)),
        ("chexpert", "Edema", (), ("lung_opacity_consolidation",)),
        ("chexpert", "Pneumonia", ("lung_opacity_consolidation",), ("lung_opacity_consolidation",)),
    ],
)
def test_strict_and_broad_schemes(name: str, query: str, strict: tuple, broad: tuple) -> None:
    table = packaged_map(name)
    assert table.lookup(query, "strict") == strict
    assert table.lookup(query, "broad") == broad


@pytest.mark.parametrize(
    ("term", "qualifiers", "expected"),
    [
        ("Opacity", (), ("lung_opacity_consolidation",)),
        ("Opacity", ("lung", "base", "left"), ("lung_opacity_consolidation",)),
        ("Opacity", ("Ribs", "right"), ()),
        ("Opacity", ("pleural sinus", "bilateral"), ()),
        ("Mass", ("lung", "upper lobe"), ("nodule_mass",)),
        ("Mass", ("breast", "left"), ()),
        ("Cardiac Shadow", ("enlarged", "moderate"), ("cardiomegaly",)),
        ("Cardiac Shadow", ("left", "enlarged"), ("cardiomegaly",)),
        ("Cardiac Shadow", ("borderline",), ("cardiomegaly",)),
        ("Cardiac Shadow", ("obscured",), ()),
    ],
)
def test_iu_qualifier_conditions(
    term: str, qualifiers: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert packaged_map("iu_mesh").lookup(term, "strict", qualifiers) == expected


@pytest.mark.parametrize(
    ("folder", "name"), [("nih_chestxray14_bbox", "nih"), ("chestx_det", "chestx_det")]
)
def test_tables_mirror_the_worked_examples(shared_data: Path, folder: str, name: str) -> None:
    table = packaged_map(name)
    with (shared_data / folder / "label_to_canonical.csv").open(
        newline="", encoding="utf-8"
    ) as handle:
        rows = [row for row in csv.DictReader(handle) if not row["source_label"].startswith("(")]
    assert rows
    for row in rows:
        for scheme, column in (("strict", "canonical_strict"), ("broad", "canonical_broad")):
            expected = () if row[column] == "drop" else tuple(row[column].split("+"))
            assert table.lookup(row["source_label"], scheme) == expected, (
                row["source_label"],
                scheme,
            )


def test_iu_table_covers_every_term_of_the_rules(shared_data: Path) -> None:
    path = shared_data / "iu_xray_reports" / "iu_mesh_to_canonical_rules.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        terms = {
            row["mesh_term"]
            for row in csv.DictReader(handle)
            if not row["mesh_term"].startswith("(")
        }
    known = {fold(label) for label in packaged_map("iu_mesh").source_labels()}
    assert terms and {fold(term) for term in terms} <= known


BAD_TABLES = [
    (
        "unknown canonical",
        HEADER + "Effusion,effusion,pleural_effusion,why\n",
        2,
        "allowed: pleural_effusion",
    ),
    (
        "unknown broad",
        HEADER + "Effusion,pleural_effusion,fluid,why\n",
        2,
        "canonical_broad value 'fluid'",
    ),
    (
        "duplicate",
        HEADER + "Mass,nodule_mass,,a\nNodule,nodule_mass,,b\nMass,drop,,c\n",
        4,
        "first defined at line 2",
    ),
    (
        "duplicate by case",
        HEADER + "Mass,nodule_mass,,a\n  MASS ,nodule_mass,,b\n",
        3,
        "duplicate source label",
    ),
    ("empty rationale", HEADER + "Mass,nodule_mass,, \n", 2, "empty rationale"),
    ("empty source", HEADER + ",nodule_mass,,why\n", 2, "empty source_label"),
    ("drop joined", HEADER + "Mass,drop+nodule_mass,,why\n", 2, "joins 'drop' with labels"),
    (
        "no_finding joined",
        HEADER + "X,no_finding+cardiomegaly,,why\n",
        2,
        "joins no_finding with labels",
    ),
    ("repeated label", HEADER + "X,cardiomegaly+cardiomegaly,,why\n", 2, "repeats a label"),
    ("field count", HEADER + "Mass,nodule_mass,why\n", 2, "expected 4 fields"),
    (
        "unknown column",
        "source_label,canonical,rationale,notes\nMass,nodule_mass,why,x\n",
        1,
        "unknown column 'notes'",
    ),
    (
        "missing column",
        "source_label,canonical\nMass,nodule_mass\n",
        1,
        "missing column 'rationale'",
    ),
    (
        "qualifier not allowed",
        "source_label,qualifier,canonical,rationale\nMass,,nodule_mass,why\n",
        1,
        "unknown column",
    ),
    (
        "unlabeled not allowed",
        HEADER + "No Indexing,unlabeled,,why\n",
        2,
        "'unlabeled' is not allowed",
    ),
    ("empty file", "", 1, "empty mapping table"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "message"), BAD_TABLES, ids=[row[0] for row in BAD_TABLES]
)
def test_bad_table_raises_with_file_line(
    tmp_path: Path, case: str, text: str, line: int, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_map_file(path)
    assert f"{path}:{line}:" in str(caught.value), case
    assert message in str(caught.value), case


BAD_QUALIFIERS = [
    ("unknown op", "Opacity,near:lung,drop,,why\n", "qualifier 'near:lung' is not allowed"),
    ("no value", "Opacity,first:,drop,,why\n", "allowed: empty, first:<qualifier>"),
    ("unlabeled joined", "No Indexing,,unlabeled+cardiomegaly,,why\n", "joins no_finding/"),
    (
        "duplicate condition",
        "Opacity,first:ribs,drop,,a\nOpacity,FIRST:Ribs,drop,,b\n",
        "duplicate source label 'Opacity'",
    ),
]


@pytest.mark.parametrize(
    ("case", "rows", "message"), BAD_QUALIFIERS, ids=[row[0] for row in BAD_QUALIFIERS]
)
def test_bad_qualifier_rows(tmp_path: Path, case: str, rows: str, message: str) -> None:
    path = tmp_path / "iu.csv"
    path.write_text(
        "source_label,qualifier,canonical,canonical_broad,rationale\n" + rows, encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=message):
        load_map_file(path, allow_qualifier=True, extra_values=("unlabeled",))


def test_good_table_from_path_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(
        "source_label,canonical,rationale\nBig Heart,cardiomegaly,same\nRib fracture,drop,other\n"
    )
    table = load_map_file(path)
    assert table.lookup("big  heart", "broad") == ("cardiomegaly",)  # broad defaults to strict
    assert table.lookup("rib fracture") == ()
    assert table.lookup("Hernia") is None
    assert [row.line for row in table.rows] == [2, 3]


def test_unreadable_table_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read mapping table"):
        load_map_file(tmp_path / "missing.csv")


def test_unknown_packaged_table_lists_the_allowed_names() -> None:
    with pytest.raises(DataFileError, match="allowed: nih, chestx_det"):
        packaged_map("mimic")


def test_parse_map_names_the_given_location() -> None:
    with pytest.raises(DataFileError, match=r"^maps/x\.csv:2: "):
        parse_map(HEADER + "Mass,tumour,,why\n", "maps/x.csv")
