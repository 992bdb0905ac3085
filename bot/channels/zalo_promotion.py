"""Campaigns on Zalo OA: per recipient, a consultation message inside the free window and a
promotion message ("tin truyền thông") outside it, within what Zalo allows.

The type is chosen from the recipient's last interaction: a consultation message when our own
`last_seen_at` (read with the worker's claim) puts it inside the window; when Zalo disagrees
(-230) the recipient gets a promotion instead. No call per recipient before its send: the OA's
promotion quota (POST /v3.0/oa/quota/message) is read at most once per OA_QUOTA_TTL and counted
down with each promotion. Platform rules for promotions, checked here before any call and
mapped from Zalo's answers when Zalo knows better:
- at most one promotion per recipient and Vietnam day (our own count, and -218) → held until
  the next morning;
- none between 22:00 and 06:00 Vietnam time (-234) → held until 06:00;
- the OA's promotion quota spent (`oa.promotion.remain` = 0, or -211) → the lane's promotions
  pause until the next morning and staff are alerted once; consultation messages go on;
- -244 (the recipient restricts promotions) → skipped, recorded in zalo_promotion_skips so later
  campaigns skip them too; -213 / -227 → "unreachable" (the contact is marked blocked until they
  write again), as for consultation messages;
- -32 → retry later (the worker pauses the lane for retry_after).
"Held" rows stay pending with their next attempt set, use no attempt and make no call.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from bot.channels.base import SendResult
from bot.channels.zalo_api import (
    OA_QUOTA,
    QUIET_HOURS,
    RATE_LIMITED,
    RECIPIENT_QUOTA,
    RESTRICTED,
    TOKEN_INVALID,
    UNREACHABLE,
    ZaloError,
    ZaloNetworkError,
)
from bot.channels.zalo_tokens import TokenUnavailable
from bot.core.messages import Reply, primary_first
from bot.db.models import Contact
from bot.db.models_zalo import ZaloPromotionSkip
from bot.db.upsert import insert_ignoring_conflicts

if TYPE_CHECKING:
    from bot.channels.zalo import ZaloChannel

log = logging.getLogger(__name__)
VN = dt.timezone(dt.timedelta(hours=7))  # Vietnam has no daylight saving time
QUIET_START, QUIET_END = 22, 6
TOKEN_TTL = 30.0  # seconds
OA_QUOTA_TTL = 60.0  # seconds
HEADER_LIMIT = 100
TEXT_LIMIT = 2000  # unverified (docs/zalo-setup.md)
MAX_BUTTONS = 4  # unverified (docs/zalo-setup.md)
PAUSED_ALERT = (
    "Zalo OA đã hết hạn mức tin truyền thông hôm nay (mã -211): chiến dịch tạm dừng gửi tin "
    "truyền thông trên Zalo và tự gửi tiếp từ {until} sáng mai. Tin tư vấn cho người dân vẫn "
    "được gửi."
)


def quiet(now: dt.datetime) -> bool:
    hour = now.astimezone(VN).hour
    return hour >= QUIET_START or hour < QUIET_END


def next_morning(now: dt.datetime) -> dt.datetime:
    """The next 06:00 in Vietnam (today's when it is before 06:00)."""
    local = now.astimezone(VN)
    day = local.date() if local.hour < QUIET_END else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(QUIET_END), VN).astimezone(dt.UTC)


def next_day_morning(now: dt.datetime) -> dt.datetime:
    """06:00 of the next Vietnam day (a new day's quotas, outside the quiet hours)."""
    local = now.astimezone(VN)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(QUIET_END), VN)


@dataclass(frozen=True)
class Plan:
    kind: Literal["cs", "promotion"]
    result: SendResult | None = None  # decided without a send: held, skipped, refresh


def promotion_message(parts: Sequence[Reply], header: str) -> dict[str, Any]:
    """One promotion carrying the whole text: banner (if the reply has an image), header, text,
    buttons (primary first; links that do not fit are written into the text)."""
    from bot.channels.zalo import _button

    buttons = primary_first(parts[-1].buttons) if parts else ()
    shown, rest = buttons[:MAX_BUTTONS], buttons[MAX_BUTTONS:]
    text = "\n\n".join(p.text.strip() for p in parts if p.text.strip())
    overflow = [f"{b.label}: {b.url or b.phone}" for b in rest if b.kind != "reply"]
    if overflow:
        text = "\n".join([text, "", *overflow])
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1].rstrip() + "…"
    elements: list[dict[str, Any]] = []
    image = next((p.image_url for p in parts if p.image_url), None)
    if image:
        elements.append({"type": "banner", "image_url": image})
    elements.append({"type": "header", "content": header.strip()[:HEADER_LIMIT] or "Thông báo"})
    elements.append({"type": "text", "align": "left", "content": text or header})
    payload: dict[str, Any] = {
        "template_type": "promotion",
        "language": "VI",
        "elements": elements,
    }
    if shown:
        payload["buttons"] = [_button(b) for b in shown]
    return {"attachment": {"type": "template", "payload": payload}}


def held(until: dt.datetime, now: dt.datetime, why: str) -> SendResult:
    return SendResult("held", retry_after=max(0.0, (until - now).total_seconds()), error=why)


class PromotionLane:
    """The campaign side of one unit's ZaloChannel (one per channel: `lane_for`)."""

    def __init__(self, channel: ZaloChannel) -> None:
        self.channel = channel
        self.clock = channel.clock
        self._promoted: dict[str, dt.date] = {}  # recipient -> Vietnam day of their promotion
        self._force_promotion: set[str] = set()  # Zalo refused a consultation message
        self.oa_remain: int | None = None
        self.oa_total: int | None = None
        self.paused_until: dt.datetime | None = None
        self._alerted_for: dt.datetime | None = None
        self._day: dt.date | None = None
        self._token: tuple[str, float, int] | None = None  # (token, monotonic read, rejections)
        self._oa_read_at: float | None = None

    async def token(self) -> str:
        """The access token, read from the database at most every TOKEN_TTL seconds, and again
        as soon as Zalo rejected one (TokenManager.after_rejection replaces it)."""
        now, rejections = time.monotonic(), self.channel.tokens.rejections
        cached = self._token
        if cached is None or now - cached[1] > TOKEN_TTL or cached[2] != rejections:
            self._token = cached = (await self.channel.tokens.access_token(), now, rejections)
        return cached[0]

    # --- what Zalo says ---------------------------------------------------------------------
    def _read_oa(self, data: dict[str, Any]) -> None:
        oa = data.get("oa")
        promotion = oa.get("promotion") if isinstance(oa, dict) else None
        if isinstance(promotion, dict):
            self.oa_remain = _remain(promotion)
            self.oa_total = _remain({"remain": promotion.get("total")})

    async def oa_quota(self) -> dict[str, int | None]:
        """The OA's promotion quota left today (None: unknown), read from Zalo at most once per
        OA_QUOTA_TTL, however often staff open campaign pages or recipients are planned; in
        between it is counted down with each promotion sent."""
        now = time.monotonic()
        if self._oa_read_at is None or now - self._oa_read_at > OA_QUOTA_TTL:
            self._oa_read_at = now  # a failing endpoint is asked again only after the TTL
            try:
                self._read_oa(await self.channel.client.message_quota(await self.token()))
            except (ZaloError, ZaloNetworkError, TokenUnavailable) as exc:
                log.warning("Zalo OA quota not read: %s", exc)
                return {"remain": None, "total": None}
        return {"remain": self.oa_remain, "total": self.oa_total}

    # --- choosing ---------------------------------------------------------------------------
    async def plan(
        self, user_id: str, contact: tuple[dt.datetime | None, bool] | None = None
    ) -> Plan:
        """`contact`: (last_seen_at, refused promotions before) when the caller has them (the
        worker reads them with its claim); otherwise one query reads them."""
        now = self.clock()
        self._new_day(now)
        try:
            await self.token()
        except TokenUnavailable as exc:
            result = SendResult("refresh", retry_after=exc.retry_after, error=str(exc)[:300])
            return Plan("cs", result)
        if contact is None:
            _, last_seen, refused = await self._contact(user_id)
        else:
            last_seen, refused = contact
        if (
            user_id not in self._force_promotion
            and last_seen is not None
            and now - last_seen <= self.channel.cs_window
        ):
            return Plan("cs")
        if refused:
            return Plan("promotion", SendResult("skipped", error="zalo -244: recorded earlier"))
        if self.paused_until is not None and now < self.paused_until:
            return Plan("promotion", held(self.paused_until, now, "zalo -211: OA quota spent"))
        if quiet(now):
            return Plan("promotion", held(next_morning(now), now, "zalo quiet hours 22:00-06:00"))
        if self._promoted.get(user_id) == now.astimezone(VN).date():
            why = "zalo: one promotion per recipient and day"
            return Plan("promotion", held(next_day_morning(now), now, why))
        if (await self.oa_quota())["remain"] == 0:
            return Plan("promotion", await self._pause(now, "zalo: OA promotion quota is 0"))
        return Plan("promotion")

    def _new_day(self, now: dt.datetime) -> None:
        today = now.astimezone(VN).date()
        if self._day != today:  # quotas are per day: what we knew is stale
            self._day = today
            self._promoted.clear()
            self.oa_remain = None
            self._oa_read_at = None
        if self.paused_until is not None and now >= self.paused_until:
            self.paused_until = None

    async def _contact(self, user_id: str) -> tuple[int | None, dt.datetime | None, bool]:
        """(contact id, last_seen_at, refused promotions before) in one query."""
        ch = self.channel
        async with ch.sessionmaker() as sess:
            row = (
                await sess.execute(
                    select(Contact.id, Contact.last_seen_at, ZaloPromotionSkip.code)
                    .outerjoin(ZaloPromotionSkip, ZaloPromotionSkip.contact_id == Contact.id)
                    .where(
                        Contact.unit == ch.unit,
                        Contact.channel == ch.name,
                        Contact.external_id == user_id,
                    )
                )
            ).first()
        return (int(row[0]), row[1], row[2] is not None) if row else (None, None, False)

    # --- sending ----------------------------------------------------------------------------
    async def send(
        self, plan: Plan, user_id: str, parts: Sequence[Reply], part: int, header: str
    ) -> tuple[SendResult, bool]:
        """Send what `plan` chose; True with the result when it carried every part."""
        if plan.kind == "cs":
            try:
                token = await self.token()
            except TokenUnavailable as exc:
                error = str(exc)[:300]
                return SendResult("refresh", retry_after=exc.retry_after, error=error), False
            reply = parts[min(part, len(parts) - 1)]
            result = await self.channel.deliver(user_id, reply, token, alert=False)
            if result.outcome != "window_closed":
                return result, False
            if "quota" in (result.error or ""):  # held by the channel's quota book
                return SendResult(
                    "held", retry_after=result.retry_after, error=result.error
                ), False
            self._force_promotion.add(user_id)  # Zalo says the window is closed: promote
            return SendResult("held", retry_after=0.0, error=result.error), False
        message = promotion_message(parts, header)
        try:
            token = await self.token()
            try:
                message_id = await self.channel.client.send_promotion(token, user_id, message)
            except ZaloError as exc:
                if exc.code not in TOKEN_INVALID:
                    raise
                token = await self.channel.tokens.after_rejection(token)
                message_id = await self.channel.client.send_promotion(token, user_id, message)
        except TokenUnavailable as exc:
            return SendResult("refresh", retry_after=exc.retry_after, error=str(exc)[:300]), False
        except ZaloNetworkError as exc:
            return SendResult("retry", retry_after=5, error=f"network: {exc}"), False
        except ZaloError as exc:
            return await self._map_error(user_id, exc), False
        self._promoted[user_id] = self.clock().astimezone(VN).date()
        if self.oa_remain is not None:
            self.oa_remain = max(self.oa_remain - 1, 0)
        return SendResult.ok(message_id), True

    async def _map_error(self, user_id: str, exc: ZaloError) -> SendResult:
        error = f"zalo {exc.code}: {exc.message}"[:300]
        now = self.clock()
        if exc.code in RATE_LIMITED:
            return SendResult("retry", retry_after=60, error=error)
        if exc.code in QUIET_HOURS:
            return held(next_morning(now), now, error)
        if exc.code in OA_QUOTA:
            return await self._pause(now, error)
        if exc.code in RECIPIENT_QUOTA:
            self._promoted[user_id] = now.astimezone(VN).date()
            return held(next_day_morning(now), now, error)
        if exc.code in RESTRICTED:
            await self._record_refusal(user_id, exc.code, error, now)
            return SendResult("skipped", error=error)
        if exc.code in UNREACHABLE:
            return SendResult("unreachable", error=error)
        return SendResult("failed", error=error)

    async def _pause(self, now: dt.datetime, why: str) -> SendResult:
        """The OA's promotions are spent for today: hold them all until tomorrow morning."""
        until = next_day_morning(now)
        self.paused_until = until
        self.oa_remain = 0
        if self._alerted_for != until:
            self._alerted_for = until
            await self.channel._alert(PAUSED_ALERT.format(until=f"{QUIET_END:02d}:00"))
        return held(until, now, why)

    async def _record_refusal(self, user_id: str, code: int, why: str, now: dt.datetime) -> None:
        contact_id, _, _ = await self._contact(user_id)
        if contact_id is None:
            return
        async with self.channel.sessionmaker.begin() as sess:
            stmt = insert_ignoring_conflicts(sess, ZaloPromotionSkip)
            await sess.execute(
                stmt, [{"contact_id": contact_id, "code": code, "reason": why, "at": now}]
            )


_LANES: weakref.WeakKeyDictionary[ZaloChannel, PromotionLane] = weakref.WeakKeyDictionary()


def lane_for(channel: ZaloChannel) -> PromotionLane:
    """The one lane of this channel (the worker and the console preview share it)."""
    lane = _LANES.get(channel)
    if lane is None:
        lane = _LANES[channel] = PromotionLane(channel)
    return lane


def _remain(quota: Any) -> int | None:
    if not isinstance(quota, dict):
        return None
    try:
        return max(int(str(quota.get("remain"))), 0)
    except (TypeError, ValueError):
        return None


async def preview_args(channel: object, wait: float = 5.0) -> dict[str, Any]:
    """For the console preview of a campaign: the OA's promotion quota and the window, when
    the unit has a Zalo OA (empty otherwise). Never waits longer than `wait` seconds for Zalo."""
    import asyncio

    from bot.channels.zalo import ZaloChannel

    if not isinstance(channel, ZaloChannel):
        return {}
    try:
        quota = await asyncio.wait_for(lane_for(channel).oa_quota(), wait)
    except TimeoutError:
        quota = {"remain": None, "total": None}
    return {"zalo_quota": quota, "zalo_window": channel.cs_window}
