"""Campaign screens: the list per unit, a new draft, one campaign (editor, preview per channel,
audience, history, the actions the user may take now, live progress, delivery report).

The rules live in bot.campaigns.service.CampaignService; this module shows only the actions the
current role and state allow, audits every change ("campaign.<verb>") and turns the service's
refusals into Vietnamese messages (a flash in the session, shown after the redirect).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from aiohttp_session import get_session
from multidict import MultiMapping

from bot import mailer
from bot.campaigns import outbox
from bot.campaigns.service import (
    OPEN,
    STATES,
    CampaignError,
    CampaignService,
    FourEyes,
    approval_conflict,
)
from bot.campaigns.topics import cached_catalog
from bot.channels.zalo_promotion import preview_args
from bot.console import audit, notices
from bot.console.accounts import Account
from bot.console.auth import current, now, require, visible_units
from bot.console.campaign_texts import (
    CHANNEL_LABELS,
    NOTICES,
    OUTCOME_LABELS,
    REFUSALS,
    STATE_LABELS,
)
from bot.console.render import render
from bot.core.actors import RANK, PermissionDenied
from bot.db import unit_areas
from bot.db.models_campaigns import Campaign
from bot.keys import channels_key, services_key, sessionmaker_key, settings_key
from bot.outreach.web import exports_block

UNIT_FIELDS = ("name", "short_name", "hotline", "portal", "address", "hours", "email")
ACTIONS = ("submit", "return", "approve", "pause", "resume", "cancel", "emergency")
FLASH = "campaign_flash"
Fields = dict[str, Any]
MAX_TEMPLATE = 8000


def service_of(request: web.Request) -> CampaignService:
    services = request.config_dict[services_key]
    catalog = cached_catalog(request.config_dict[settings_key].content_dir)
    tz = request.config_dict[settings_key].timezone
    return CampaignService(services.units, services.messages, catalog, services.clock, tz)


def configured_channels(request: web.Request, unit: str) -> set[str]:
    """The channels this unit has set up in this process (tokens given, web chat on)."""
    return {ch.name for ch in request.config_dict[channels_key].all() if ch.unit == unit}


def refusal_text(exc: CampaignError, campaign: Campaign | None = None) -> str:
    if exc.code == "invalid_transition" and campaign is not None:
        state = STATE_LABELS.get(campaign.status, campaign.status)
        return f"Chiến dịch đang ở trạng thái «{state}»: thao tác này không còn phù hợp."
    text = REFUSALS.get(exc.code) or exc.reason
    return text[:1].upper() + text[1:]


async def flash(request: web.Request, **message: str) -> None:
    (await get_session(request))[FLASH] = message


async def take_flash(request: web.Request) -> dict[str, str]:
    value = (await get_session(request)).pop(FLASH, None)
    return value if isinstance(value, dict) else {}


def tz_of(request: web.Request) -> ZoneInfo:
    return ZoneInfo(request.config_dict[settings_key].timezone)


def parse_local(request: web.Request, raw: str) -> dt.datetime | None:
    """A datetime-local field ("2026-03-02T10:30") in the console's time zone, as UTC."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise CampaignError("bad_time", raw) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz_of(request))
    return value.astimezone(dt.UTC)


def local_input(request: web.Request, value: dt.datetime | None) -> str:
    return value.astimezone(tz_of(request)).strftime("%Y-%m-%dT%H:%M") if value else ""


def draft_fields(request: web.Request, form: MultiMapping[Any]) -> dict[str, Any]:
    return {
        "title": str(form.get("title", "")).strip()[:300],
        "template": str(form.get("template", "")).replace("\r\n", "\n")[:MAX_TEMPLATE],
        "topics": [str(v) for v in form.getall("topics", [])],
        "areas": [str(v) for v in form.getall("areas", [])],
        "channels": [str(v) for v in form.getall("channels", []) if str(v) in CHANNEL_LABELS],
        "planned_at": parse_local(request, str(form.get("planned_at", ""))),
    }


def form_values(form: MultiMapping[Any]) -> dict[str, Any]:
    """The submitted fields as typed, to show the form again after a refusal."""
    values: dict[str, Any] = {k: form.get(k, "") for k in ("title", "template", "planned_at")}
    return values | {k: form.getall(k, []) for k in ("topics", "areas", "channels")}


async def record(request: web.Request, sess: Any, verb: str, c: Campaign) -> None:
    actor = current(request).actor
    detail = {"status": c.status}
    target = f"campaign:{c.id}"
    await audit.record(sess, actor, f"campaign.{verb}", target, detail, c.unit, now(request))


async def form_context(request: web.Request, unit: str) -> dict[str, Any]:
    """What the draft form needs: topics, areas, channels, the unit's fields and their values."""
    services = request.config_dict[services_key]
    catalog = cached_catalog(request.config_dict[settings_key].content_dir)
    u = services.units[unit]
    async with request.config_dict[sessionmaker_key]() as sess:
        areas = await unit_areas.edited_areas(sess, unit)  # the console's list over the file
    return {
        "topics": [(t.key, t.label) for t in catalog.topics],
        "areas": list(u.areas) if areas is None else areas,
        "channel_labels": CHANNEL_LABELS,
        "channel_choices": configured_channels(request, unit),
        "unit_fields": [(f, getattr(u, f) or "") for f in UNIT_FIELDS],
    }


def is_staff(user: Account) -> bool:
    return RANK[user.role] >= RANK["staff"]


def allowed(user: Account, c: Campaign) -> tuple[set[str], str]:
    """The actions this user may take on this campaign now, and why approval is not offered."""
    author = user.username == c.author
    staff = is_staff(user)
    conflict = approval_conflict(c, user.username)  # four eyes: author or last text writer
    acts: set[str] = set()
    if c.status == "draft" and (author or staff):
        acts |= {"edit", "submit"}
    if c.status == "review" and staff:
        acts.add("return")
        if conflict is None:
            acts.add("approve")
    if c.status in ("scheduled", "sending") and staff:
        acts.add("pause")
    if c.status == "paused" and staff:
        acts.add("resume")
    if c.status in OPEN and (staff or (author and c.status in ("draft", "review"))):
        acts.add("cancel")
    if c.status in ("draft", "review", "scheduled", "paused") and user.role == "admin":
        acts.add("emergency")
    why = ""
    if c.status == "review" and "approve" not in acts:
        only_staff = "Chỉ cán bộ hoặc quản trị viên duyệt được."
        why = REFUSALS[conflict.code] if staff and conflict else only_staff
    return acts, why


async def load(request: web.Request, sess: Any, user: Account) -> Campaign:
    campaign = await sess.get(Campaign, int(request.match_info["cid"]))
    units = request.config_dict[services_key].units
    if campaign is None or campaign.unit not in units or not user.actor.can_see(campaign.unit):
        raise web.HTTPNotFound()
    return campaign


def detail_url(cid: int) -> str:
    return f"/console/campaigns/{cid}"


# --- list and new draft -------------------------------------------------------------------
def _unit_query(request: web.Request) -> str | None:
    return request.query.get("unit") or None


@require("volunteer", unit_from=_unit_query)
async def campaigns_page(request: web.Request) -> web.StreamResponse:
    user = current(request)
    units = visible_units(request, user)
    unit = request.query.get("unit") or (units[0] if units else "")
    state = request.query.get("state", "")
    state = state if state in STATES else ""
    rows: list[Campaign] = []
    if unit:
        async with request.config_dict[sessionmaker_key]() as sess:
            rows = await service_of(request).list_campaigns(sess, user.actor, unit)
    counts = Counter(c.status for c in rows)
    return await render(
        request, "campaigns.html", unit=unit, units=units, state=state, counts=counts,
        total=len(rows), rows=[c for c in rows if not state or c.status == state],
        states=STATE_LABELS, notice=(await take_flash(request)).get("ok", ""),
    )  # fmt: skip


@require("volunteer", unit_from="unit")
async def new_page(request: web.Request) -> web.StreamResponse:
    unit = request.match_info["unit"]
    return await render(
        request,
        "campaign_new.html",
        unit=unit,
        values={},
        error="",
        **(await form_context(request, unit)),
    )


@require("volunteer", unit_from="unit")
async def create(request: web.Request) -> web.StreamResponse:
    user = current(request)
    unit = request.match_info["unit"]
    form = await request.post()
    values = form_values(form)
    try:
        fields = draft_fields(request, form)
        async with request.config_dict[sessionmaker_key].begin() as sess:
            c = await service_of(request).create_draft(sess, user.actor, unit=unit, **fields)
            await record(request, sess, "create", c)
            cid = c.id
    except CampaignError as exc:
        ctx = await form_context(request, unit)
        return await render(
            request, "campaign_new.html", status=400, unit=unit, values=values,
            error=refusal_text(exc), **ctx,
        )  # fmt: skip
    await flash(request, ok=NOTICES["create"])
    raise web.HTTPFound(detail_url(cid))


# --- one campaign -------------------------------------------------------------------------
async def detail_response(
    request: web.Request, *, status: int = 200, error: str = "", editing: Fields | None = None
) -> web.Response:
    user = current(request)
    service = service_of(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        c = await load(request, sess, user)
        events = await service.events(sess, c.id)
        zalo = await preview_args(request.config_dict[channels_key].get(c.unit, "zalo"))
        preview = await service.preview(sess, c, configured_channels(request, c.unit), **zalo)
        started = c.started_at is not None
        progress = await outbox.progress(sess, c.id, now(request))
        reach = await outbox.campaign_stats(sess, campaign_id=c.id) if started else {}
        problems = await outbox.error_breakdown(sess, c.id) if started else []
    acts, why_no_approve = allowed(user, c)
    exports_html = exports_block(request.config_dict[services_key].units[c.unit], c)
    message = await take_flash(request)
    values = editing or {
        "title": c.title, "template": c.template, "topics": c.topics, "areas": c.areas,
        "channels": c.channels, "planned_at": local_input(request, c.planned_at),
    }  # fmt: skip
    soon = now(request) + dt.timedelta(minutes=10)
    return await render(
        request, "campaign_detail.html", status=status, c=c, unit=c.unit, events=events,
        preview=preview, audience=sum(v["recipients"] for v in preview.values()),
        progress=progress, reach=reach, problems=problems, acts=acts,
        why_no_approve=why_no_approve, values=values, states=STATE_LABELS,
        outcomes=OUTCOME_LABELS, notice=message.get("ok", ""),
        error=error or message.get("error", ""),
        default_send=local_input(request, max(c.planned_at or soon, soon)),
        live=c.status in ("scheduled", "sending", "paused"), exports_html=exports_html,
        **(await form_context(request, c.unit)),
    )  # fmt: skip


@require("volunteer")
async def detail(request: web.Request) -> web.StreamResponse:
    return await detail_response(request)


@require("volunteer")
async def edit(request: web.Request) -> web.StreamResponse:
    user = current(request)
    form = await request.post()
    editing = form_values(form)
    try:
        async with request.config_dict[sessionmaker_key].begin() as sess:
            c = await load(request, sess, user)
            if "edit" not in allowed(user, c)[0]:
                raise PermissionDenied("edit")
            await service_of(request).update_draft(
                sess, user.actor, c.id, **draft_fields(request, form)
            )
            await record(request, sess, "edit", c)
    except PermissionDenied:
        raise web.HTTPForbidden() from None
    except CampaignError as exc:
        return await detail_response(request, status=400, error=refusal_text(exc), editing=editing)
    await flash(request, ok=NOTICES["edit"])
    raise web.HTTPFound(detail_url(c.id))


@require("volunteer")
async def act(request: web.Request) -> web.StreamResponse:
    """submit, return, approve, pause, resume, cancel, emergency (admin; confirmed)."""
    user = current(request)
    action = request.match_info["action"]
    form = await request.post()
    note = str(form.get("note", "")).strip()[:1000]
    service = service_of(request)
    sm = request.config_dict[sessionmaker_key]
    async with sm() as sess:
        c = await load(request, sess, user)
    cid = c.id
    if action == "emergency":
        if user.role != "admin":
            raise web.HTTPForbidden()
        if note and form.get("confirm") != "yes":
            async with sm() as sess:
                preview = await service.preview(sess, c, configured_channels(request, c.unit))
            audience = sum(v["recipients"] for v in preview.values())
            return await render(
                request, "campaign_emergency.html", c=c, note=note, audience=audience,
                preview=preview, channel_labels=CHANNEL_LABELS,
            )  # fmt: skip
    try:
        async with sm.begin() as sess:
            campaign = await load(request, sess, user)
            if action == "submit" and "submit" not in allowed(user, campaign)[0]:
                raise PermissionDenied("submit")
            if action == "submit":
                await service.submit(sess, user.actor, cid, note)
            elif action == "return":
                await service.return_to_draft(sess, user.actor, cid, note)
            elif action == "approve":
                when = parse_local(request, str(form.get("send_at", "")))
                await service.approve(sess, user.actor, cid, send_at=when, note=note)
            elif action == "pause":
                await service.pause(sess, user.actor, cid, note)
            elif action == "resume":
                await service.resume(sess, user.actor, cid, note)
            elif action == "cancel":
                await service.cancel(sess, user.actor, cid, note)
            else:
                await service.emergency_send(sess, user.actor, cid, note)
            await record(request, sess, action, campaign)
            mail = await notices.campaign_decided(
                sess, author=campaign.author, actor=user.username, action=action,
                campaign_id=cid, title=campaign.title, note=note, now=now(request),
            )  # fmt: skip
        await flash(request, ok=NOTICES[action])
        if mail is not None:  # after the commit; a failure is logged, the notice stays
            await mailer.send(
                request.config_dict[settings_key], [mail[0]], "Loa Xã: chiến dịch của bạn", mail[1]
            )
    except FourEyes as exc:  # the author or the last writer of the text: audited, refused
        async with sm.begin() as sess:
            await audit.record(
                sess, user.actor, "campaign.approve_refused", f"campaign:{cid}",
                {"reason": exc.code}, c.unit, now(request),
            )  # fmt: skip
        await flash(request, error=refusal_text(exc))
    except PermissionDenied:
        await flash(request, error=REFUSALS["denied"])
    except CampaignError as exc:
        await flash(request, error=refusal_text(exc, c))
    raise web.HTTPFound(detail_url(cid))


@require("volunteer")
async def progress_json(request: web.Request) -> web.StreamResponse:
    user = current(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        c = await load(request, sess, user)
        data = await outbox.progress(sess, c.id, now(request))
    data.update(status=c.status, status_label=STATE_LABELS.get(c.status, c.status))
    return web.json_response(data, headers={"Cache-Control": "no-store"})


def add_routes(r: web.UrlDispatcher) -> None:
    cid = r"/campaigns/{cid:\d{1,18}}"
    r.add_get("/campaigns/", campaigns_page, name="campaigns")
    r.add_get("/campaigns/new/{unit}", new_page, name="campaign_new")
    r.add_post("/campaigns/new/{unit}", create, name="campaign_create")
    r.add_get(cid, detail, name="campaign")
    r.add_post(cid + "/edit", edit, name="campaign_edit")
    r.add_post(cid + "/{action:" + "|".join(ACTIONS) + "}", act, name="campaign_action")
    r.add_get(cid + "/progress.json", progress_json, name="campaign_progress")
