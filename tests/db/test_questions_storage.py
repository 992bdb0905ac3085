"""Storage of the staff inbox, the console notices and the digest runs, on SQLite always and
on PostgreSQL when configured."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.console import digest, notices
from bot.db import queries
from bot.db.models import FaqQuery
from bot.pakn import questions

NOW = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)


def question(
    unit: str, text: str, due_in_hours: float, handed: bool = True, contact: int | None = None
) -> FaqQuery:
    return FaqQuery(
        unit=unit,
        contact_id=contact,
        text=text,
        normalized=text,
        decision="fallback",
        handed_to_staff=handed,
        handed_at=NOW if handed else None,
        staff_due_at=NOW + dt.timedelta(hours=due_in_hours) if handed else None,
        created_at=NOW,
    )


async def test_inbox_lists_counts_and_closes(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        citizen = await queries.get_or_create_contact(
            sess, unit="xa-a", channel="web", external_id="sid1", now=NOW
        )
        await sess.flush()
        c = citizen.id
        sess.add_all(
            [
                question("xa-a", "muộn", 48, contact=c),
                question("xa-a", "quá hạn", -1, contact=c),
                question("xa-a", "chưa nhờ", 0, handed=False, contact=c),
                question("xa-a", "người hỏi đã xóa dữ liệu", -1),  # nobody to answer
                question("xa-b", "đơn vị khác", 1, contact=c),
            ]
        )
    async with sm() as sess:
        open_a = await questions.waiting(sess, ["xa-a"])
        assert [q.text for q in open_a] == ["quá hạn", "muộn"]  # the most urgent first
        assert await questions.counts(sess, ["xa-a"], NOW) == questions.Counts(2, 1)
        assert await questions.counts(sess, ["xa-a", "xa-b"], NOW) == questions.Counts(3, 1)
        assert await questions.counts(sess, [], NOW) == questions.Counts(0, 0)
    async with sm.begin() as sess:
        [late, _] = await questions.waiting(sess, ["xa-a"])
        questions.close(late, "lan", NOW)
    async with sm() as sess:
        assert [q.text for q in await questions.waiting(sess, ["xa-a"])] == ["muộn"]
        [done] = await questions.recently_done(sess, ["xa-a"])
        assert done.text == "quá hạn" and done.staff_answered_by == "lan"
        assert done.staff_done_at == NOW


async def test_notices_are_per_account_until_read(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        await notices.add(sess, "TNV", "campaign.returned", "campaign:1", "Trả lại", NOW)
        await notices.add(sess, "khac", "campaign.approved", "campaign:2", "Duyệt", NOW)
    async with sm.begin() as sess:
        assert [n.text for n in await notices.unread(sess, "tnv")] == ["Trả lại"]
        await notices.mark_read(sess, "tnv", NOW)
    async with sm() as sess:
        assert await notices.unread(sess, "tnv") == []
        assert len(await notices.unread(sess, "khac")) == 1


async def test_a_digest_day_is_claimed_once(sm: async_sessionmaker[AsyncSession]) -> None:
    assert await digest._claim(sm, "2026-11-23", NOW) is True
    assert await digest._claim(sm, "2026-11-23", NOW) is False
    assert await digest._claim(sm, "2026-11-24", NOW) is True
