"""The A4 QR poster of a unit and the small card of one FAQ entry (print-ready HTML)."""

from __future__ import annotations

from bot.content.faq import FaqEntry
from bot.content.units import Unit
from bot.outreach.links import UnitLinks, faq_links
from bot.outreach.texts import env
from bot.settings import Settings


def poster_html(unit: Unit, links: UnitLinks, *, pdf_url: str | None = None) -> str:
    """The poster; what is missing (no Zalo, no hours …) is listed in a box that is not printed."""
    notes = list(links.notes)
    if not unit.hours:
        notes.append(
            f"Chưa in giờ làm việc: hồ sơ đơn vị chưa có (content/units/{unit.key}.yaml: hours)."
        )
    return (
        env()
        .get_template("poster.html")
        .render(unit=unit, links=links, notes=notes, pdf_url=pdf_url)
    )


def faq_card_html(entry: FaqEntry, unit: Unit, settings: Settings, links: UnitLinks) -> str:
    codes, notes = faq_links(entry, unit, settings, links)
    return (
        env()
        .get_template("faq_card.html")
        .render(entry=entry, unit=unit, codes=codes, notes=notes)
    )
