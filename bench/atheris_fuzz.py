"""Coverage-guided fuzzing (atheris, libFuzzer) of the parsers and the image loader.

The generated fuzzers (``fuzz_model_output.py``, ``fuzz_drafts.py``, ``bad_images.py``) know what
bad input looks like; atheris does not, it follows the code's branches instead. One target per
run, with the same checks as the generated fuzzers (an exception other than the project's own
error, or an invariant broken, is a finding and stops the run with the input saved)::

    pip install atheris                      # not a project dependency; wheels for CPython 3.11
    python bench/atheris_fuzz.py output -atheris_runs=200000     # model-output parser
    python bench/atheris_fuzz.py draft -atheris_runs=50000       # rule draft parser
    python bench/atheris_fuzz.py image -atheris_runs=20000       # upload decoder (PNG/JPEG/DICOM)
    python bench/atheris_fuzz.py reference -atheris_runs=100000  # READ.json loader

Every other argument goes to libFuzzer (``-max_total_time=60``, a corpus folder, ...). Targets:

- ``output``: bytes as UTF-8 text (with replacement) through ``parse_grounder_output`` and
  ``parse_draft_output``, checked like ``fuzz_model_output.py`` (status, repair log, every element
  kept or dropped with a reason, valid labels/boxes/spans, serializable);
- ``draft``: text through ``parse_draft``, checked like ``fuzz_drafts.py``;
- ``image``: bytes through ``serving.upload.decode_upload`` as ``.png`` and as ``.dcm``:
  accepted or ``ImageError``, nothing else;
- ``reference``: text through ``core.reference.load_reference``: findings or ``InputError``.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGETS = ("output", "draft", "image", "reference")


def seed_corpus(target: str, count: int = 300) -> str:
    """A temporary corpus folder seeded from the generated fuzzers' own inputs."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=f"atheris-{target}-"))
    if target in ("output", "reference"):
        from cxr_auditor.reliability.fuzz_model_output import make_case

        seeds = [make_case(0, i).raw.encode("utf-8", "replace")[:4096] for i in range(count)]
    elif target == "draft":
        from cxr_auditor.reliability.fuzz_drafts import SENTENCES

        seeds = [s.encode() for s in SENTENCES]
    else:
        from cxr_auditor.reliability.bad_images import catalogue

        seeds = [kind.data for kind in catalogue() if len(kind.data) <= 65536]
    for number, seed in enumerate(seeds):
        (folder / f"seed{number:04d}").write_bytes(seed)
    return str(folder)


def main() -> None:
    try:
        import atheris
    except ImportError:
        print(
            "atheris is not installed: pip install atheris (CPython 3.8-3.11 wheels)",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(
            f"usage: python bench/atheris_fuzz.py {{{','.join(TARGETS)}}} [libFuzzer options]",
            file=sys.stderr,
        )
        raise SystemExit(2)
    target = sys.argv.pop(1)
    import warnings

    warnings.simplefilter("ignore")  # pydicom warns on every malformed header it still reads
    with atheris.instrument_imports(
        include=["core", "cxr_auditor.serving.images", "cxr_auditor.ui.services"]
    ):
        from cxr_auditor.core.errors import AuditorError
        from cxr_auditor.core.parse_draft import parse_draft
        from cxr_auditor.core.reference import load_reference
        from cxr_auditor.core.repair_json import extract_json_list
        from cxr_auditor.serving.upload import decode_upload
    from cxr_auditor.reliability.fuzz_drafts import check as check_mentions
    from cxr_auditor.reliability.fuzz_model_output import check_draft, check_grounder

    draft = "Small left pleural effusion. No pneumothorax. Possible right lower lobe nodule."

    def output(data: bytes) -> None:
        raw = data.decode("utf-8", "replace")
        items = extract_json_list(raw).items
        for check in (lambda: check_grounder(raw, items), lambda: check_draft(raw, draft, items)):
            _, problems = check()
            assert not problems, (problems, raw[:200])

    def draft_target(data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        mentions, account = parse_draft(text)
        problems = check_mentions(text, mentions, account)
        assert not problems, (problems, text[:200])

    def image(data: bytes) -> None:
        for name in ("upload.png", "upload.dcm"):
            try:
                decode_upload(data, name)
            except AuditorError as error:
                assert "\n" not in str(error), str(error)

    def reference(data: bytes) -> None:
        try:
            load_reference(data.decode("utf-8", "replace"))
        except AuditorError:
            pass

    test = {"output": output, "draft": draft_target, "image": image, "reference": reference}[target]
    if not any(not arg.startswith("-") for arg in sys.argv[1:]):  # no corpus folder given
        sys.argv.append(seed_corpus(target))
    if not any(arg.startswith("-max_len=") for arg in sys.argv):
        sys.argv.append(f"-max_len={65536 if target == 'image' else 4096}")
    atheris.Setup(sys.argv, test)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
