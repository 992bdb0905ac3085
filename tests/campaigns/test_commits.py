"""Group commit of the broadcast worker's writes (bot/campaigns/commits.py), on both DBs."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns.commits import GroupCommit
from bot.db.models import Contact
from tests.campaigns.conftest import add_contact


async def test_concurrent_writes_share_transactions_and_are_committed_on_return(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        ids = [(await add_contact(sess, f"gc{i}")).id for i in range(20)]
    commits = GroupCommit(sm)

    async def block(contact_id: int) -> int:
        async def write(sess: AsyncSession) -> int:
            await sess.execute(
                update(Contact).where(Contact.id == contact_id).values(blocked=True)
            )
            return contact_id

        done = await commits.run(write)
        async with sm() as other:  # committed: another session sees it
            assert await other.scalar(select(Contact.blocked).where(Contact.id == done))
        return done

    assert await asyncio.gather(*(block(i) for i in ids)) == ids
    assert 1 <= commits.transactions < len(ids)


async def test_a_failing_write_fails_alone(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        ok_id = (await add_contact(sess, "gc-ok")).id
    commits = GroupCommit(sm)

    async def good(sess: AsyncSession) -> str:
        await sess.execute(update(Contact).where(Contact.id == ok_id).values(blocked=True))
        return "ok"

    async def bad(sess: AsyncSession) -> str:
        raise ValueError("broken row")

    results = await asyncio.gather(
        commits.run(good), commits.run(bad), commits.run(good), return_exceptions=True
    )
    assert results[0] == results[2] == "ok"
    assert isinstance(results[1], ValueError)
    async with sm() as sess:
        assert await sess.scalar(select(Contact.blocked).where(Contact.id == ok_id))
    with pytest.raises(ValueError):
        await commits.run(bad)
