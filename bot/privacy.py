"""A citizen's "xóa dữ liệu của tôi": every copy of their personal data, deleted or redacted.

`erase_contact` runs in the caller's transaction (the conversation engine's, so the deletion
commits together with the inbound update that asked for it, or not at all). docs/privacy.md
lists every place personal data lives and what this does to each:

- messages, conversation state, subscriptions, status look-ups, the Zalo Bot menu: deleted;
- the question log (faq_queries): wording blanked, contact unlinked (counts stay for reports);
- raw updates (inbox) linked to the contact: payload emptied (the key stays for redeliveries);
- PAKNs: name, phone, address, contact link, attachment file names and the rating comment
  removed; the name, phone and address are also blanked inside the kept texts (content,
  answer, notes, audit notes). The content itself stays: it is part of the case file;
- the staff group's copies (new-PAKN cards, handed-off questions): text replaced in the
  database, and an edit of each Telegram message already sent is queued (delivered like any
  reply: retried after a crash);
- pending broadcast deliveries: cancelled.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update

from bot.campaigns import subscriptions
from bot.db import audit, faq_log, inbox, queries
from bot.db.models_campaigns import CampaignOutbox
from bot.db.models_notes import PaknNote
from bot.db.models_pakn import PaknEvent
from bot.db.models_zalo import ZaloBotMenu
from bot.pakn import staff_group, store
from bot.pakn.phone import parse_vn_phone
from bot.pakn.service import LOOKUP_WINDOW

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.core.services import Services
    from bot.db.models import Contact, Message
    from bot.db.models_pakn import Pakn

BLANK = "[đã xóa]"  # what replaces a name, phone number or address inside a kept text
_SEP = r"[\s.\-()/]*"


@dataclass
class Erased:
    messages: int = 0
    pakn_codes: list[str] = field(default_factory=list)
    questions: int = 0
    raw_updates: int = 0
    staff_posts: int = 0
    # Edits of staff-group posts, queued in this transaction: deliver them after the commit.
    queued: list[Message] = field(default_factory=list)


class Scrubber:
    """Blanks one person's name, phone numbers and address inside free text.

    Names count only with two words or more: a one-word name ("An", "Bình") is also an
    ordinary word. Phone numbers match however they are written (0912 345 678, +84912345678).
    """

    def __init__(
        self,
        names: Iterable[str | None],
        phones: Iterable[str | None],
        places: Iterable[str | None],
    ) -> None:
        patterns = []
        for name in {_clean(n) for n in names if n}:
            if len(name.split()) >= 2:
                patterns.append(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)")
        for place in {_clean(p) for p in places if p}:
            if len(place) >= 6:
                patterns.append(re.escape(place))
        for phone in {p for p in phones if p}:
            national = _national(phone)
            if national:
                digits = _SEP.join(national)
                patterns.append(rf"(?<!\d)(?:(?:\+|00)?84{_SEP}0?|0){_SEP}{digits}(?!\d)")
                patterns.append(rf"(?<!\d){digits}(?!\d)")
        # Longest first, so that an address containing the name is blanked whole.
        patterns.sort(key=len, reverse=True)
        self._pattern = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def __call__(self, text: str | None) -> str | None:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(BLANK, unicodedata.normalize("NFC", text))


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _national(phone: str) -> str | None:
    e164 = phone if phone.startswith("+84") else parse_vn_phone(phone)
    return e164[3:] if e164 and e164.startswith("+84") else None


async def erase_contact(
    sess: AsyncSession, services: Services, contact: Contact, now: dt.datetime
) -> Erased:
    """Delete or redact everything stored about `contact` (one channel's identity)."""
    erased = Erased()
    pakns = await store.for_contact(sess, contact.id, limit=100_000)
    question_ids = await faq_log.ids_for_contact(sess, contact.id)
    scrub = Scrubber(
        [contact.display_name, *(p.sender_name for p in pakns)],
        (p.phone for p in pakns),
        (p.address for p in pakns),
    )
    # The staff group's copies first: they are found through the PAKN and question links.
    erased.queued = await staff_group.redact_posts(sess, services, pakns, question_ids, now)
    erased.staff_posts = len(erased.queued)
    await _anonymise_pakns(sess, services, contact, pakns, scrub, now)
    erased.pakn_codes = [p.code for p in pakns]
    erased.questions = await faq_log.redact(sess, question_ids)
    erased.raw_updates = await inbox.redact_for_contact(sess, contact.id)
    # Failed status look-ups of the last hour stay (time and code typed, nothing personal):
    # deleting one's data must not reset the limit on guessing a code.
    await store.delete_lookups(sess, contact.id, keep_failed_since=now - LOOKUP_WINDOW)
    await subscriptions.stop_all(sess, contact.id, now)
    await sess.execute(
        update(CampaignOutbox)
        .where(CampaignOutbox.contact_id == contact.id, CampaignOutbox.status == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    await sess.execute(
        delete(ZaloBotMenu)
        .where(ZaloBotMenu.unit == contact.unit, ZaloBotMenu.chat_id == contact.external_id)
        .execution_options(synchronize_session=False)
    )
    counts = await queries.delete_contact_data(sess, contact.id)
    erased.messages = counts["messages"]
    contact.display_name = None
    contact.language = None
    await audit.record(
        sess,
        f"citizen:{contact.id}",
        "privacy.erase",
        target=f"contact:{contact.id}",
        detail={
            "channel": contact.channel,
            "messages": erased.messages,
            "pakn": erased.pakn_codes,
            "questions": erased.questions,
            "raw_updates": erased.raw_updates,
            "staff_posts": erased.staff_posts,
        },
        unit=contact.unit,
        now=now,
    )
    return erased


async def _anonymise_pakns(
    sess: AsyncSession,
    services: Services,
    contact: Contact,
    pakns: list[Pakn],
    scrub: Scrubber,
    now: dt.datetime,
) -> None:
    if not pakns:
        return
    if services.pakn is not None:  # writes the audit event of each PAKN
        await services.pakn.anonymise_contact(sess, contact.id, now)
    else:
        await store.anonymise_for_contact(sess, contact.id, now)
    for pakn in pakns:
        pakn.content = scrub(pakn.content) or ""
        pakn.answer = scrub(pakn.answer)
        pakn.reject_reason = scrub(pakn.reject_reason)
        pakn.rating_comment = None  # the citizen's own words, not part of the case
    ids = [p.id for p in pakns]
    notes = await sess.execute(select(PaknNote).where(PaknNote.pakn_id.in_(ids)))
    for note in notes.scalars():
        note.text = scrub(note.text) or ""
    events = await sess.execute(
        select(PaknEvent).where(PaknEvent.pakn_id.in_(ids), PaknEvent.note.is_not(None))
    )
    for event in events.scalars():
        event.note = scrub(event.note)
    await sess.flush()
