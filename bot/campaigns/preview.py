"""How a campaign will look on each channel, before anyone approves it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.campaigns import subscriptions
from bot.campaigns.render import preview_channel
from bot.db.models import Contact
from bot.db.models_campaigns import Campaign

if TYPE_CHECKING:
    from bot.campaigns.service import CampaignService

DEFAULT_PREVIEW_CHANNELS = ("telegram", "zalo")
NOT_CONFIGURED = "Đơn vị chưa cấu hình kênh này: tin sẽ không được gửi."
NO_SUBSCRIBERS = "Chưa có người đăng ký trên kênh này."
ZALO_TYPES = (
    "Zalo OA: {cs} người đã nhắn cho OA trong {days} ngày qua sẽ nhận tin tư vấn; {promo} người "
    "còn lại sẽ nhận tin truyền thông (mỗi người tối đa 1 tin/ngày, không gửi từ 22:00 đến "
    "06:00)."
)
ZALO_QUOTA = "Hạn mức tin truyền thông còn lại hôm nay của OA: {remain}/{total}."
ZALO_SHORT = (
    "Hạn mức hôm nay không đủ cho {promo} tin truyền thông: phần còn lại tạm dừng và tự gửi "
    "tiếp vào sáng hôm sau."
)
ZALO_UNKNOWN = "Chưa đọc được hạn mức tin truyền thông của OA (Zalo chưa trả lời)."


async def channel_previews(
    service: CampaignService,
    sess: AsyncSession,
    campaign: Campaign,
    configured: Collection[str] | None = None,
    zalo_quota: dict[str, int | None] | None = None,
    zalo_window: dt.timedelta = dt.timedelta(days=7),
) -> dict[str, dict[str, Any]]:
    """Per channel: the text parts and buttons as shown, warnings, and recipients.

    `configured`: the channels the unit has set up (None when not known, e.g. in the CLI).
    Only those are previewed, plus any the campaign names explicitly (with a warning).
    `zalo_quota`: the OA's promotion quota ({"remain", "total"}) when the console read it; the
    Zalo view then says how many get each message type and whether the quota suffices."""
    from bot.campaigns.errors import Refused

    unit = service.units[campaign.unit]
    counts = await subscriptions.audience_counts(
        sess, campaign.unit, campaign.topics, campaign.areas, campaign.channels
    )
    if configured is None:
        configured = set(counts) | set(DEFAULT_PREVIEW_CHANNELS)
    channels = campaign.channels or sorted(configured)
    try:
        text, error = service.render_text(campaign), None
    except Refused as exc:
        text, error = "", exc.reason
    result: dict[str, dict[str, Any]] = {}
    for channel in channels:
        if error is not None:
            view: dict[str, Any] = {"parts": [], "buttons": [], "warnings": [error]}
        else:
            view = preview_channel(channel, text, service.buttons(unit))
        view["recipients"] = counts.get(channel, 0)
        if channel not in configured:  # the channel's own cautions do not matter then
            view["warnings"] = [NOT_CONFIGURED]
        elif not view["recipients"]:
            view["warnings"].append(NO_SUBSCRIBERS)
        elif channel == "zalo":
            await _zalo_types(service, sess, campaign, view, zalo_quota, zalo_window)
        result[channel] = view
    return result


async def _zalo_types(
    service: CampaignService,
    sess: AsyncSession,
    campaign: Campaign,
    view: dict[str, Any],
    quota: dict[str, int | None] | None,
    window: dt.timedelta,
) -> None:
    """How many get a consultation message (inside the window) and how many a promotion."""
    conditions = subscriptions.audience_query(
        campaign.unit, campaign.topics, campaign.areas, ["zalo"]
    )
    recent = Contact.last_seen_at >= service.clock() - window
    query = select(func.count()).where(*conditions, recent)  # type: ignore[arg-type]
    cs = int((await sess.execute(query)).scalar_one())
    promo = view["recipients"] - cs
    view["zalo_types"] = {"consultation": cs, "promotion": promo}
    view["zalo_quota"] = quota
    view["warnings"].insert(0, ZALO_TYPES.format(cs=cs, promo=promo, days=window.days))
    if quota is None:
        return
    if quota.get("remain") is None:
        view["warnings"].insert(1, ZALO_UNKNOWN)
        return
    remain, total = quota["remain"], quota.get("total")
    view["warnings"].insert(1, ZALO_QUOTA.format(remain=remain, total=total or "?"))
    if remain is not None and remain < promo:
        view["warnings"].insert(2, ZALO_SHORT.format(promo=promo))
