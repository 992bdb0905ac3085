"""Actions on one PAKN from the console: reply, change state, internal note, assign,
re-categorise.

Each is a POST (the CSRF token is checked by the console's middleware), runs the change and its
audit entry in one transaction, and redirects back to the PAKN (POST-redirect-GET) with a
notice or an error code. Citizens' text is never put into the audit detail. Notifications the
service queued for the citizen are delivered right after the commit (the background loop
retries any that fail), and so are the edits of the PAKN's cards in the staff group.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import audit
from bot.console.auth import current, now, require
from bot.console.views_pakn import NOTE_MAX, REPLY_MAX, assignable, load_visible
from bot.core.services import Services
from bot.db import unit_categories
from bot.db.models import Message
from bot.db.models_notes import PaknNote
from bot.db.models_pakn import Pakn
from bot.keys import pipeline_key, services_key, sessionmaker_key
from bot.pakn import staff_group, store
from bot.pakn.deadlines import compute_due
from bot.pakn.service import OPEN_STATES, PaknService, PaknState, TransitionError

log = logging.getLogger(__name__)
REASON_MAX = 2000
BODY_MAX = 300


class Refused(Exception):
    """The form cannot be applied; `code` names the message shown (views_pakn.ERRORS)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _back(pakn_id: int, **query: str) -> web.HTTPFound:
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    return web.HTTPFound(f"/console/pakn/{pakn_id}" + (f"?{suffix}" if suffix else ""))


def _service(request: web.Request) -> PaknService:
    services: Services = request.config_dict[services_key]
    assert services.pakn is not None
    return services.pakn


def _text(form: Any, name: str, limit: int) -> str:
    value = str(form.get(name, "")).replace("\r\n", "\n").strip()
    if not value:
        raise Refused("text")
    if len(value) > limit:
        raise Refused("long")
    return value


async def _last_message_id(sess: AsyncSession) -> int:
    return int((await sess.execute(select(func.coalesce(func.max(Message.id), 0)))).scalar_one())


async def _queued_since(sess: AsyncSession, pakn: Pakn, last_id: int) -> list[int]:
    if pakn.contact_id is None:
        return []
    rows = await sess.execute(
        select(Message.id).where(
            Message.id > last_id,
            Message.contact_id == pakn.contact_id,
            Message.direction == "out",
            Message.status == "pending",
        )
    )
    return [int(i) for i in rows.scalars()]


async def _refresh_staff_cards(
    sess: AsyncSession,
    services: Services,
    pakn: Pakn,
    before: tuple[Any, ...],
    when: dt.datetime,
) -> list[int]:
    """The PAKN's cards in the staff group follow what was done here, as after a group action:
    new buttons when the actions left changed, the whole card when its category or deadline
    did."""
    buttons, category, due_at = before
    text = (category, due_at) != (pakn.category, pakn.due_at)
    if buttons == staff_group.action_buttons(services, pakn) and not text:
        return []
    edits = await staff_group.refresh_cards(sess, services, pakn, when, text=text)
    return [m.id for m in edits]


Change = Callable[[AsyncSession, Pakn], Awaitable[tuple[str, dict[str, Any]]]]


async def _apply(request: web.Request, change: Change, notice: str) -> web.StreamResponse:
    """Load the PAKN (404 if not visible), apply `change`, audit it, commit, deliver, redirect."""
    user = current(request)
    services: Services = request.config_dict[services_key]
    pakn_id = int(request.match_info["pakn_id"])
    try:
        async with request.config_dict[sessionmaker_key].begin() as sess:
            pakn = await load_visible(sess, request)
            last_id = await _last_message_id(sess)
            before = (staff_group.action_buttons(services, pakn), pakn.category, pakn.due_at)
            action, detail = await change(sess, pakn)
            await audit.record(
                sess,
                user.actor,
                action,
                target=f"pakn:{pakn.id}",
                detail=detail,
                unit=pakn.unit,
                now=now(request),
            )
            queued = await _queued_since(sess, pakn, last_id)
            queued += await _refresh_staff_cards(sess, services, pakn, before, now(request))
    except Refused as exc:
        raise _back(pakn_id, err=exc.code) from None
    except TransitionError:
        raise _back(pakn_id, err="state") from None
    if queued:
        try:
            await request.config_dict[pipeline_key].deliver(queued)
        except Exception:  # still queued: the background loop sends it later
            log.warning("console: immediate delivery failed", exc_info=True)
    raise _back(pakn_id, ok=notice)


@require("staff")
async def reply(request: web.Request) -> web.StreamResponse:
    form = await request.post()

    async def change(sess: AsyncSession, pakn: Pakn) -> tuple[str, dict[str, Any]]:
        text = _text(form, "text", REPLY_MAX)
        before = pakn.state
        await _service(request).answer(sess, pakn, current(request).actor, now(request), text)
        return "pakn.reply", {"from": before, "to": pakn.state, "length": len(text)}

    return await _apply(request, change, "reply")


@require("staff")
async def transition(request: web.Request) -> web.StreamResponse:
    form = await request.post()

    async def change(sess: AsyncSession, pakn: Pakn) -> tuple[str, dict[str, Any]]:
        try:
            target = PaknState(str(form.get("to", "")))
        except ValueError:
            raise Refused("state") from None
        if target is PaknState.ANSWERED:  # answers go through the reply box
            raise Refused("state")
        actor, when, before = current(request).actor, now(request), pakn.state
        service = _service(request)
        if target is PaknState.FORWARDED:
            body = str(form.get("forwarded_to", "")).strip()
            if not body or len(body) > BODY_MAX:
                raise Refused("body")
            await service.forward(sess, pakn, actor, when, body)
        elif target is PaknState.REJECTED:
            reason = str(form.get("reason", "")).strip()
            if not reason or len(reason) > REASON_MAX:
                raise Refused("reason")
            await service.reject(sess, pakn, actor, when, reason)
        elif target is PaknState.IN_PROGRESS:
            await service.start(sess, pakn, actor, when)
        else:
            await service.transition(sess, pakn, target, actor, when)
        return "pakn.transition", {"from": before, "to": pakn.state}

    return await _apply(request, change, "state")


@require("staff")
async def note(request: web.Request) -> web.StreamResponse:
    form = await request.post()

    async def change(sess: AsyncSession, pakn: Pakn) -> tuple[str, dict[str, Any]]:
        text = _text(form, "text", NOTE_MAX)
        sess.add(
            PaknNote(pakn_id=pakn.id, at=now(request), author=current(request).username, text=text)
        )
        await sess.flush()
        return "pakn.note", {"length": len(text)}

    return await _apply(request, change, "note")


@require("staff")
async def assign(request: web.Request) -> web.StreamResponse:
    form = await request.post()

    async def change(sess: AsyncSession, pakn: Pakn) -> tuple[str, dict[str, Any]]:
        user = current(request)
        user.actor.require("staff", pakn.unit)
        name = str(form.get("assignee", "")).strip()
        if name and name not in {a.username for a in await assignable(sess, pakn.unit)}:
            raise Refused("assignee")
        before = pakn.assignee
        pakn.assignee, pakn.updated_at = name or None, now(request)
        await store.add_event(
            sess,
            pakn,
            actor=user.username,
            from_state=pakn.state,
            to_state=pakn.state,
            now=now(request),
            note=f"assigned to {name}" if name else "unassigned",
        )
        return "pakn.assign", {"from": before, "to": name or None}

    return await _apply(request, change, "assign")


@require("staff")
async def category(request: web.Request) -> web.StreamResponse:
    """Re-categorise (the category staff found when classifying, Nghị định 20/2008 Điều 9): an
    open PAKN's answer deadline follows the new category, counted from its receipt."""
    form = await request.post()

    async def change(sess: AsyncSession, pakn: Pakn) -> tuple[str, dict[str, Any]]:
        user, when = current(request), now(request)
        user.actor.require("staff", pakn.unit)
        service = _service(request)
        policy = service.policies.policy(pakn.unit)
        key = str(form.get("category", ""))
        if key not in await unit_categories.offered(
            sess, pakn.unit, policy.offered, policy.choosable
        ):
            raise Refused("category")
        before = pakn.category
        if key == before:
            return "pakn.category", {"from": before, "to": key}
        pakn.category, pakn.updated_at = key, when
        if pakn.state in OPEN_STATES:
            calendar = service.policies.calendar(pakn.unit)
            pakn.due_at = compute_due(policy, calendar, key, pakn.received_at, "answer")
        await store.add_event(
            sess,
            pakn,
            actor=user.username,
            from_state=pakn.state,
            to_state=pakn.state,
            now=when,
            note=f"category {before} -> {key}",
        )
        return "pakn.category", {"from": before, "to": key}

    return await _apply(request, change, "category")
