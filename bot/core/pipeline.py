"""From a stored update to delivered replies.

  webhook ──store──▶ inbox ──process (one transaction: state + log + outbound rows)──▶ messages
                                                                            │
                             channel.send ◀──deliver (retry, blocked, failed)┘

An update is committed before the webhook answers 200, processed exactly once (the inbox row is
marked in the same transaction as its effects), and replies are queued rows: a crash at any
point loses nothing; on restart pending inbox rows and pending replies are picked up again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import SendResult
from bot.core import ahead
from bot.core.batcher import Batch, RideAlong
from bot.core.engine import ConversationEngine, FlowFailed
from bot.core.intake import InboxWriter, WriteGate
from bot.core.lanes import run_lanes
from bot.core.messages import Inbound, Reply
from bot.core.outcomes import record_outcome
from bot.core.registry import ChannelRegistry
from bot.core.steps import Direct, Processed, Redo, Step
from bot.db import hot_path, inbox, queries
from bot.db.models import Contact
from bot.observability import Metrics

log = logging.getLogger(__name__)
# A claimed reply is retried this long after a crash; longer than one send with its timeouts.
SEND_LEASE = dt.timedelta(seconds=30)
INBOX_RETENTION = dt.timedelta(days=2)  # raw updates: long enough to catch redeliveries
PENDING_BATCH = 100  # stored updates read at a time
POSTGRES_WRITERS = 4  # transactions at once in one process (SQLite: 1)
PARSED_MAX = 10 * PENDING_BATCH  # fetched updates' messages kept for priming


R = TypeVar("R")


async def _nothing(_sess: AsyncSession) -> None:
    return None


class Pipeline:
    """Process stored updates and deliver replies: several contacts at once, each in order.

    Updates from one contact are processed one after another (a form's steps must not cross);
    updates from different contacts run concurrently, up to `concurrency` at a time, so that
    one contact's slow send does not hold up the others. Within a process the transactions
    themselves take turns (see WriteGate); several processes on PostgreSQL run side by side.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        engine: ConversationEngine,
        channels: ChannelRegistry,
        clock: Callable[[], dt.datetime],
        retry_max_seconds: float = 300.0,
        metrics: Metrics | None = None,
        concurrency: int = 16,
        understand_at_intake: bool = False,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.engine = engine
        self.channels = channels
        self.clock = clock
        self.retry_max_seconds = retry_max_seconds
        self.metrics = metrics
        bind = sessionmaker.kw.get("bind")
        sqlite = bind is None or bind.dialect.name == "sqlite"
        self.gate = WriteGate(sessionmaker, slots=1 if sqlite else POSTGRES_WRITERS)
        # A web process of a web + worker deployment understands at intake (bot/core/ahead.py).
        understand = self._understand_at_intake if understand_at_intake else None
        self._intake = InboxWriter(self.gate, clock, understand)
        self._wake = asyncio.Event()
        self._concurrency = max(1, concurrency)
        self._in_flight: dict[int, asyncio.Future[None]] = {}  # inbox id → done
        self._parsed: dict[int, list[Inbound]] = {}  # inbox id → its messages, read by fetch
        self._sent: RideAlong[tuple[int, str | None]] = RideAlong(self._flush_sent, "record-sent")

    def wake(self) -> None:
        """Run the background loop now (new rows were queued outside a conversation)."""
        self._wake.set()

    # --- intake ---------------------------------------------------------------------------
    async def accept(
        self, unit: str, channel: str, external_id: str, payload: dict[str, Any]
    ) -> int | None:
        """Commit a raw update; return its inbox id, or None if it was a redelivery."""
        item_id = await self._intake.store(unit, channel, external_id, payload)
        if item_id is not None:
            self._wake.set()
        return item_id

    def _understand_at_intake(
        self, unit: str, channel: str, payload: dict[str, Any]
    ) -> dict[str, Any] | None:
        return ahead.at_intake(self.engine.services, self._parse(unit, channel, payload))

    # --- processing -----------------------------------------------------------------------
    async def process_pending(self) -> int:
        """Process every pending update: one lane per contact, lanes concurrently (see
        bot/core/lanes.py). Returns how many updates were taken."""

        async def fetch(after_id: int) -> list[tuple[int, Hashable]]:
            async with self.sessionmaker() as sess:
                rows = await inbox.pending(sess, PENDING_BATCH, after_id)
            return [(r.id, self._sender(r.id, r.unit, r.channel, r.payload, r.understood))
                    for r in rows]  # fmt: skip

        return await run_lanes(fetch, self.process_item, self._concurrency, PENDING_BATCH)

    def _parse(self, unit: str, channel_name: str, payload: dict[str, Any]) -> list[Inbound]:
        channel = self.channels.get(unit, channel_name)
        try:
            return channel.parse(payload) if channel else []
        except Exception:  # processing will record the failure
            return []

    def _sender(
        self, item_id: int, unit: str, channel_name: str, payload: dict[str, Any],
        understood: dict[str, Any] | None = None,
    ) -> Hashable:  # fmt: skip
        """Who sent the update (its contact), so that one contact's updates keep their order.
        Its messages are kept for process_item, which primes their understanding (unless
        the web process understood them at intake: bot/core/ahead.py)."""
        messages = self._parse(unit, channel_name, payload)
        if len(self._parsed) >= PARSED_MAX:  # only if items were fetched and never processed
            self._parsed.clear()
        self._parsed[item_id] = messages
        ahead.seed(self.engine.services.faq, understood)
        users = {msg.user_id for msg in messages}
        return (unit, channel_name, *sorted(users)) if users else ("item", str(item_id))

    async def process_stored(
        self, item_id: int, unit: str, channel: str, payload: dict[str, Any]
    ) -> list[int]:
        """process_item for an update the caller has just stored (the web chat): its messages
        are read from `payload`, so that their questions are understood before the
        transaction as in the background loop."""
        self._sender(item_id, unit, channel, payload)
        return await self.process_item(item_id)

    async def process_item(self, item_id: int) -> list[int]:
        """Process one inbox row exactly once; deliver its replies; return their ids."""
        parsed = self._parsed.pop(item_id, ())
        running = self._in_flight.get(item_id)
        if running is not None:  # the background loop has it: wait for its result
            await asyncio.shield(running)
            return []
        done = asyncio.get_running_loop().create_future()
        self._in_flight[item_id] = done
        try:
            # Matching the text is the costliest step of most updates: done before the
            # transaction, it doesn't hold the write gate (the flow takes the result).
            try:
                self.engine.prime(parsed)
            except Exception:  # the flow matches it again and answers its own error
                log.exception("understanding ahead failed for inbox item %s", item_id)
            return await self._process_and_deliver(item_id)
        finally:
            del self._in_flight[item_id]
            done.set_result(None)

    async def _process_and_deliver(self, item_id: int) -> list[int]:
        failed: set[int] = set()  # messages of the update whose flow raised (rolled back)
        try:
            while True:
                try:
                    processed = await self._process_in_transaction(item_id, failed)
                    break
                except Redo as redo:  # again, that message answered with an apology
                    if redo.index in failed:
                        raise RuntimeError("error mode failed") from redo
                    failed.add(redo.index)
            steps, hooks, channel, payload = processed
        except Exception as exc:
            log.exception("processing inbox item %s failed", item_id)
            async with self.gate.begin() as sess:
                await inbox.mark_failed(sess, item_id, f"{type(exc).__name__}: {exc}")
            return []
        for hook in hooks:
            try:
                await hook()
            except Exception:
                log.exception("after-commit hook failed for inbox item %s", item_id)
        if channel is not None and payload is not None:
            try:
                await channel.acknowledge(payload)
            except Exception:
                log.warning("acknowledge failed for inbox item %s", item_id, exc_info=True)
        ids: list[int] = []
        for queued, direct in steps:  # in the order of the update's messages
            await self.deliver(queued)
            for msg_id, reply in direct.replies:
                await self._send_direct(direct, msg_id, reply)
            ids += queued + [msg_id for msg_id, _ in direct.replies]
        return ids

    async def _process_in_transaction(self, item_id: int, failed: set[int]) -> Processed:
        """Process one update in one transaction, which also records the replies other lanes
        have sent meanwhile (their COMMIT is this one)."""
        return await self._with_sent_records(lambda sess: self._process(sess, item_id, failed))

    async def _with_sent_records(self, work: Callable[[AsyncSession], Awaitable[R]]) -> R:
        """A transaction through the gate that first writes the "sent" records waiting to ride
        along (bot/core/batcher.py), then does `work`; their callers wake after the COMMIT."""
        sent: Batch[tuple[int, str | None]] = Batch()
        try:
            async with self.gate.begin() as sess:
                sent = self._sent.take()
                await hot_path.record_sent(sess, sent.items, self.clock())
                result = await work(sess)
        except BaseException as exc:
            sent.settle(exc)
            raise
        sent.settle()
        return result

    async def _process(self, sess: AsyncSession, item_id: int, failed: set[int]) -> Processed:
        item = await hot_path.inbox_item(sess, item_id)  # None: another worker has it
        if item is None or item.processed_at is not None:
            return [], [], None, None
        channel = self.channels.get(item.unit, item.channel)
        if channel is None:
            raise LookupError(f"no channel {item.channel} for unit {item.unit}")
        payload = item.payload  # a privacy deletion may empty the row; acknowledge needs it
        steps: list[Step] = []
        hooks: list[Any] = []
        sender: int | None = None  # linked to the update (the last message's, as before)
        erased = False
        messages = channel.parse(payload)
        for index, msg in enumerate(messages):
            if not failed:  # counted once, not again when the update is redone
                if self.metrics is not None:
                    self.metrics.messages_in.labels(msg.unit, msg.channel, msg.kind).inc()
                log.info(
                    "inbound", extra={"unit": msg.unit, "channel": msg.channel, "kind": msg.kind}
                )
            try:
                result = await self.engine.process(sess, msg, flow_failed=index in failed)
            except FlowFailed as exc:
                raise Redo(index) from exc
            to = result.to
            direct = Direct(
                result.direct, msg.unit, msg.channel,
                to.id if to else 0, to.external_id if to else "", bool(to and to.blocked),
            )  # fmt: skip
            steps.append(([row.id for row in result.outbound], direct))
            sender = result.contact_id
            erased = erased or not result.keep_payload
            hooks.extend(result.after_commit)
        # Only a citizen's own updates keep their payload (2 days, linked to the contact so
        # that a privacy deletion reaches it). Others keep only their key, for redeliveries:
        # an update nobody is answered for (an edit, a poll …) has no contact to link, and a
        # staff reply in the group quotes the card it answers (a citizen's petition). An
        # update that erased its sender's data is emptied like their earlier ones.
        citizen = any(not msg.group for msg in messages) and not erased
        await inbox.mark_processed(
            sess, item.id, self.clock(), keep_payload=citizen, contact_id=sender
        )
        return steps, hooks, channel, payload

    # --- delivery -------------------------------------------------------------------------
    async def deliver(self, message_ids: list[int] | None = None) -> int:
        """Send the given pending messages (or every due one). Returns how many were sent.

        One contact's messages go out in order; different contacts' concurrently.
        """
        if message_ids is not None and not message_ids:
            return 0
        async with self.gate.begin() as sess:
            rows = await queries.claim_outbound(sess, self.clock(), SEND_LEASE, ids=message_ids)
            todo = [(row.id, row.unit, row.channel, row.contact_id, row.body) for row in rows]
        by_contact: dict[int, list[tuple[int, str, str, int, Any]]] = {}
        for row in todo:
            by_contact.setdefault(row[3], []).append(row)

        async def lane(rows: list[tuple[int, str, str, int, Any]]) -> int:
            sent = 0
            for msg_id, unit, channel_name, contact_id, body in rows:
                sent += await self._deliver_one(msg_id, unit, channel_name, contact_id, body or {})
            return sent

        return sum(await asyncio.gather(*(lane(rows) for rows in by_contact.values())))

    async def _send_direct(self, to: Direct, msg_id: int, reply: Reply) -> bool:
        """Send a reply inserted already claimed: no claim, no contact read; a success is
        recorded with others in one transaction (group commit)."""
        channel = self.channels.get(to.unit, to.channel)
        if channel is None or to.blocked:
            return await self._deliver_one(
                msg_id, to.unit, to.channel, to.contact_id, reply.to_dict()
            )
        try:
            result = await channel.send(to.external_id, reply)
        except Exception as exc:  # an adapter bug must not stop the queue
            log.exception("send failed for message %s", msg_id)
            result = SendResult("retry", retry_after=30, error=f"{type(exc).__name__}")
        recorded = False
        if result.outcome == "sent":
            try:
                await self._sent.submit((msg_id, result.external_id))
                recorded = True
            except Exception:
                log.warning("recording sent messages failed; one by one", exc_info=True)
        if not recorded:
            await self._record(msg_id, to.contact_id, result, reply.to_dict())
        if self.metrics is not None:
            self.metrics.messages_out.labels(to.unit, to.channel, result.outcome).inc()
        log.info(
            "outbound", extra={"unit": to.unit, "channel": to.channel, "outcome": result.outcome}
        )
        return result.outcome == "sent"

    async def _flush_sent(self) -> None:
        """Record sent replies that no processing transaction took along (see batcher.py)."""
        await self._with_sent_records(_nothing)

    async def _deliver_one(
        self, msg_id: int, unit: str, channel_name: str, contact_id: int, body: dict[str, Any]
    ) -> bool:
        channel = self.channels.get(unit, channel_name)
        async with self.sessionmaker() as sess:
            contact = await sess.get(Contact, contact_id)
        if channel is None or contact is None:
            result = SendResult("retry", retry_after=60, error="channel not configured")
        elif contact.blocked:
            result = SendResult("blocked", error="contact blocked the bot")
        else:
            try:
                result = await channel.send(contact.external_id, Reply.from_dict(body))
            except Exception as exc:  # an adapter bug must not stop the queue
                log.exception("send failed for message %s", msg_id)
                result = SendResult("retry", retry_after=30, error=f"{type(exc).__name__}")
        await self._record(msg_id, contact_id, result, body)
        if self.metrics is not None:
            self.metrics.messages_out.labels(unit, channel_name, result.outcome).inc()
        log.info(
            "outbound", extra={"unit": unit, "channel": channel_name, "outcome": result.outcome}
        )
        return result.outcome == "sent"

    async def _record(
        self, msg_id: int, contact_id: int, result: SendResult, sent_body: dict[str, Any]
    ) -> None:
        async with self.gate.begin() as sess:
            edit_queued = await record_outcome(
                sess, msg_id, contact_id, result, sent_body, self.clock(), self.retry_max_seconds
            )
        if edit_queued:
            self._wake.set()

    # --- background loop ------------------------------------------------------------------
    async def purge_inbox(self) -> int:
        async with self.gate.begin() as sess:
            return await inbox.purge_processed(sess, self.clock() - INBOX_RETENTION)

    async def release_orphaned_claims(self) -> int:
        """SQLite runs one process: replies it claimed before a crash can go out at once."""
        async with self.gate.begin() as sess:
            if sess.get_bind().dialect.name != "sqlite":
                return 0  # other workers may hold live claims; their leases expire instead
            return await queries.release_claims(sess, self.clock())

    async def run(self, idle_seconds: float = 1.0) -> None:
        await self.release_orphaned_claims()
        last_purge = 0.0
        while True:
            self._wake.clear()
            try:
                await self.process_pending()
                await self.deliver()
                if asyncio.get_running_loop().time() - last_purge > 3600:
                    await self.purge_inbox()
                    last_purge = asyncio.get_running_loop().time()
            except Exception:
                log.exception("pipeline loop error")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle_seconds)
