"""The console's storage on every backend (SQLite always, PostgreSQL with --postgres)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import accounts, audit, setup_link, throttle
from bot.core.actors import Actor
from bot.db.engine import make_engine, make_sessionmaker, migrate
from tests.console.helpers import T0, UNIT


async def check_throttle(sess: AsyncSession) -> None:
    """Growing delays per account and place; a known browser is a place of its own."""
    stranger = throttle.Try("lan", "10.0.0.1")
    owner = throttle.Try("lan", "10.0.0.1", throttle.device_place("b" * 43))
    await throttle.remember(sess, "lan", [owner.device or ""], T0)
    when = T0
    for n in range(throttle.PAIR_FREE + 3):
        verdict = await throttle.check(sess, stranger, when)
        assert verdict.place == "a:10.0.0.1" and not verdict.known
        expected = 0 if n < throttle.PAIR_FREE else 2 ** (n - throttle.PAIR_FREE + 1)
        assert verdict.seconds == expected, n
        when += verdict.wait
        await throttle.record(sess, stranger, verdict, "bad", when)
    assert (await throttle.check(sess, stranger, when)).seconds == 16
    mine = await throttle.check(sess, owner, when)
    assert mine.known and mine.place == owner.device and mine.wait == dt.timedelta(0)
    assert (await throttle.check(sess, throttle.Try("qt", "10.0.0.1"), when)).seconds == 0
    assert throttle.delay(throttle.PAIR_FREE + 40, throttle.PAIR_FREE) == throttle.MAX_WAIT


async def test_accounts_throttle_setup_and_audit_on_each_backend(db_url: str) -> None:
    engine = make_engine(db_url)
    await migrate(engine)
    maker = make_sessionmaker(engine)
    try:
        async with maker.begin() as sess:
            token = await setup_link.issue(sess, T0)
            assert await setup_link.is_valid(sess, token, T0)
            assert await setup_link.consume(sess, token, T0)
            assert not await setup_link.consume(sess, token, T0)
            lan = await accounts.create_user(
                sess,
                username="Lan",
                password="mat-khau-rat-dai-1",
                role="staff",
                units=[UNIT],
                known_units=[UNIT, "xa-khac"],
                now=T0,
                display_name="Lan",
            )
            await accounts.create_user(
                sess,
                username="qt",
                password="mat-khau-rat-dai-1",
                role="admin",
                units=[],
                known_units=[UNIT],
                now=T0,
            )
        async with maker.begin() as sess:
            listed = await accounts.list_accounts(sess)
            assert [(a.username, a.units) for a in listed] == [
                ("lan", frozenset({UNIT})),
                ("qt", frozenset()),
            ]
            await check_throttle(sess)
            actor = dataclasses.replace(lan.actor)
            await audit.record(
                sess,
                actor,
                "pakn.reply",
                target="pakn:1",
                unit=UNIT,
                detail={"status": "answered"},
                now=T0,
            )
            await audit.record(sess, "cli", "user.create", target="qt", now=T0)
            await audit.record(
                sess,
                Actor("tg:1", "staff", frozenset({"xa-khac"})),
                "pakn.take",
                unit="xa-khac",
                now=T0,
            )
        async with maker() as sess:
            mine = await audit.search(sess, lan.actor, audit.AuditFilter())
            assert [e.action for e in mine.entries] == ["pakn.reply"]
            assert mine.entries[0].detail == {"status": "answered"}
            everyone = await audit.search(sess, Actor("qt", "admin"), audit.AuditFilter())
            assert everyone.total == 3
            assert await audit.actions(sess) == ["pakn.reply", "pakn.take", "user.create"]
    finally:
        await engine.dispose()


async def test_verify_password_rejects_garbage_hashes() -> None:
    assert not accounts.verify_password("not-a-hash", "whatever-123")
    assert not accounts.verify_password(None, "whatever-123")
    good = accounts.hash_password("mat-khau-rat-dai-1")
    assert accounts.verify_password(good, "mat-khau-rat-dai-1")
    assert not accounts.verify_password(good, "mat-khau-rat-dai-2")
    assert not accounts.may_manage(Actor("a", "admin", frozenset({UNIT})), frozenset())
    assert accounts.may_manage(Actor("a", "admin"), frozenset())
    assert not accounts.may_manage(Actor("s", "staff", frozenset({UNIT})), frozenset({UNIT}))
