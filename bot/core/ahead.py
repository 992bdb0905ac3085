"""Understanding typed questions ahead of their transaction.

Matching a text is the costliest step of most updates, so it is kept out of the
transaction (the write gate is not held while it runs):

- a process that processes its updates itself (SQLite's one process, a PostgreSQL worker):
  the pipeline calls `prime` with an update's messages just before processing it;
- web + worker processes (a web process with RUN_WORKERS=false): the web process, which only
  stores updates and has CPU to spare, understands the questions when the update arrives
  (`at_intake`) and stores the result with it (`inbox.understood`); the worker `seed`s its
  FAQ with it instead of matching the texts again:

    web:    webhook ─▶ parse ─▶ understand ─▶ INSERT inbox (payload, understood) ─▶ 200
    worker: fetch ─▶ seed (same fingerprint only) ─▶ process: the ask flow takes the result

The worker takes a stored result only when both processes understand alike (the same
content, code and staff edits: `FaqService.fingerprint`) and when every entry it names is
one the worker has; otherwise it matches the text itself. Either way the flow sees exactly
what understanding the text in the worker would have given.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.core.messages import MAX_TEXT, Inbound
from faq import wire

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.faq_service import FaqService

log = logging.getLogger(__name__)
MAX_QUESTIONS = 10  # understood ahead per update (a Zalo batch may hold several messages)


def questions(services: Services, messages: Sequence[Inbound]) -> Iterator[tuple[str, str]]:
    """(unit, text) of each message the ask flow would match: typed text of a citizen, cut
    and stripped exactly as the flow does."""
    for msg in messages:
        if msg.kind == "text" and msg.text and not msg.payload and not msg.group:
            text = unicodedata.normalize("NFC", msg.text)[:MAX_TEXT].strip()
            if text and msg.unit in services.units:
                yield msg.unit, text


def prime(services: Services, messages: Sequence[Inbound]) -> None:
    """In this process: understand now, taken later by the flow (FaqService.prime)."""
    for unit, text in questions(services, messages):
        services.faq.prime(text, unit)


def at_intake(services: Services, messages: Sequence[Inbound]) -> dict[str, Any] | None:
    """For another process: the understanding of the update's questions, as JSON data. Kept
    here too, for an update this process handles itself (the web chat answers at once)."""
    faq = services.faq
    found = []
    try:
        for unit, text in list(questions(services, messages))[:MAX_QUESTIONS]:
            understood = faq.ahead(text, unit)
            faq.seed(text, unit, understood)
            found.append([unit, text, wire.dump(understood)])
    except Exception:  # the update is stored all the same: the worker matches it itself
        log.exception("understanding an update at intake failed")
        return None
    return {"faq": faq.fingerprint, "texts": found} if found else None


def seed(faq: FaqService, stored: Mapping[str, Any] | None) -> int:
    """Take what the web process understood, if it understood alike. Returns how many."""
    if not stored or stored.get("faq") != faq.fingerprint:
        return 0
    taken = 0
    try:
        for unit, text, data in stored["texts"]:
            understood = wire.load(data)
            if all(faq.has(c.entry, unit) for c in understood.candidates):
                faq.seed(text, unit, understood)
                taken += 1
    except (KeyError, TypeError, ValueError):  # another version's format: match again
        log.warning("an update's stored understanding was not readable; matching again")
    return taken
