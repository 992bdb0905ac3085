"""Reach storage on SQLite and PostgreSQL: links and unique clicks, seen receipts mapped to
outbox rows, unsubscribes that followed, the funnel per channel and the comparison."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns import links, reach
from bot.campaigns import subscriptions as subs
from bot.db.models_campaigns import Campaign, CampaignOutbox, KpiTarget
from bot.db.models_reach import CampaignLink, SubscriptionEnd
from tests.campaigns.conftest import DAY, UNIT, add_contact

PORTAL = "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"


async def _campaign(
    sess: AsyncSession, title: str = "Khai sinh", started: dt.datetime = DAY
) -> int:
    c = Campaign(
        unit=UNIT, title=title, template="t", topics=["thu_tuc_moi"], status="sent",
        author="tnv.lan", started_at=started,
    )  # fmt: skip
    sess.add(c)
    await sess.flush()
    return c.id


async def _row(
    sess: AsyncSession, cid: int, contact_id: int, channel: str, status: str, msg: str | None
) -> None:
    sent = DAY if status == "sent" else None
    sess.add(
        CampaignOutbox(
            campaign_id=cid,
            contact_id=contact_id,
            unit=UNIT,
            channel=channel,
            status=status,
            external_id=msg,
            sent_at=sent,
            next_attempt_at=DAY,
        )
    )
    await sess.flush()


async def test_links_are_idempotent_random_and_per_channel(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        cid = await _campaign(sess)
        first = await links.ensure_links(sess, UNIT, cid, "zalo", [PORTAL], DAY)
        again = await links.ensure_links(sess, UNIT, cid, "zalo", [PORTAL, PORTAL], DAY)
        other = await links.ensure_links(sess, UNIT, cid, "telegram", [PORTAL], DAY)
    assert first == again
    assert first[PORTAL] != other[PORTAL]
    assert links.TOKEN_RE.match(first[PORTAL]) and len(first[PORTAL]) >= 20
    assert "dichvucong" not in first[PORTAL]  # the token says nothing of the target either
    async with sm() as sess:
        assert (await sess.execute(select(func.count()).select_from(CampaignLink))).scalar() == 2


async def test_rewrite_only_known_urls_and_keeps_punctuation() -> None:
    text = f"Nộp tại {PORTAL}. Hỏi thêm: https://example.org/a?b=1, hoặc gọi 1022."
    out = links.rewrite(text, {PORTAL: "T" * 22}, "https://bot.example/")
    assert out.startswith("Nộp tại https://bot.example/r/" + "T" * 22 + ". Hỏi")
    assert "https://example.org/a?b=1," in out
    assert links.find_urls(text) == [PORTAL, "https://example.org/a?b=1"]
    assert not links.trackable("https://bot.example/r/abc", "https://bot.example")


async def test_unique_clicks_count_visitors_once(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        cid = await _campaign(sess)
        token = (await links.ensure_links(sess, UNIT, cid, "zalo", [PORTAL], DAY))[PORTAL]
        link = await links.target_of(sess, token)
        assert link is not None and link.target == PORTAL
        a = links.visitor_key(b"k" * 32, token, "203.0.113.5", "Zalo/1")
        b = links.visitor_key(b"k" * 32, token, "203.0.113.6", "Zalo/1")
        assert "203.0.113" not in a and len(a) == 64
        for visitor in (a, a, b):
            await links.record_click(sess, link.id, visitor, DAY)
    async with sm() as sess:
        [f] = await reach.funnel(sess, cid)
        stored = await links.target_of(sess, token)
        assert stored is not None and stored.clicks == 3
        assert await links.target_of(sess, "nope") is None
        assert await links.target_of(sess, "x" * 22) is None
    assert (f.channel, f.clicks) == ("zalo", 2)


async def test_seen_marks_only_that_recipients_campaign_rows(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        cid = await _campaign(sess)
        anh = await add_contact(sess, "u-anh", channel="zalo")
        binh = await add_contact(sess, "u-binh", channel="zalo")
        await _row(sess, cid, anh.id, "zalo", "sent", "m-1")
        await _row(sess, cid, binh.id, "zalo", "sent", "m-2")
    async with sm.begin() as sess:
        # Bình's seen event naming Anh's message id changes nothing: ids are per recipient.
        assert await reach.record_seen(sess, UNIT, "zalo", "u-binh", ["m-1"], DAY) == 0
        assert await reach.record_seen(sess, UNIT, "zalo", "u-anh", ["m-1", "x"], DAY) == 1
        assert await reach.record_seen(sess, UNIT, "zalo", "u-anh", ["m-1"], DAY) == 0
        assert await reach.record_seen(sess, UNIT, "zalo", "", ["m-2"], DAY) == 0
    async with sm() as sess:
        [f] = await reach.funnel(sess, cid)
    assert (f.sent, f.read) == (2, 1)


async def test_funnel_per_channel_with_unsubscribes_that_followed(
    sm: async_sessionmaker[AsyncSession],
) -> None:
    async with sm.begin() as sess:
        cid = await _campaign(sess)
        people = [await add_contact(sess, f"tg-{i}") for i in range(5)]
        zalo = await add_contact(sess, "z-1", channel="zalo")
        for person, status in zip(
            people, ("sent", "sent", "sent", "failed", "blocked"), strict=True
        ):
            await _row(sess, cid, person.id, "telegram", status, None)
        await _row(sess, cid, zalo.id, "zalo", "dropped", None)
        # stopped 2 days after the message: counts; 10 days after: outside the 7 days
        await subs.stop_all(sess, people[0].id, DAY + dt.timedelta(days=2))
        await subs.toggle(sess, people[1], subs.TOPIC, "thu_tuc_moi", DAY + dt.timedelta(days=10))
        # stopped before the message: not "after"
        sess.add(
            SubscriptionEnd(
                contact_id=people[2].id, unit=UNIT, kind="all", at=DAY - dt.timedelta(days=1)
            )
        )
    async with sm() as sess:
        funnels = {f.channel: f for f in await reach.funnel(sess, cid)}
        wide = {f.channel: f for f in await reach.funnel(sess, cid, days=30)}
        ends = (
            (await sess.execute(select(SubscriptionEnd.kind).order_by(SubscriptionEnd.id)))
            .scalars()
            .all()
        )
    tg = funnels["telegram"]
    assert (tg.queued, tg.sent, tg.failed, tg.blocked, tg.read) == (5, 3, 1, 1, None)
    assert tg.unsubscribed == 1 and wide["telegram"].unsubscribed == 2
    assert (funnels["zalo"].dropped, funnels["zalo"].read) == (1, 0)
    total = reach.total(list(funnels.values()))
    assert (total.queued, total.sent, total.read) == (6, 3, 0)
    assert list(ends) == ["all", "topic", "all"]


async def test_compare_and_plan_targets(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm.begin() as sess:
        old = await _campaign(sess, "Cũ", DAY - dt.timedelta(days=30))
        new = await _campaign(sess, "Mới", DAY)
        person = await add_contact(sess, "tg-1")
        await _row(sess, new, person.id, "telegram", "sent", None)
        sess.add(Campaign(unit=UNIT, title="Nháp", template="t", author="a"))  # never sent
        sess.add(
            KpiTarget(unit=UNIT, year=2026, indicator="Người dân biết DVC trực tuyến",
                      target_percent=80.0, source_plan="KH 12/2026")
        )  # fmt: skip
    async with sm() as sess:
        rows = await reach.compare(sess, UNIT)
        targets = await reach.plan_targets(sess, UNIT, 2026)
    assert [(c.id, f.sent) for c, f in rows] == [(new, 1), (old, 0)]
    assert [t.target_percent for t in targets] == [80.0]


def test_seen_event_of_the_documented_shape_is_read() -> None:
    import json
    from pathlib import Path

    from bot.channels.zalo_events import seen_message_ids

    sample = Path(__file__).parents[1] / "fixtures" / "zalo" / "user_seen_message.json"
    event = json.loads(sample.read_text(encoding="utf-8"))
    assert seen_message_ids(event) == ("246845883529197922", ["msg-out-1", "msg-out-2"])
    assert seen_message_ids({**event, "event_name": "user_send_text"}) == ("", [])
    assert seen_message_ids({**event, "message": "x"}) == ("", [])
