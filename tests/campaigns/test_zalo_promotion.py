"""Campaigns on Zalo OA against the fake OA over HTTP: consultation messages inside the free
window, promotions outside it, Zalo's quotas, quiet hours and permanent refusals (both DBs)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns.service import CampaignService
from bot.campaigns.worker import CampaignWorker
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_api import ZaloError, ZaloOAClient
from bot.channels.zalo_promotion import lane_for, preview_args, promotion_message
from bot.channels.zalo_runtime import _refresh
from bot.channels.zalo_tokens import TokenManager
from bot.core.messages import Button, Reply
from bot.core.pipeline import ChannelRegistry
from bot.db.models import Contact
from bot.db.models_campaigns import Campaign, CampaignOutbox
from bot.db.models_zalo import ZaloPromotionSkip
from bot.settings import Settings
from tests.campaigns.conftest import DAY, UNIT, Clock, add_contact, approved_campaign
from tests.fakes.zalo_oa_checks import promotion_problem

VN = dt.timezone(dt.timedelta(hours=7))
PROMO = "/v3.0/oa/message/promotion"


@pytest.fixture
async def oa(
    sm: async_sessionmaker[AsyncSession], clock: Clock, fake_zalo: Any
) -> AsyncIterator[tuple[ZaloChannel, Any]]:
    fake = fake_zalo.oa
    fake.clock = lambda: clock.now.timestamp()
    client = ZaloOAClient(fake.base_url, fake.base_url)
    refresher = partial(_refresh, client, fake.app_id, fake.app_secret_key)
    tokens = TokenManager(sm, UNIT, refresher, clock=clock)
    await tokens.seed(fake.initial_access_token, fake.initial_refresh_token)
    channel = ZaloChannel(
        UNIT, client, tokens, sm, app_id=fake.app_id, oa_secret_key=fake.oa_secret_key,
        clock=clock,
    )  # fmt: skip
    yield channel, fake
    await client.close()


def worker_for(
    sm: async_sessionmaker[AsyncSession], channel: ZaloChannel, service: CampaignService,
    settings: Settings,
) -> CampaignWorker:  # fmt: skip
    registry = ChannelRegistry()
    registry.add(channel)
    quiet_off = dataclasses.replace(settings, campaign_quiet_hours="off")
    elapsed = [0.0]  # simulated monotonic time: pauses (-32) and intervals pass at once

    async def sleep(seconds: float) -> None:
        elapsed[0] += max(seconds, 0.001)
        await asyncio.sleep(0)

    return CampaignWorker(
        sm, registry, service, quiet_off, monotonic=lambda: elapsed[0], sleep=sleep
    )


async def followers(
    sm: async_sessionmaker[AsyncSession], inside: list[str], outside: list[str]
) -> None:
    """Zalo followers subscribed to the campaign topic; `inside` wrote yesterday, `outside` a
    month ago (outside the 7-day window)."""
    async with sm.begin() as sess:
        for ids, last in ((inside, DAY - dt.timedelta(days=1)), (outside, DAY - dt.timedelta(30))):
            for external_id in ids:
                contact = await add_contact(sess, external_id, channel="zalo")
                await sess.execute(
                    update(Contact).where(Contact.id == contact.id).values(last_seen_at=last)
                )


async def rows(sm: async_sessionmaker[AsyncSession], cid: int) -> dict[str, CampaignOutbox]:
    async with sm() as sess:
        result = await sess.execute(
            select(Contact.external_id, CampaignOutbox)
            .join(Contact, Contact.id == CampaignOutbox.contact_id)
            .where(CampaignOutbox.campaign_id == cid)
        )
        return {str(e): row for e, row in result}


async def status(sm: async_sessionmaker[AsyncSession], cid: int) -> str:
    async with sm() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None
        return campaign.status


def at_vn(day: dt.datetime, hour: int, days: int = 0) -> dt.datetime:
    local = day.astimezone(VN).date() + dt.timedelta(days=days)
    return dt.datetime.combine(local, dt.time(hour), VN).astimezone(dt.UTC)


async def test_each_follower_gets_the_type_of_their_window(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, settings: Settings,
    oa: tuple[ZaloChannel, Any],
) -> None:  # fmt: skip
    channel, fake = oa
    await followers(sm, ["in1", "in2"], ["out1", "out2"])
    cid = await approved_campaign(sm, campaigns)
    await worker_for(sm, channel, campaigns, settings).run_once()
    for user in ("in1", "in2"):
        assert len(fake.sent(user)) == 1 and "khai sinh" in fake.sent(user)[0]["text"]
        assert fake.promotions_to(user) == []
    for user in ("out1", "out2"):
        assert fake.sent(user) == []
        (promotion,) = fake.promotions_to(user)
        payload = promotion["attachment"]["payload"]
        kinds = [e["type"] for e in payload["elements"]]
        assert kinds == ["header", "text"] and "khai sinh" in payload["elements"][1]["content"]
        assert payload["elements"][0]["content"] == campaigns.units[UNIT].name
        assert len(payload["buttons"]) <= 4
    assert fake.refused == []
    assert {r.status for r in (await rows(sm, cid)).values()} == {"sent"}
    assert await status(sm, cid) == "sent"


async def test_quiet_hours_and_one_promotion_per_day(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, settings: Settings,
    oa: tuple[ZaloChannel, Any], clock: Clock,
) -> None:  # fmt: skip
    channel, fake = oa
    await followers(sm, ["in1"], ["out1"])
    clock.now = at_vn(DAY, 23)  # 23:00 in Vietnam: no promotions until 06:00
    first = await approved_campaign(sm, campaigns)
    worker = worker_for(sm, channel, campaigns, settings)
    await worker.run_once()
    assert len(fake.sent("in1")) == 1  # a consultation message may go at night
    assert not [p for p, _ in fake.requests if p == PROMO]  # not even tried
    held = (await rows(sm, first))["out1"]
    assert held.status == "pending" and held.attempts == 0
    assert held.next_attempt_at == at_vn(DAY, 6, days=1)
    clock.now = at_vn(DAY, 6, days=1)
    second = await approved_campaign(sm, campaigns)  # same day, same recipient
    await worker.run_once()
    assert len(fake.promotions_to("out1")) == 1  # one of the two, not both
    both = [(await rows(sm, c))["out1"] for c in (first, second)]
    waiting = [r for r in both if r.status != "sent"]
    assert len(waiting) == 1 and waiting[0].next_attempt_at == at_vn(DAY, 6, days=2)
    clock.now = at_vn(DAY, 9, days=2)
    await worker.run_once()
    assert len(fake.promotions_to("out1")) == 2
    assert max(fake.promotion_days().values()) == 1
    assert await status(sm, first) == await status(sm, second) == "sent"


async def test_oa_quota_spent_mid_campaign_pauses_then_resumes_next_day(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, settings: Settings,
    oa: tuple[ZaloChannel, Any], clock: Clock,
) -> None:  # fmt: skip
    channel, fake = oa
    fake.promotion_quota = 2
    outside = [f"out{i}" for i in range(5)]
    await followers(sm, ["in1"], outside)
    cid = await approved_campaign(sm, campaigns)
    worker = worker_for(sm, channel, campaigns, settings)
    await worker.run_once()
    assert len(fake.promotions) == 2 and len(fake.sent("in1")) == 1
    by_user = await rows(sm, cid)
    paused = [by_user[u] for u in outside if by_user[u].status == "pending"]
    assert len(paused) == 3
    assert {r.next_attempt_at for r in paused} == {at_vn(DAY, 6, days=1)}
    assert {r.attempts for r in paused} == {0}
    assert len(channel.alerts) == 1 and "-211" in channel.alerts[0]
    calls = len(fake.requests)
    clock.now += dt.timedelta(hours=3)  # later the same day: still paused, no call
    await worker.run_once()
    assert len(fake.requests) == calls and await status(sm, cid) == "sending"
    clock.now = at_vn(DAY, 6, days=1)  # the next morning: a new day's quota
    await worker.run_once()
    assert len(fake.promotions) == 4 and await status(sm, cid) == "sending"
    assert len(channel.alerts) == 2  # spent again: one alert for this day's pause
    clock.now = at_vn(DAY, 6, days=2)
    await worker.run_once()
    assert sorted(p["user_id"] for p in fake.promotions) == sorted(outside)
    per_day: dict[dt.date, int] = {}
    for p in fake.promotions:
        per_day[p["day"]] = per_day.get(p["day"], 0) + 1
    assert max(per_day.values()) == 2 and fake.refused == []
    assert await status(sm, cid) == "sent" and len(channel.alerts) == 2


async def test_zalo_refusals_skip_the_recipient_for_good_and_say_why(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, settings: Settings,
    oa: tuple[ZaloChannel, Any], clock: Clock,
) -> None:  # fmt: skip
    channel, fake = oa
    await followers(sm, [], ["restricts", "left", "inactive", "ok"])
    fake.set_user_error("restricts", -244)
    fake.set_follower("left", False)
    fake.set_user_error("inactive", -227)
    fake.fail_next_send(-32, "ok")  # rate limited once: retried after the lane's pause
    cid = await approved_campaign(sm, campaigns)
    worker = worker_for(sm, channel, campaigns, settings)
    await worker.run_once()
    await worker.run_once()  # the worker's next round (it runs every second)
    by_user = await rows(sm, cid)
    assert (by_user["restricts"].status, by_user["restricts"].error[:9]) == (
        "skipped",
        "zalo -244",
    )
    assert (by_user["left"].status, by_user["left"].error[:9]) == ("blocked", "zalo -213")
    assert (by_user["inactive"].status, by_user["inactive"].error[:9]) == ("blocked", "zalo -227")
    ok = by_user["ok"]
    assert ok.status == "sent" and ok.attempts >= 1, (ok.status, ok.attempts, ok.error)
    assert (UNIT, "zalo", 60.0) in worker.pauses  # the -32 paused the lane
    assert len(fake.promotions_to("ok")) == 1
    async with sm() as sess:
        skips = (await sess.execute(select(ZaloPromotionSkip.code))).scalars().all()
    assert skips == [-244]
    # A later campaign skips the -244 recipient without asking Zalo again.
    clock.now = at_vn(DAY, 9, days=1)
    fake.set_user_error("restricts", None)
    later = await approved_campaign(sm, campaigns)
    await worker.run_once()
    assert (await rows(sm, later))["restricts"].status == "skipped"
    assert fake.promotions_to("restricts") == []


async def test_preview_says_who_gets_which_type_and_the_quota_left(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, oa: tuple[ZaloChannel, Any],
) -> None:  # fmt: skip
    channel, fake = oa
    fake.promotion_quota = 1
    await followers(sm, ["in1"], ["out1", "out2"])
    cid = await approved_campaign(sm, campaigns)
    zalo = await preview_args(channel)
    assert zalo["zalo_quota"] == {"remain": 1, "total": 1}
    async with sm() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None
        view = (await campaigns.preview(sess, campaign, {"zalo"}, **zalo))["zalo"]
    assert view["zalo_types"] == {"consultation": 1, "promotion": 2}
    text = " ".join(view["warnings"])
    assert "1 người đã nhắn" in text and "2 người" in text and "1/1" in text
    assert "không đủ" in text


async def test_the_fake_refuses_promotion_shapes_zalo_refuses(oa: tuple[ZaloChannel, Any]) -> None:
    channel, _ = oa
    good = promotion_message(
        [Reply("Nội dung", tuple(Button.reply(f"Nút {i}", f"p{i}") for i in range(6)))],
        "Xã Bình Minh",
    )
    assert promotion_problem({"recipient": {"user_id": "u"}, "message": good}) is None
    payload = good["attachment"]["payload"]
    bad_shapes = [
        {**payload, "buttons": payload["buttons"] * 2},  # too many buttons
        {**payload, "elements": payload["elements"][1:]},  # no header
        {**payload, "elements": [*payload["elements"], {"type": "banner", "image_url": "x"}]},
        {**payload, "template_type": "media"},
    ]
    token = await channel.tokens.access_token()
    for shape in bad_shapes:
        message = {"attachment": {"type": "template", "payload": shape}}
        assert promotion_problem({"recipient": {"user_id": "u"}, "message": message})
        with pytest.raises(ZaloError) as refused:
            await channel.client.send_promotion(token, "u", message)
        assert refused.value.code == -201
    assert lane_for(channel) is lane_for(channel)


async def test_no_quota_call_per_recipient_and_zalo_window_wins_without_alert(
    sm: async_sessionmaker[AsyncSession], campaigns: CampaignService, settings: Settings,
    oa: tuple[ZaloChannel, Any], clock: Clock,
) -> None:  # fmt: skip
    channel, fake = oa
    inside = [f"in{i}" for i in range(4)]
    outside = [f"out{i}" for i in range(4)]
    await followers(sm, inside, outside)
    # Our records say "in0" wrote yesterday; Zalo counts its last interaction 10 days ago.
    fake.set_last_interaction("in0", (clock.now - dt.timedelta(days=10)).timestamp())
    cid = await approved_campaign(sm, campaigns)
    worker = worker_for(sm, channel, campaigns, settings)
    await worker.run_once()
    await worker.run_once()
    assert fake.quota_calls <= 1  # the OA's quota, once, not one call per recipient
    assert fake.sent("in0") == [] and len(fake.promotions_to("in0")) == 1
    for user in inside[1:]:
        assert len(fake.sent(user)) == 1 and fake.promotions_to(user) == []
    for user in outside:
        assert fake.sent(user) == [] and len(fake.promotions_to(user)) == 1
    assert channel.alerts == []  # a campaign's -230 is not a citizen's held reply
    assert {r.status for r in (await rows(sm, cid)).values()} == {"sent"}
