"""How a campaign will look on each channel, before anyone approves it."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.campaigns import subscriptions
from bot.campaigns.render import preview_channel
from bot.db.models_campaigns import Campaign

if TYPE_CHECKING:
    from bot.campaigns.service import CampaignService

DEFAULT_PREVIEW_CHANNELS = ("telegram", "zalo")
NOT_CONFIGURED = "Đơn vị chưa cấu hình kênh này: tin sẽ không được gửi."
NO_SUBSCRIBERS = "Chưa có người đăng ký trên kênh này."


async def channel_previews(
    service: CampaignService,
    sess: AsyncSession,
    campaign: Campaign,
    configured: Collection[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per channel: the text parts and buttons as shown, warnings, and recipients.

    `configured`: the channels the unit has set up (None when not known, e.g. in the CLI).
    Only those are previewed, plus any the campaign names explicitly (with a warning)."""
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
        result[channel] = view
    return result
