"""The bad-image catalogue of bench/bad_images.py, one row per kind, through every image loader.

Each kind must come out as expected (accepted or refused with one line), never crash, and no
identifying value planted in a file (DICOM header fields, PNG text chunks, EXIF, a JPEG comment)
may appear in anything the app keeps or shows.
"""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from cxr_auditor.reliability.bad_images import (
    PHI_VALUES,
    catalogue,
    check,
    dicom_float,
    jpeg_with_patient_exif,
    png_with_patient_text,
)
from cxr_auditor.serving.image_files import load_image
from cxr_auditor.serving.images import decode_image
from cxr_auditor.serving.upload import decode_upload

KINDS = catalogue()

# Inputs atheris found (bench/atheris_fuzz.py image) that escaped read_dicom as a traceback;
# zlib-compressed, base85.
ATHERIS_FINDS = {
    "an element of unknown VR, read lazily by pydicom": (
        "c-pOzO^ee&7{~ufgHF??#ut_%2=TTE9VU}WG64@QX`#EgO<!ER6@wO9*lml(x04?A=E=h%UcKx|1rPffy!Zjc58z"
        "4Avrj6B2wub)27dEAf1c+*&zLZ=zjF~jms~5seIbPAA@{kWL!0syQnY_6WW-6sgGdXZ0<O7AG?$65lQ>Eu9s8j#l"
        "@1fBV<}}2MKaVP(ISeq376_z_@h&K^TDvSapC;c1w-?{xM1+m?J!6omGFgR7-G`5(Mi)*7%CM63^$QZOr&FmC%Be"
        "vVUjPFh1YwSAFdB(UVn9Wy(sbnhUXX#TucrZ#eBNEnlJNWo-aL@-dV=GtJ!onU(TkZdyD0*M-=y{nvLO3x0NJX$F"
        "U2s@!}^DIT3*ixTPYy-tUcDN-F81O_6i(<*)XW;?8VVcug3i(&ezTUH%}Efo)jiypFwWkfr@`w%3!MS5BR>g0g3^"
        "f8Io!2u2xmiHr@^iOdbvh$<TbK0kJm-5_WJFCAgG*vR@~y@oPUd@w7{ZTqOvVDG9=&m7k-*>Bi4_Pw#T9OuNYVQ}"
        "ib^NBsf)%tPmw?R~B5=XC2f319Uq?y!SG~TLzTGj)rU%y|yTs^t+1B9WD?*"
    ),
    "a transfer syntax UID that names no transfer syntax": (
        "c-qC3cW_iy6vl5t99KkLiaIKe>!>4+W_jDPyJPkqa1%|Cuz`hf7!}>Y9g{K5u#7V5i1glj@4bc&dFRkefY5sjy>|"
        "!@ihdhM{Lg=VJG<}ByZ7CD&i8%4RqFq}(lUctiMY3Fnxx8cPgDsi^hx}VD<Kj0R++CWhuvxSxedF+FbtpFV|Uoy_"
        "~L{48d%Zj?-kAzJJ#4;DL%t+yX-!@+wZeGybh1w>-YLRDTX)2>2~>z6hDR@huh~fd=8h#<%{oQ#Xj}^Jt;o0$A98"
        ";bud@|zs|s#x+<LUqRMWKjzU>B7gjlK7G+aujV;P)INgTBa9UJ0R@GFEgTZ8v$L)5xEb3bo3@55!3ybQgnucCc;Y"
        "e;l%$ELhB)=#xYRf2WSCkuz<XO}JmEFv$!uh$eoHk7ga|$A{oJfJqin`;^(+Z<)nnVhsZJM{wEoj>T&u!SPrpnGt"
        "OZNMHKCjoRjOtn({uESVxU5Q9<10cfGtyfmyPa;QRW-tsI?CaEdVDxm9F4|o4dOn8<K8q-NvOA$$_h0L1v6TNveK"
        "QHwN}qsF<blTNF~HaHdXPvMTI_vn@Mp?JIa&CzsaMAzev@C4s!qAPf~fez1+FoPHx@&QEpr>lxtV><;vwB<kH1lx"
        "p4k_Id?WHXHK`3Qzs)*apD^}e(Y;GdgMzve5kb?Jn)6=-`7g^?g`88UCm|Zj*ygZ&ysChKbNvCnX-A)XR>iax~yL"
        "pl(lOb%W5HEGhmjk`dC)3@XPXLURk=tBa0Wgq-3E(7R+xb^X4YYoY^1BteGFkjOp*ow5jjOl*#YNq=|3Kgz<05xU"
        "p}_n9*;@sFAP9h~clwu%R!@kim6j(7@U<p#MwKukQ=er}y*HtLJmlqx-Yct?M(=rE?AG^hbjH`Q!;dtg7OBm6d$^"
        ")-Aq%?HXUcbcxTOJIAL_o#GS6kMohkhxx$%{k&)QZr)K|&RfgMc+<v>yl(AU7G_?xawRWYx|A1{l<@p{^LX~GSv-"
        "B(G@d+Z5|1A@jz^Cg#lwdU<H3UlasPh(xOcB!+`U^j?%b&pKYsKp-@Oy#t5@>)?3wTQ*wL?e-`<wIeOpuBus)5=("
        "o|lu*v)h2e8f|yyvt+9)aRi?>T%ybwYY1SBz|!JzIpM&1@q9sgXWgao6Qx=mzy(Z%rHle7-9D8(ZjrXqsZK~GuvF"
        "az%U06u$m_;DoQ6#m{7WAb!tv5KToH&Yg?RK6w{HsXmRx*wPE#hyc58?0qhaLUIFYGz}^9z5x`jioEgB`0o0&Ti$"
        "+ZvwQ1C-QL9GH8ntWmpwWv)Pa3^x^r+FRM$a0(YiOXMg@z^?+GuE`p_PVa8ro@SsG+5XrW)F6Xsn^NhUOaDYj~jH"
        "g@z{@-e`EF;gyDG8s2GmsNtoCryAaBc&y>IhUXgIYh-|s1wtkW*&t+ukQG8^2-zWIh>#^hrU=<0WQ>qCLgonBBV>"
        "?}MM5SC*(79?kX1rv3E3rNn2=>crU}_5WSo$7LguODp9>HWU?4z2fP(-D0Tu!@1b7G#5nv)fMSzO{838r|bOiVa5"
        "E5V{KuLg;04V`h0<;8p2@n%tCO}Pqn*cchb^`PS_z8ak^cUyj#90"
    ),
    "a transfer syntax UID that is not text": (
        "c-ke-ze>bF5C-rs$rb9IvWmrFl`@UX?BCmMBoYEAc&_FY8ykys9*A6Frw?M~lld5S=Oi)={NVc-CP$8kt1~F6Ww0"
        "a_5e4a_l9rc;^MV`oe?xo89cg?ZvPK4JW02l^ipE5v7EUjsGeMD3nw<5)ITeOXha7_MoTBOW@QJ5%fONlXyK}3p7"
        "O2H_I)Tz<`~JLned%|*?OWe(%Q>>UW}V~qvKl^RWvDPgvz}p<Zc?-C(yG;EHC*SEI6WR!vycrEtZdYbm5-XTic!G"
        "Nhd_E{%z>{%TpY#8cd?oN?hE<@l2kI{"
    ),
}


def test_the_catalogue_has_at_least_20_kinds_of_each_outcome_and_covers_the_issue_list() -> None:
    names = " | ".join(kind.name for kind in KINDS).lower()
    assert len(KINDS) >= 20
    for required in (
        "zero-byte",
        "truncated png",
        "truncated jpeg",
        "text renamed .png",
        "decompression bomb",
        "16-bit",
        "rgba",
        "cmyk jpeg",
        "huge dimensions",
        "monochrome1",
        "compressed, no codec",
        "patient name, id, birth date",
    ):
        assert required in names, required
    assert {kind.expected for kind in KINDS} == {"accepted", "refused"}


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_each_kind_is_handled_with_a_clear_message_and_no_identifying_value(kind) -> None:
    row = check(kind)
    assert row.outcome == kind.expected, row.message
    assert row.problems == [], row.problems


@pytest.mark.parametrize("make", [png_with_patient_text, jpeg_with_patient_exif])
def test_image_metadata_naming_the_patient_is_dropped_by_every_loader(make) -> None:
    data = make()
    for image in (
        decode_image(data, 2**25),
        load_image(data).image,
        decode_upload(data, "x.png").image,
    ):
        kept = repr(image.info)
        assert not any(value in kept for value in PHI_VALUES), kept


def test_float_pixel_dicom_is_read_and_nan_is_refused_with_its_reason() -> None:
    picture = decode_upload(dicom_float(False), "float.dcm")
    assert picture.kind == "DICOM" and picture.original_size == (16, 16)
    with pytest.raises(ValueError, match="non-finite"):
        decode_upload(dicom_float(True), "nan.dcm")


@pytest.mark.parametrize("case", list(ATHERIS_FINDS))
def test_what_atheris_found_is_refused_in_one_line(case: str) -> None:
    data = zlib.decompress(base64.b85decode(ATHERIS_FINDS[case]))
    for name in ("upload.dcm", "upload.png"):
        with pytest.raises(ValueError) as refused:
            decode_upload(data, name)
        assert type(refused.value).__name__ == "ImageError" and "\n" not in str(refused.value)
