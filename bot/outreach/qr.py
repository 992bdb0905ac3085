"""QR codes with segno: inline SVG for HTML, the module matrix for PDF, PNG for tests."""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from markupsafe import Markup

ERROR_LEVEL = "m"  # 15 % of the code may be dirty or torn and it still reads
QUIET_ZONE = 4  # modules of white border (the standard's minimum)


@lru_cache(maxsize=256)
def make(payload: str) -> segno.QRCode:
    return segno.make(payload, error=ERROR_LEVEL, micro=False)


def svg(payload: str, css_class: str = "qr") -> Markup:
    """An inline <svg> that scales to its box (viewBox, no fixed size); payload in data-qr."""
    code = make(payload)
    markup = code.svg_inline(
        scale=1, border=QUIET_ZONE, omitsize=True, svgclass=css_class, lineclass=None
    )
    escaped = Markup.escape(payload)
    return Markup(markup.replace("<svg ", f'<svg role="img" data-qr="{escaped}" ', 1))  # noqa: S704


def matrix(payload: str) -> list[list[bool]]:
    """Rows of dark (True) modules, without the quiet zone."""
    return [[bool(cell) for cell in row] for row in make(payload).matrix]


def png(payload: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    make(payload).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()
