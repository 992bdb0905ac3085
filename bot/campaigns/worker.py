"""The broadcast worker: sends the outbox through the channel adapters (the same `send()` as
replies) at each channel's limits.

- Rate: CAMPAIGN_TELEGRAM_RATE / CAMPAIGN_ZALO_RATE per (unit, channel) lane (RateLimiter),
  CAMPAIGN_CONCURRENCY calls in flight, CAMPAIGN_PER_CHAT_INTERVAL between two messages to one
  chat (long texts are sent part by part).
- A "retry" answer (429 retry_after, network) pauses the whole lane for retry_after; the row
  stays pending. Blocked / unreachable recipients are marked (contacts.blocked) and skipped.
- Quiet hours (local time; emergency campaigns ignore them): nothing starts or is sent.
- Zalo OA: each recipient gets a consultation message inside the free window, a promotion
  outside it, within Zalo's quotas and hours (bot/channels/zalo_promotion.py); a row Zalo will
  not take now is "held" (pending, no attempt used, no rate used).
- Crash safety: a row is committed `inflight` just before its API call and `sent` right after;
  at start, `recover` settles rows left inflight (see outbox.py and docs/campaigns.md). The
  rows in flight share those transactions (commits.py: group commit), and what a row needs to
  choose its Zalo message type comes with the claim, so a send costs no query of its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns import links, outbox
from bot.campaigns.commits import GroupCommit
from bot.campaigns.limiter import RateLimiter, Sleep, Slot
from bot.campaigns.render import message_parts
from bot.campaigns.service import CampaignService
from bot.campaigns.topics import in_quiet_hours, parse_quiet_hours
from bot.channels.base import Channel, SendResult
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_promotion import lane_for
from bot.core.messages import Button
from bot.core.registry import ChannelRegistry
from bot.db.models_campaigns import Campaign
from bot.settings import Settings

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)
OTHER_RATE = 50.0  # channels without their own setting (web chat: nothing is pushed)


class CampaignWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        channels: ChannelRegistry,
        service: CampaignService,
        settings: Settings,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.channels = channels
        self.service = service
        self.settings = settings
        self.clock = clock or service.clock
        self.monotonic = monotonic
        self.sleep = sleep
        self.default_quiet = parse_quiet_hours(settings.campaign_quiet_hours)
        self.tz = ZoneInfo(settings.timezone)
        self.limiters: dict[tuple[str, str], RateLimiter] = {}
        self.chat_last: dict[tuple[str, str, int], float] = {}
        self.pauses: list[tuple[str, str, float]] = []  # (unit, channel, seconds), newest last
        # (campaign, channel) -> (text in, text out, buttons out)
        self.texts: dict[tuple[int, str], tuple[str, str, tuple[Button, ...]]] = {}
        self.commits = GroupCommit(sessionmaker)  # each row's writes, fewer transactions

    # --- policy -------------------------------------------------------------------------
    def rate_for(self, channel: str) -> float:
        if channel == "telegram":
            return self.settings.campaign_telegram_rate
        if channel in ("zalo", "zalobot"):
            return self.settings.campaign_zalo_rate
        return OTHER_RATE

    def quiet_now(self, unit: str) -> bool:
        hours = self.service.catalog.quiet_for(unit, self.default_quiet)
        return in_quiet_hours(self.clock().astimezone(self.tz).time(), hours)

    def limiter(self, unit: str, channel: str) -> RateLimiter:
        key = (unit, channel)
        if key not in self.limiters:
            self.limiters[key] = RateLimiter(
                self.rate_for(channel), monotonic=self.monotonic, sleep=self.sleep
            )
        return self.limiters[key]

    # --- the loop -----------------------------------------------------------------------
    async def run(self, idle_seconds: float = 1.0) -> None:
        recovered = await self.recover()
        if recovered:
            log.warning("campaign rows in flight at the last stop: %s", recovered)
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("campaign worker error")
            await self.sleep(idle_seconds)

    async def recover(self) -> int:
        async with self.sessionmaker.begin() as sess:
            return await outbox.recover(sess, resend=self.settings.campaign_resend_inflight)

    async def run_once(self) -> int:
        """Start due campaigns, send everything due now, close finished campaigns."""
        await self.start_due()
        async with self.sessionmaker() as sess:
            lanes = await outbox.lanes_due(sess, self.clock())
        results = await asyncio.gather(*(self.drain(u, c) for u, c in lanes))
        await self.finish_done()
        return sum(results)

    async def start_due(self) -> int:
        async with self.sessionmaker() as sess:
            due = await sess.execute(
                select(Campaign.id, Campaign.unit, Campaign.emergency).where(
                    Campaign.status == "scheduled", Campaign.scheduled_at <= self.clock()
                )
            )
            todo = [int(cid) for cid, unit, urgent in due if urgent or not self.quiet_now(unit)]
        for cid in todo:
            async with self.sessionmaker.begin() as sess:
                campaign = await sess.get(Campaign, cid, with_for_update=True)
                if campaign is not None and campaign.status == "scheduled":
                    await self.service.start_sending(sess, campaign)
        return len(todo)

    async def finish_done(self) -> None:
        async with self.sessionmaker.begin() as sess:
            for cid in await outbox.finished_campaigns(sess):
                # Locked and checked again: another worker may have finished it meanwhile.
                campaign = await sess.get(Campaign, cid, with_for_update=True)
                if campaign is not None and campaign.status == "sending":
                    await self.service.finish(sess, campaign)

    # --- one lane: a unit's channel -----------------------------------------------------
    async def drain(self, unit: str, name: str) -> int:
        """Send every row of this lane that is due now; return how many API calls were made."""
        channel = self.channels.get(unit, name)
        if channel is None:
            log.warning("campaign rows wait for channel %s of %s (not configured)", name, unit)
            return 0
        limiter = self.limiter(unit, name)
        buttons = self.service.buttons(self.service.units[unit])
        gate = asyncio.Semaphore(self.settings.campaign_concurrency)
        tasks: set[asyncio.Task[None]] = set()
        active: set[int] = set()
        deferred: dict[int, float] = {}
        calls = 0
        self._forget_old_chats()
        while True:
            mono = self.monotonic()
            deferred = {k: v for k, v in deferred.items() if v > mono}
            async with self.sessionmaker() as sess:
                rows = await outbox.claim(
                    sess,
                    unit,
                    name,
                    self.clock(),
                    emergency_only=self.quiet_now(unit),
                    exclude=active | set(deferred),
                )
            if not rows:
                if tasks:
                    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                elif deferred:
                    await self.sleep(max(0.0, min(deferred.values()) - mono))
                else:
                    return calls
                continue
            for due in rows:
                chat = (unit, name, due.contact_id)
                wait = self.chat_last.get(chat, -math.inf) + self.interval - self.monotonic()
                if wait > 0:  # in flight (inf): look again after one interval
                    deferred[due.id] = self.monotonic() + min(wait, self.interval)
                    continue
                await gate.acquire()
                self.chat_last[chat] = math.inf  # taken until the call returns
                active.add(due.id)
                calls += 1
                task = asyncio.create_task(self._send(channel, limiter, due, buttons))
                tasks.add(task)

                def done(t: asyncio.Task[None], row: int = due.id) -> None:
                    tasks.discard(t)
                    active.discard(row)
                    gate.release()

                task.add_done_callback(done)

    @property
    def interval(self) -> float:
        return self.settings.campaign_per_chat_interval

    async def _with_links(
        self, channel: Channel, due: outbox.Due, buttons: tuple[Button, ...]
    ) -> tuple[str, tuple[Button, ...]]:
        """The campaign text and buttons with their URLs through /r/{token} of this channel
        (counted clicks); unchanged when PUBLIC_URL is not set. Cached per campaign and channel
        (a lane's buttons are the same for all its rows)."""
        base = self.settings.public_url
        key = (due.campaign_id, channel.name)
        cached = self.texts.get(key)
        if cached is not None and cached[0] == due.text:
            return cached[1], cached[2]
        if not base:
            return due.text, buttons
        async with self.sessionmaker.begin() as sess:
            text, tracked = await links.campaign_links(
                sess, channel.unit, due.campaign_id, channel.name, due.text, buttons, base,
                self.clock(),
            )  # fmt: skip
        if len(self.texts) > 256:
            self.texts.clear()
        self.texts[key] = (due.text, text, tracked)
        return text, tracked

    def _forget_old_chats(self) -> None:
        cutoff = self.monotonic() - self.interval
        self.chat_last = {k: v for k, v in self.chat_last.items() if v > cutoff}

    async def _send(
        self,
        channel: Channel,
        limiter: RateLimiter,
        due: outbox.Due,
        buttons: tuple[Button, ...],
    ) -> None:
        chat = (channel.unit, channel.name, due.contact_id)
        slot: Slot | None = None
        try:
            if due.blocked:
                await self.commits.run(lambda sess: outbox.skip_blocked(sess, due.id))
                return
            text, tracked = await self._with_links(channel, due, buttons)
            parts = message_parts(channel.name, text, tracked)
            reply = parts[min(due.part, len(parts) - 1)]
            now = self.clock()
            if not await self.commits.run(lambda sess: outbox.mark_inflight(sess, due.id, now)):
                return  # paused, cancelled or taken meanwhile
            whole = False
            lane = lane_for(channel) if isinstance(channel, ZaloChannel) else None
            plan = None
            if lane is not None:
                contact = (due.last_seen_at, due.refuses_promotions)
                plan = await lane.plan(due.external_id, contact)
            if plan is not None and plan.result is not None:
                result = plan.result  # held or skipped: no call, no rate used
            else:
                slot = await limiter.acquire()  # held only for the API call itself
                try:
                    if lane is not None and plan is not None:
                        header = self.service.units[channel.unit].name
                        result, whole = await lane.send(
                            plan, due.external_id, parts, due.part, header
                        )
                    else:
                        result = await channel.send(due.external_id, reply)
                except Exception as exc:  # an adapter bug must not stop the campaign
                    log.exception("campaign send failed")
                    result = SendResult("retry", retry_after=30, error=type(exc).__name__)
                limiter.release(slot)
                slot = None
                self.chat_last[chat] = self.monotonic()
            if result.outcome in ("retry", "refresh"):
                seconds = float(result.retry_after or 5)
                limiter.pause(seconds)
                self.pauses.append((channel.unit, channel.name, seconds))
            now, last = self.clock(), whole or due.part >= len(parts) - 1

            async def write(sess: AsyncSession) -> str:
                return await outbox.record(
                    sess, due, channel.unit, channel.name, reply, result,
                    last_part=last, now=now, next_part_at=now, retry_at=now,
                )  # fmt: skip

            await self.commits.run(write)
        except Exception:
            log.exception("campaign row %s could not be processed", due.id)
        finally:
            if slot is not None:
                limiter.release(slot)
            if self.chat_last.get(chat) == math.inf:
                self.chat_last.pop(chat, None)


async def run_for_app(app: web.Application) -> None:
    """The worker of a running app (started by bot/app.py's workers when RUN_WORKERS)."""
    from bot.campaigns.topics import cached_catalog
    from bot.db.locks import single_runner
    from bot.keys import (
        channels_key,
        db_engine_key,
        services_key,
        sessionmaker_key,
        settings_key,
    )

    settings, services = app[settings_key], app[services_key]
    catalog = cached_catalog(settings.content_dir)
    service = CampaignService(
        services.units, services.messages, catalog, services.clock, settings.timezone
    )
    worker = CampaignWorker(app[sessionmaker_key], app[channels_key], service, settings)
    while True:  # on PostgreSQL exactly one process sends broadcasts
        async with single_runner(app[db_engine_key], "campaign-worker") as mine:
            if mine:
                await worker.run()
        await asyncio.sleep(30)
