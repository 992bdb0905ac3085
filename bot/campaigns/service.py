"""The campaign workflow, with permissions and an audit row for every transition.

    draft ──submit──▶ review ──approve (staff/admin of the unit, four eyes)──▶ scheduled
      ▲                 │                                                        │ due (worker)
      └────return───────┘                                                        ▼
    paused ◀──pause── scheduled / sending ──resume──▶ (back)      sending ──all done──▶ sent
    any open state ──cancel──▶ cancelled
    draft / review / scheduled / paused ──emergency (admin; reason required)──▶ sending now

Four eyes: neither the author nor whoever last changed the text (title or template: `text_by`)
may approve; a second account must. Approval and the emergency path refuse, with the reason, a
template that does not render, one still marked as a plan draft, an empty audience and a
schedule in the past. Screens (console) and the CLI call this service; the worker calls
`start_sending` and `finish`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import formatting
from bot.campaigns import outbox, subscriptions
from bot.campaigns.render import DRAFT_MARKER, RenderError, render_template
from bot.campaigns.topics import Catalog
from bot.content.messages import Messages
from bot.content.units import Unit
from bot.core.actors import SYSTEM, Actor, PermissionDenied
from bot.core.messages import Button
from bot.db import unit_areas
from bot.db.models_campaigns import Campaign, CampaignEvent

OPEN = ("draft", "review", "scheduled", "sending", "paused")
STATES = (*OPEN, "sent", "cancelled")
PAST_GRACE = dt.timedelta(minutes=1)


from bot.campaigns.errors import CampaignError, InvalidTransition, Refused  # noqa: E402

__all__ = ["CampaignError", "InvalidTransition", "Refused"]


class FourEyes(CampaignError, PermissionDenied):
    """Approval by the author or by the last writer of the text: another account must approve."""


def approval_conflict(campaign: Campaign, name: str) -> FourEyes | None:
    """Why `name` may not approve `campaign` (four eyes), or None."""
    if name == campaign.author:
        return FourEyes("own_campaign", "người soạn không thể tự duyệt chiến dịch của mình")
    if name == (campaign.text_by or campaign.author):
        return FourEyes("own_text", "người sửa nội dung sau cùng không thể tự duyệt")
    return None


class CampaignService:
    def __init__(
        self,
        units: Mapping[str, Unit],
        messages: Messages,
        catalog: Catalog,
        clock: Callable[[], dt.datetime],
        timezone: str = formatting.DEFAULT_TZ,
    ) -> None:
        self.units = units
        self.messages = messages
        self.catalog = catalog
        self.clock = clock
        self.timezone = timezone  # times written into notes and refusals are local

    # --- reading ------------------------------------------------------------------------
    async def get(self, sess: AsyncSession, actor: Actor, campaign_id: int) -> Campaign:
        campaign = await sess.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignError("not_found", f"không có chiến dịch số {campaign_id}")
        actor.require("volunteer", campaign.unit)
        return campaign

    async def list_campaigns(self, sess: AsyncSession, actor: Actor, unit: str) -> list[Campaign]:
        actor.require("volunteer", unit)
        rows = await sess.execute(
            select(Campaign).where(Campaign.unit == unit).order_by(Campaign.id.desc())
        )
        return list(rows.scalars())

    async def events(self, sess: AsyncSession, campaign_id: int) -> list[CampaignEvent]:
        rows = await sess.execute(
            select(CampaignEvent)
            .where(CampaignEvent.campaign_id == campaign_id)
            .order_by(CampaignEvent.id)
        )
        return list(rows.scalars())

    # --- drafting -----------------------------------------------------------------------
    async def create_draft(
        self,
        sess: AsyncSession,
        actor: Actor,
        *,
        unit: str,
        title: str,
        template: str,
        topics: Sequence[str],
        areas: Sequence[str] = (),
        channels: Sequence[str] = (),
        planned_at: dt.datetime | None = None,
        source_ref: str | None = None,
        legal_refs: Sequence[str] = (),
        note: str = "",
    ) -> Campaign:
        actor.require("volunteer", unit)
        if unit not in self.units:
            raise CampaignError("unknown_unit", f"không có đơn vị {unit!r}")
        known = await unit_areas.edited_areas(sess, unit)  # the console's list over the file
        self._check_fields(unit, title, template, topics, areas, known)
        now = self.clock()
        campaign = Campaign(
            unit=unit,
            title=title.strip()[:300],
            template=template,
            topics=list(topics),
            areas=list(areas),
            channels=list(channels),
            status="draft",
            author=actor.name,
            text_by=actor.name,
            emergency=False,
            planned_at=planned_at,
            source_ref=source_ref,
            legal_refs=list(legal_refs),
            created_at=now,
            updated_at=now,
        )
        sess.add(campaign)
        await sess.flush()
        self._audit(sess, campaign, actor, None, "draft", note or "tạo bản nháp", now)
        return campaign

    async def update_draft(
        self, sess: AsyncSession, actor: Actor, campaign_id: int, **changes: Any
    ) -> Campaign:
        campaign = await self.get(sess, actor, campaign_id)
        if campaign.status != "draft":
            raise InvalidTransition("not_draft", "chỉ sửa được chiến dịch ở trạng thái nháp")
        if actor.name != campaign.author:
            actor.require("staff", campaign.unit)
        allowed = {"title", "template", "topics", "areas", "channels", "planned_at"}
        unknown = set(changes) - allowed
        if unknown:
            raise CampaignError("bad_field", f"không sửa được: {sorted(unknown)}")
        merged = {k: changes.get(k, getattr(campaign, k)) for k in allowed}
        known = await unit_areas.edited_areas(sess, campaign.unit)
        self._check_fields(
            campaign.unit,
            merged["title"],
            merged["template"],
            merged["topics"],
            merged["areas"],
            known,
        )
        if any(changes[k] != getattr(campaign, k) for k in ("title", "template") if k in changes):
            campaign.text_by = actor.name
        for key, value in changes.items():
            setattr(campaign, key, list(value) if isinstance(value, list | tuple) else value)
        campaign.updated_at = self.clock()
        self._audit(sess, campaign, actor, "draft", "draft", "sửa: " + ", ".join(sorted(changes)))
        return campaign

    def _check_fields(
        self,
        unit: str,
        title: str,
        template: str,
        topics: Sequence[str],
        areas: Sequence[str],
        known_areas: Sequence[str] | None = None,  # None: the unit file's list
    ) -> None:
        if not title or not title.strip():
            raise Refused("no_title", "chiến dịch cần có tên")
        if not topics:
            raise Refused("no_topic", "chọn ít nhất một chủ đề")
        unknown = [t for t in topics if self.catalog.topic(t) is None]
        if unknown:
            raise Refused("unknown_topic", f"chủ đề không có: {', '.join(unknown)}")
        known = self.units[unit].areas if known_areas is None else known_areas
        bad_areas = [a for a in areas if a not in known]
        if bad_areas:
            raise Refused("unknown_area", f"ấp/khu phố không có: {', '.join(bad_areas)}")
        if not template or not template.strip():
            raise Refused("bad_template", "mẫu tin trống")

    # --- transitions --------------------------------------------------------------------
    async def submit(self, sess: AsyncSession, actor: Actor, cid: int, note: str = "") -> Campaign:
        campaign = await self.get(sess, actor, cid)
        self.render_text(campaign)  # a broken template is refused now, not at approval
        return self._move(sess, campaign, actor, ("draft",), "review", note or "gửi duyệt")

    async def return_to_draft(
        self, sess: AsyncSession, actor: Actor, cid: int, note: str
    ) -> Campaign:
        campaign = await self.get(sess, actor, cid)
        actor.require("staff", campaign.unit)
        if not note.strip():
            raise CampaignError("note_required", "ghi lý do trả lại")
        return self._move(sess, campaign, actor, ("review",), "draft", note)

    async def approve(
        self,
        sess: AsyncSession,
        actor: Actor,
        cid: int,
        send_at: dt.datetime | None = None,
        note: str = "",
    ) -> Campaign:
        campaign = await self.get(sess, actor, cid)
        actor.require("staff", campaign.unit)
        conflict = approval_conflict(campaign, actor.name)
        if conflict is not None:
            raise conflict
        if campaign.status != "review":
            raise self._invalid(campaign, "approve")
        now = self.clock()
        when = send_at or now
        if when < now - PAST_GRACE:
            shown = formatting.localtime(when, self.timezone)
            raise Refused("past_schedule", f"thời điểm gửi {shown} đã qua")
        await self.check_sendable(sess, campaign)
        campaign.approved_by = actor.name
        campaign.scheduled_at = when
        text = note or f"duyệt, gửi lúc {formatting.localtime(when, self.timezone)}"
        return self._move(sess, campaign, actor, ("review",), "scheduled", text)

    async def pause(self, sess: AsyncSession, actor: Actor, cid: int, note: str = "") -> Campaign:
        campaign = await self.get(sess, actor, cid)
        actor.require("staff", campaign.unit)
        return self._move(sess, campaign, actor, ("scheduled", "sending"), "paused", note)

    async def resume(self, sess: AsyncSession, actor: Actor, cid: int, note: str = "") -> Campaign:
        campaign = await self.get(sess, actor, cid)
        actor.require("staff", campaign.unit)
        target = "sending" if campaign.started_at is not None else "scheduled"
        return self._move(sess, campaign, actor, ("paused",), target, note)

    async def cancel(self, sess: AsyncSession, actor: Actor, cid: int, note: str = "") -> Campaign:
        campaign = await self.get(sess, actor, cid)
        own_unsent = actor.name == campaign.author and campaign.status in ("draft", "review")
        if not own_unsent:
            actor.require("staff", campaign.unit)
        self._move(sess, campaign, actor, OPEN, "cancelled", note)
        campaign.finished_at = self.clock()
        await outbox.cancel_pending(sess, campaign.id)
        return campaign

    async def emergency_send(
        self, sess: AsyncSession, actor: Actor, cid: int, note: str
    ) -> Campaign:
        """Admin only: send now, skipping review and quiet hours; the reason is audited."""
        campaign = await self.get(sess, actor, cid)
        actor.require("admin", campaign.unit)
        if not note.strip():
            raise CampaignError("note_required", "gửi khẩn cấp cần ghi lý do")
        if campaign.status not in ("draft", "review", "scheduled", "paused"):
            raise self._invalid(campaign, "emergency")
        await self.check_sendable(sess, campaign)
        campaign.emergency = True
        campaign.approved_by = actor.name
        campaign.scheduled_at = self.clock()
        await self.start_sending(sess, campaign, actor=actor, note=f"KHẨN CẤP: {note}")
        return campaign

    # --- used by the worker -------------------------------------------------------------
    async def start_sending(
        self, sess: AsyncSession, campaign: Campaign, *, actor: Actor = SYSTEM, note: str = ""
    ) -> int:
        """Freeze the text, fill the outbox (one row per recipient), status sending."""
        now = self.clock()
        try:
            text = self.render_text(campaign)
        except Refused as exc:
            self._move(sess, campaign, actor, (campaign.status,), "paused", exc.reason)
            return 0
        campaign.rendered = text
        campaign.started_at = now
        count = 0
        if campaign.topics:
            conditions = subscriptions.audience_query(
                campaign.unit, campaign.topics, campaign.areas, campaign.channels
            )
            count = await outbox.fill_audience(sess, campaign, conditions, now)
        self._move(
            sess, campaign, actor, (campaign.status,), "sending", note or f"{count} người nhận"
        )
        if count == 0:
            await self.finish(sess, campaign, note="không còn người nhận")
        return count

    async def finish(self, sess: AsyncSession, campaign: Campaign, note: str = "") -> None:
        campaign.finished_at = self.clock()
        self._move(sess, campaign, SYSTEM, ("sending",), "sent", note)

    # --- checks and preview -------------------------------------------------------------
    def render_text(self, campaign: Campaign) -> str:
        try:
            text = render_template(campaign.template, self.units[campaign.unit])
        except RenderError as exc:
            raise Refused("bad_template", str(exc)) from exc
        if DRAFT_MARKER in text:
            raise Refused("draft_marker", f'mẫu tin còn dấu "{DRAFT_MARKER}": cần biên tập')
        return text

    async def check_sendable(self, sess: AsyncSession, campaign: Campaign) -> dict[str, int]:
        """Refuse (with the reason) what cannot be sent; return the audience per channel."""
        self.render_text(campaign)
        counts = await subscriptions.audience_counts(
            sess, campaign.unit, campaign.topics, campaign.areas, campaign.channels
        )
        if not sum(counts.values()):
            raise Refused("empty_audience", "chưa có ai đăng ký nhận tin theo chủ đề này")
        return counts

    def buttons(self, unit: Unit) -> tuple[Button, ...]:
        """Every broadcast carries a way to change choices and to stop."""
        return (
            Button.reply(self.messages.render("campaign.btn.choices", unit=unit), "sub"),
            Button.reply(self.messages.render("campaign.btn.stop", unit=unit), "sub:stop"),
        )

    async def preview(
        self,
        sess: AsyncSession,
        campaign: Campaign,
        configured: Collection[str] | None = None,
        **zalo: Any,
    ) -> dict[str, dict[str, Any]]:
        """Per channel: parts, buttons, warnings, recipients (bot.campaigns.preview); `zalo`:
        zalo_quota and zalo_window for the Zalo message types."""
        from bot.campaigns.preview import channel_previews

        return await channel_previews(self, sess, campaign, configured, **zalo)

    # --- helpers ------------------------------------------------------------------------
    def _invalid(self, campaign: Campaign, action: str) -> InvalidTransition:
        return InvalidTransition(
            "invalid_transition",
            f"không thể {action} chiến dịch đang ở trạng thái {campaign.status}",
        )

    def _move(
        self,
        sess: AsyncSession,
        campaign: Campaign,
        actor: Actor,
        allowed: Sequence[str],
        target: str,
        note: str = "",
    ) -> Campaign:
        if campaign.status not in allowed:
            raise self._invalid(campaign, f"chuyển sang {target}")
        before = campaign.status
        campaign.status = target
        campaign.updated_at = self.clock()
        self._audit(sess, campaign, actor, before, target, note)
        return campaign

    def _audit(
        self,
        sess: AsyncSession,
        campaign: Campaign,
        actor: Actor,
        before: str | None,
        after: str,
        note: str,
        now: dt.datetime | None = None,
    ) -> None:
        sess.add(
            CampaignEvent(
                campaign_id=campaign.id,
                actor=actor.name,
                role=actor.role,
                at=now or self.clock(),
                from_status=before,
                to_status=after,
                note=note[:2000],
            )
        )
