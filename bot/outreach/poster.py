"""The A4 QR poster of a unit and the small card of one FAQ entry (print-ready HTML)."""

from __future__ import annotations

from bot.content.faq import FaqEntry
from bot.content.units import Unit
from bot.outreach.links import UnitLinks, faq_links
from bot.outreach.texts import env
from bot.settings import Settings


def staff_notes(unit: Unit, links: UnitLinks) -> list[str]:
    """What the poster lacks (no Zalo, no hours …) and how to add it: for staff, in the console
    and the CLI, never on the public page (they name settings)."""
    notes = list(links.notes)
    if not unit.hours:
        notes.append(
            f"Chưa in giờ làm việc: hồ sơ đơn vị chưa có (content/units/{unit.key}.yaml: hours)."
        )
    return notes


def poster_html(
    unit: Unit, links: UnitLinks, *, pdf_url: str | None = None, notes: list[str] | None = None
) -> str:
    """The poster. `notes` (staff_notes) go in a box that is not printed: only pass them where
    staff look at it (the CLI's file), not on the public page."""
    return (
        env()
        .get_template("poster.html")
        .render(unit=unit, links=links, notes=notes or [], pdf_url=pdf_url)
    )


def faq_card_html(entry: FaqEntry, unit: Unit, settings: Settings, links: UnitLinks) -> str:
    codes, notes = faq_links(entry, unit, settings, links)
    return (
        env()
        .get_template("faq_card.html")
        .render(entry=entry, unit=unit, codes=codes, notes=notes)
    )
