"""The audit log (record, scope, filters, paging) and the home page's first dashboard card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.console import audit
from bot.core.actors import SYSTEM, Actor
from bot.db import queries
from bot.db.models import FaqQuery, Message
from bot.keys import sessionmaker_key
from tests.console.helpers import T0, UNIT, other_unit, signed_in, soup


async def _seed_audit(client: Any, other: str) -> None:
    async with client.app[sessionmaker_key].begin() as sess:
        for i in range(60):
            await audit.record(
                sess,
                SYSTEM,
                "pakn.remind",
                target=f"pakn:{i}",
                unit=UNIT,
                now=T0 - dt.timedelta(minutes=i),
            )
        await audit.record(
            sess,
            Actor("tg:42", "staff", frozenset({other})),
            "pakn.reply",
            target="pakn:99",
            unit=other,
            detail={"status": "answered"},
            now=T0 - dt.timedelta(days=3),
        )
        await audit.record(sess, "cli", "user.create", target="x", now=T0)


def _rows(html: str) -> list[list[str]]:
    return [[td.get_text() for td in tr.find_all("td")] for tr in soup(html).select("tbody tr")]


async def test_staff_see_their_units_entries_with_paging(client: Any) -> None:
    other = other_unit(client)
    await _seed_audit(client, other)
    await signed_in(client, "lan", "staff")
    first = await (await client.get("/console/audit/")).text()
    rows = _rows(first)
    assert len(rows) == audit.PAGE_SIZE
    assert all(r[4] != other for r in rows) and "pakn:99" not in first and "cli" not in first
    assert "61 mục · trang 1/2" in first  # 60 reminders + the staff member's own sign-in
    second = await (await client.get("/console/audit/?page=2")).text()
    assert len(_rows(second)) == 11


async def test_a_global_admin_sees_everything_and_filters(client: Any) -> None:
    other = other_unit(client)
    await _seed_audit(client, other)
    await signed_in(client, "qt", "admin", units=())
    everything = await (await client.get("/console/audit/")).text()
    assert "63 mục" in everything  # 60 + reply + cli + the sign-in
    by_unit = await (await client.get(f"/console/audit/?unit={other}")).text()
    assert "1 mục" in by_unit and "pakn:99" in by_unit
    by_action = await (await client.get("/console/audit/?action=user.create")).text()
    assert [r[2] for r in _rows(by_action)] == ["Tạo tài khoản"]
    day = (T0 - dt.timedelta(days=3)).astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    by_date = await (await client.get(f"/console/audit/?from={day}&to={day}")).text()
    assert [r[3] for r in _rows(by_date)] == ["pakn:99"]
    nonsense = await client.get("/console/audit/?from=hom-qua&page=abc")
    assert nonsense.status == 200


async def test_home_counts_todays_messages_and_unanswered_questions(client: Any) -> None:
    other = other_unit(client)
    now = T0  # 10:00 local; "today" starts at 17:00 UTC the day before
    yesterday = now - dt.timedelta(hours=18)
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id="abc12345", now=now
        )
        for when, direction, unit in [
            (now, "in", UNIT),
            (now, "in", UNIT),
            (now, "out", UNIT),
            (yesterday, "in", UNIT),
            (now, "in", other),
        ]:
            sess.add(
                Message(
                    unit=unit,
                    channel="web",
                    contact_id=contact.id,
                    direction=direction,
                    text="x",
                    created_at=when,
                )
            )
        for decision, when in [
            ("answer", now),
            ("clarify", now),  # left without a choice: neither answered nor not
            ("fallback", now),
            ("answer", now),
            ("fallback", yesterday),
        ]:
            sess.add(
                FaqQuery(unit=UNIT, text="q", normalized="q", decision=decision, created_at=when)
            )
    await signed_in(client, "lan", "staff")
    page = soup(await (await client.get("/console/")).text())
    cards = page.select("section.stat")
    assert len(cards) == 1  # only the staff member's unit
    values = [dd.get_text() for dd in cards[0].select("dd")]
    assert values == ["2", "4", "1 (25 %)"]
