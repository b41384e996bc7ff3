"""The short PIN a learner chooses when joining a session, so that they can take their seat again
from a reloaded tab or another device.

Only a salted hash is stored (PBKDF2-HMAC-SHA256, a fresh 16-byte salt per seat), and a typed PIN
is compared in constant time. A PIN is 4 to 8 digits: easy to type on a phone, and guessing is
bounded by ``MAX_FAILURES`` wrong tries per seat (then the instructor frees the seat). This module
stores nothing and knows nothing about sessions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PIN_DIGITS = (4, 8)
ITERATIONS = 60_000
MAX_FAILURES = 8
SCHEME = "pbkdf2_sha256"


class PinError(ValueError):
    """A PIN that is not 4 to 8 digits."""


def clean_pin(text: str | None) -> str:
    """The PIN as typed, without spaces; PinError unless it is 4 to 8 digits."""
    pin = "".join((text or "").split())
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        raise PinError(
            f"Choose a PIN of {low} to {high} digits (you type it again to rejoin from "
            "another device or after a reload)."
        )
    return pin


def _derive(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)


def hash_pin(pin: str) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`` for a cleaned PIN."""
    salt = secrets.token_bytes(16)
    return f"{SCHEME}${ITERATIONS}${salt.hex()}${_derive(pin, salt, ITERATIONS).hex()}"


def pin_matches(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` is the one hashed in ``stored`` (constant-time; False for no hash)."""
    try:
        scheme, iterations, salt, digest = (stored or "").split("$")
        if scheme != SCHEME:
            return False
        derived = _derive(pin, bytes.fromhex(salt), int(iterations))
        return hmac.compare_digest(derived, bytes.fromhex(digest))
    except ValueError:
        return False
