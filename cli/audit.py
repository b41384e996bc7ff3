"""``cxr-auditor audit``: one image, one draft, one reference read → a readable audit or its
JSON."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from cxr_auditor.core.audit import reference_read, run_audit
from cxr_auditor.core.compare import SEVERITY_ORDER
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import DISCLAIMER, display_name
from cxr_auditor.core.reference import load_reference
from cxr_auditor.core.schemas import AuditResult, Flag
from cxr_auditor.serving.upload import decode_upload, png_bytes


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="audit a draft impression against an image read",
        description="Audit a draft impression against a reference read of the image. "
        "Research and education only; not a medical device.",
    )
    parser.add_argument(
        "--image",
        required=True,
        type=Path,
        help="chest X-ray: PNG, JPEG or DICOM (window/level from the file, MONOCHROME1 inverted;"
        " no header field is printed or written)",
    )
    draft = parser.add_mutually_exclusive_group(required=True)
    draft.add_argument("--draft", help="the draft impression text")
    draft.add_argument("--draft-file", type=Path, help="a UTF-8 text file with the draft")
    read = parser.add_mutually_exclusive_group(required=True)
    read.add_argument(
        "--findings",
        type=Path,
        help='reference read: JSON list of {"label", "box_2d"} with boxes in 0..1',
    )
    read.add_argument(
        "--grounder",
        choices=("triton",),
        help="read the image with the grounder served by Triton "
        "(CXR_TRITON_URL, CXR_TRITON_PROTOCOL, CXR_TRITON_TIMEOUT_S)",
    )
    parser.add_argument(
        "--parser",
        choices=("rules", "triton"),
        default="rules",
        help="draft parser: the embedded rules (default) or the model on Triton "
        "(falls back to the rules, and says so, when it fails)",
    )
    parser.add_argument(
        "--incomplete-reference",
        action="store_true",
        help="the reference read may omit findings (NIH-style boxes): "
        "unsupported assertions become notes",
    )
    parser.add_argument("--json", action="store_true", help="print the AuditResult as JSON")
    parser.set_defaults(func=run)


def _read_bytes(path: Path, what: str) -> bytes:
    if not path.exists():
        raise FileNotFoundError(f"{what} {path} does not exist")
    if not path.is_file():
        raise IsADirectoryError(f"{what} {path} is not a file")
    return path.read_bytes()


def _read_text(path: Path, what: str) -> str:
    try:
        return _read_bytes(path, what).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} is not UTF-8 text") from None


def _utf8_argument(text: str, what: str) -> str:
    """An argument as given; a shell passes bytes that are not UTF-8 as surrogates: refuse them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        byte = ord(text[error.start]) - 0xDC00
        shown = f"byte 0x{byte:02x}" if 0x80 <= byte <= 0xFF else "a character"
        raise InputError(f"{what} is not UTF-8 text ({shown} at position {error.start})") from None
    return text


def read_image(path: Path) -> tuple[bytes, str]:
    """The bytes a grounder is sent and the digest recorded, decoded as the app decodes uploads.

    PNG/JPEG: the file itself and its SHA-256. DICOM: the windowed picture as PNG (MONOCHROME1
    inverted) and the SHA-256 of the pixel values; the header never leaves ``serving.dicom``.
    Decoder warnings (pydicom on a damaged file) are silenced: the one-line error says it all.
    """
    data = _read_bytes(path, "image")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        picture = decode_upload(data, name=str(path))
    if picture.dicom is None:
        return data, picture.digest
    return png_bytes(picture.image), picture.digest


def run(args: argparse.Namespace) -> int:
    image_bytes, digest = read_image(args.image)
    draft = (
        _utf8_argument(args.draft, "--draft")
        if args.draft is not None
        else _read_text(args.draft_file, "draft file")
    )
    if args.grounder is None and args.parser == "rules":
        findings = load_reference(
            _read_text(args.findings, "findings file"), where=str(args.findings)
        )
        image = reference_read(
            findings, name=args.findings.name, complete=not args.incomplete_reference
        )
        result = run_audit(draft, image, image_bytes=image_bytes)
    else:
        result = _run_with_triton(args, draft, image_bytes)
    result.inputs.image_sha256 = digest
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), indent=2))
    else:
        print(format_audit(result))
    return 0


def _run_with_triton(args: argparse.Namespace, draft: str, image_bytes: bytes) -> AuditResult:
    """The audit with the model server for the image read and/or the draft (``CXR_TRITON_*``)."""
    from cxr_auditor.serving.client import TritonBackend

    with TritonBackend.from_env() as backend:
        if args.grounder == "triton":
            image = backend.image_read(image_bytes)
        else:
            findings = load_reference(
                _read_text(args.findings, "findings file"), where=str(args.findings)
            )
            image = reference_read(
                findings, name=args.findings.name, complete=not args.incomplete_reference
            )
        reader = backend.draft_reader() if args.parser == "triton" else None
        result = run_audit(draft, image, reader, image_bytes=image_bytes)
    if image.error is not None:
        print(f"cxr-auditor audit: warning: image not evaluated: {image.error}", file=sys.stderr)
    if result.parser.fallback_reason:
        print(
            "cxr-auditor audit: warning: draft read by the rules instead: "
            f"{result.parser.fallback_reason}",
            file=sys.stderr,
        )
    return result


def _flag_line(flag: Flag) -> str:
    parts = [f"[{flag.kind}] {display_name(flag.label)}"]
    if flag.reason:
        parts.append(f"({flag.reason})")
    if flag.in_draft is not None:
        parts.append("- in draft" if flag.in_draft else "- NOT in draft")
    line = " ".join(parts) + f"  rule {flag.rule}"
    for finding in flag.findings:
        box = ", ".join(f"{v:.2f}" for v in finding.box) if finding.box else "no box"
        line += f"\n      image {finding.id}: box [{box}]"
    for mention in flag.mentions:
        line += f'\n      draft {mention.span}: "{mention.text}"'
    return line + f"\n      {flag.explanation}"


def format_audit(result: AuditResult) -> str:
    """A plain-text audit for a terminal: flags by severity, then notes, then the disclaimer."""
    lines = [
        f"CXR draft audit  (image read: {result.grounder.kind} {result.grounder.name}; "
        f"draft read: {result.parser.kind})"
    ]
    found = ", ".join(display_name(f.label) for f in result.findings) or "none"
    lines.append(f"Image read: {found}")
    said = ", ".join(f"{display_name(m.label)} [{m.status}]" for m in result.mentions) or "none"
    lines.append(f"Draft says: {said}")
    flags = sorted(result.flags, key=lambda f: SEVERITY_ORDER.index(f.kind))
    lines.append(
        f"Flags: {len(flags)}"
        if flags
        else "Flags: none — draft and image read agree "
        "on the findings this tool checks (it checks only five findings)."
    )
    lines += ["  " + _flag_line(flag) for flag in flags]
    for note in result.notes:
        lines.append(f"  note [{note.kind}] {note.explanation}")
    lines.append(f"\n{DISCLAIMER}")
    return "\n".join(lines)
