"""Fields of channel updates read defensively (pure): a webhook body is JSON from outside.

Any field can be missing, null, a number where a string belongs, a list where an object
belongs, or far too long. Parsers read fields through these helpers, which never raise: a field
of the wrong type reads as absent, and an update without a usable sender is skipped.
"""

from __future__ import annotations

from typing import Any

MAX_ID = 128  # characters of a contact's or a message's id (the database columns hold 128)
INT64 = 2**63


def obj(value: Any) -> dict[str, Any]:
    """An object field; {} for anything else."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[dict[str, Any]]:
    """A list of objects; what is not an object is left out."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def string(value: Any) -> str:
    """A string field; a number as its digits; "" for anything else."""
    if isinstance(value, str):
        return value
    if type(value) in (int, float):
        return str(value)
    return ""


def optional_text(value: Any, limit: int) -> str | None:
    """A short string (a name, a language code), cut at `limit`; None when empty or absent."""
    return string(value)[:limit] or None


def ident(value: Any) -> str:
    """An id (a non-empty string or an integer, at most MAX_ID characters); "" otherwise."""
    if type(value) is int:
        value = str(value)
    if not isinstance(value, str) or len(value) > MAX_ID:
        return ""
    return value.strip()


def int_id(value: Any) -> int | None:
    """A 64-bit integer id (Telegram's chats and users); None for anything else (bool too)."""
    return value if type(value) is int and -INT64 < value < INT64 else None


def number(value: Any) -> float | None:
    """A finite number given as a number or a string (coordinates)."""
    if type(value) not in (int, float, str):
        return None
    try:
        result = float(value)
    except (ValueError, OverflowError):
        return None
    return result if result - result == 0 else None  # not NaN, not ±infinity
