"""One colour per flag kind, shared by the flag list, the draft highlights and the image boxes.

The Streamlit colour name is used in markdown badges (``:red-background[...]``); the hex value is
the same colour for PIL and HTML. Every colour also comes with a text label, and on the image every
box source has its own line style (``overlay.LINE_STYLES``), so nothing relies on colour alone.
The learner's boxes are yellow and dotted: apart from the blue "wrong side" reference box in hue,
lightness and line, also for red-green and blue-yellow colour blindness.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colour:
    streamlit: str
    hex: str


FLAG_COLOURS: dict[str, Colour] = {
    "URGENT": Colour("violet", "#803DF5"),
    "MISSING": Colour("red", "#FF4B4B"),
    "LATERALITY": Colour("blue", "#1C83E1"),
    "UNSUPPORTED": Colour("orange", "#FFA421"),
}
# Image findings that no flag names, and draft mentions that no flag names.
AGREED = Colour("green", "#21C354")
NOTE = Colour("gray", "#808495")
# Reference boxes shown beside a model read (not the read the audit used).
REFERENCE_LAYER = Colour("gray", "#E0E0E0")
# The learner's boxes (dotted) and the model's (dashed), on the canvas and the feedback image.
LEARNER = Colour("yellow", "#FFE14D")
MODEL = Colour("orange", "#FFA421")
# The room review draws every learner's boxes (dotted) coloured by their finding: Okabe-Ito colours,
# told apart with red-green and blue-yellow colour blindness; each finding is also named in the
# legend beside the image, and the reference (solid green) and model (dashed orange) keep their
# own line styles. The Streamlit name is the nearest badge colour, for the legend's text.
LABEL_COLOURS: dict[str, Colour] = {
    "pleural_effusion": Colour("blue", "#56B4E9"),
    "pneumothorax": Colour("violet", "#CC79A7"),
    "lung_opacity_consolidation": Colour("yellow", "#F0E442"),
    "nodule_mass": Colour("red", "#D55E00"),
    "cardiomegaly": Colour("gray", "#FFFFFF"),
}


def colour_of(kind: str | None) -> Colour:
    """Colour of a flag kind; AGREED for None, NOTE for anything else (hedges, mentions)."""
    if kind is None:
        return AGREED
    return FLAG_COLOURS.get(kind, NOTE)


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
