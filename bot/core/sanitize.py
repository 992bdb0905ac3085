"""Inbound text cleaned before it is stored: what no database column can hold goes.

A NUL byte is refused by PostgreSQL text columns, a lone surrogate (half of a UTF-16 pair, which
JSON's "\\ud83d" escapes can produce) by SQLite's UTF-8 encoder. Either one made the update fail
at every attempt and vanish without a reply. Other C0 control characters (bell, escape …) have
no place in a chat message either; new lines and tabs stay, CR LF becomes LF.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")  # C0 except \t (09) and \n (0a)
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # any left after JSON decoding is a lone half
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    if text.isprintable():  # the common case: nothing to do
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATES.sub(REPLACEMENT, _CONTROLS.sub("", text))


def clean_payload(value: Any) -> Any:
    """The same JSON value with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_payload(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_payload(v) for v in value]
    return value
