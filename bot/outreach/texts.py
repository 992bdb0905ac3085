"""One approved campaign text, fitted to each channel outside the chat (pure functions).

    render_exports(text, unit) -> {"radio": …, "post": …, "sms": …, "leaflet": …}

- radio: the loudspeaker script (bot.outreach.radio: abbreviations and numbers in words);
- post: a website / Facebook / Zalo page post: title line, short paragraphs, links kept,
  hashtags (#DichVuCong #XaBinhMinh …);
- sms: unaccented GSM-7 within 160 characters, or numbered parts, or "does not fit"
  (bot.outreach.sms), never cut silently;
- leaflet: a printable A5 page (HTML) with the unit's hotline and the portal's QR code.

`render_exports_html(exports)` renders the partial `_exports.html` (a read-only "Xuất bản"
block) for the console's campaign page.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from bot import formatting
from bot.content.units import Unit
from bot.outreach import qr
from bot.outreach.links import Link, UnitLinks, display_url
from bot.outreach.radio import radio_script, reading_seconds
from bot.outreach.sms import fit_sms, strip_diacritics

CHANNELS = ("radio", "post", "sms", "leaflet")
TEMPLATES = Path(__file__).parent / "templates"
MAX_TITLE = 120
MAX_PARAGRAPH = 320
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
formatting.install(_ENV)
_ENV.filters["display_url"] = display_url
_ENV.globals["qr_svg"] = qr.svg
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[^\s])")
_URL = re.compile(r"https?://[^\s<>()\"]+")


def env() -> jinja2.Environment:
    return _ENV


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    return text.replace("**", "").strip()


def hashtag(words: str) -> str:
    """ "xã Bình Minh" -> "#XaBinhMinh"."""
    parts = re.findall(r"[A-Za-z0-9]+", strip_diacritics(words))
    return "#" + "".join(p[:1].upper() + p[1:] for p in parts)


def paragraphs(text: str) -> list[str]:
    """Short paragraphs: blank-line blocks, long ones cut at sentence ends."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", _clean(text)):
        block = re.sub(r"[ \t]+", " ", block).strip()
        if not block:
            continue
        if len(block) <= MAX_PARAGRAPH or "\n" in block:
            out.append(block)
            continue
        current = ""
        for sentence in _SENTENCE_END.split(block):
            if current and len(current) + 1 + len(sentence) > MAX_PARAGRAPH:
                out.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            out.append(current)
    return out


def split_title(text: str, unit: Unit) -> tuple[str, list[str]]:
    """(title line, body paragraphs): a short first line is the title, else the unit's name."""
    paras = paragraphs(text)
    if not paras:
        return f"{unit.name} thông báo", []
    first_line, _, rest = paras[0].partition("\n")
    if len(first_line) <= MAX_TITLE and (rest or len(paras) > 1):
        body = ([rest.strip()] if rest.strip() else []) + paras[1:]
        return first_line.rstrip(":").strip(), body
    return f"{unit.name} thông báo", paras


def hashtags(text: str, unit: Unit) -> list[str]:
    low = text.lower()
    tags = ["#DichVuCong"]
    if "cải cách hành chính" in low:
        tags.append("#CaiCachHanhChinh")
    if "thủ tục hành chính" in low or "tthc" in low:
        tags.append("#ThuTucHanhChinh")
    tags.append(hashtag(unit.short_name))
    return tags


def web_post(text: str, unit: Unit) -> str:
    """A post for the unit's website, Facebook page or Zalo page (plain text, links kept)."""
    title, body = split_title(text, unit)
    lines = [title.upper(), ""]
    for para in body:
        lines += [para, ""]
    hotline = unit.hotlines[0] if unit.hotlines else None
    if hotline and hotline.number not in text:
        lines += [f"Thông tin liên hệ: {hotline.label} {hotline.number}.", ""]
    lines.append(" ".join(hashtags(text, unit)))
    return "\n".join(lines).strip() + "\n"


def radio_export(text: str, unit: Unit) -> dict[str, Any]:
    script = radio_script(_clean(text))
    return {"text": script, "seconds": reading_seconds(script)}


def radio_txt(text: str, unit: Unit) -> str:
    data = radio_export(text, unit)
    minutes = max(1, round(data["seconds"] / 60))
    return (
        f"BẢN ĐỌC TRÊN ĐÀI TRUYỀN THANH — {unit.name}\n"
        f"(đọc khoảng {minutes} phút; chữ viết tắt, số, ngày tháng đã viết thành lời)\n\n"
        f"{data['text']}\n"
    )


def sms_txt(text: str) -> str:
    fit = fit_sms(_clean(text))
    head = f"# {fit.note}\n"
    if not fit.parts:
        return head
    return head + "\n\n".join(fit.parts) + "\n"


def leaflet_codes(unit: Unit, links: UnitLinks | None = None) -> list[Link]:
    """The QR codes printed on a campaign's leaflet."""
    if links is not None:
        return [*links.chat[:2], *links.portals[:1]]
    return [Link("portal", "Cổng Dịch vụ công quốc gia", unit.portal)]


def leaflet_html(
    text: str,
    unit: Unit,
    links: UnitLinks | None = None,
    short: Mapping[str, str] | None = None,
) -> str:
    """The A5 leaflet; `short` maps a code's URL to the campaign's short link that counts its
    scans (bot/campaigns/links.py, channel "poster")."""
    title, body = split_title(text, unit)
    codes = [
        dataclasses.replace(code, url=(short or {}).get(code.url, code.url))
        for code in leaflet_codes(unit, links)
    ]
    return _ENV.get_template("leaflet.html").render(
        unit=unit, title=title, paragraphs=body, codes=codes
    )


def render_exports(
    text: str, unit: Unit, links: UnitLinks | None = None
) -> dict[str, dict[str, Any]]:
    """Every channel's version of one campaign text (for the console and the CLI)."""
    fit = fit_sms(_clean(text))
    return {
        "radio": radio_export(text, unit),
        "post": {"text": web_post(text, unit)},
        "sms": dataclasses.asdict(fit),
        "leaflet": {"html": leaflet_html(text, unit, links)},
    }


def render_exports_html(
    exports: Mapping[str, Mapping[str, Any]], downloads: Mapping[str, str] | None = None
) -> Markup:
    """The read-only "Xuất bản" block; `downloads` maps "radio.txt" etc. to URLs."""
    html = _ENV.get_template("_exports.html").render(exports=exports, downloads=downloads or {})
    return Markup(html)  # noqa: S704 - rendered by an autoescaping environment


def export_file(channel: str, ext: str, text: str, unit: Unit) -> tuple[str, str]:
    """(body, content type) of one download: radio|post|sms as .txt, any channel as .html."""
    if channel not in CHANNELS or ext not in ("txt", "html"):
        raise ValueError(f"unknown export {channel}.{ext}")
    if channel == "leaflet":
        if ext == "txt":
            raise ValueError("the leaflet is HTML only")
        return leaflet_html(text, unit), "text/html"
    body = {
        "radio": lambda: radio_txt(text, unit),
        "post": lambda: web_post(text, unit),
        "sms": lambda: sms_txt(text),
    }[channel]()
    if ext == "txt":
        return body, "text/plain"
    page = _ENV.get_template("export_page.html").render(unit=unit, channel=channel, body=body)
    return page, "text/html"
