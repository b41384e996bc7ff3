"""One family of errors for core/, all based on ValueError.

Messages say what was wrong, where (file:line or a JSON path) and what was allowed, so that a CLI
can print ``str(error)`` as its one line and exit.
"""

from __future__ import annotations


class AuditorError(ValueError):
    """Base of every error core/ raises on bad input or bad data."""


class LabelError(AuditorError):
    """A label that is not one of the canonical labels (or of a mapping table)."""


class BoxError(AuditorError):
    """A box that is malformed, out of range or inverted."""


class DataFileError(AuditorError):
    """A data file (mapping table, lexicon, text file) that does not validate on load."""


class DatasetError(AuditorError):
    """A dataset annotation file whose layout or values are not what its normalizer expects."""


class InputError(AuditorError):
    """A user input (draft, reference read, command argument) that cannot be used."""
