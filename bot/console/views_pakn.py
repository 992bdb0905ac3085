"""The PAKN queue (/console/pakn/) and one PAKN (/console/pakn/{id}): read-only pages.

The actions on a PAKN (reply, transition, note, assign) are in views_pakn_actions.py.
Every page needs role staff; a PAKN of a unit outside the user's scope is a 404, as if it did
not exist. The phone number is shown in full only to staff of the PAKN's own unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.campaigns.topics import cached_catalog
from bot.console import accounts, audit, pakn_case
from bot.console.accounts import Account
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.core.services import Services
from bot.db import media, unit_categories
from bot.db.models import Message
from bot.db.models_notes import PaknNote
from bot.db.models_pakn import Pakn
from bot.keys import services_key, sessionmaker_key
from bot.pakn import store
from bot.pakn.deadlines import CATEGORY_LABELS
from bot.pakn.phone import display_vn_phone, mask_phone
from bot.pakn.policy import PolicyBook
from bot.pakn.service import TRANSITIONS, PaknState
from bot.reports import pakn_query
from bot.reports.pakn_query import DUE_FILTERS, SORTS, STATE_LABELS, STATES, QueueFilter
from bot.reports.register import category_label

audit.ACTION_LABELS.update(
    {
        "pakn.transition": "Đổi trạng thái phản ánh",
        "pakn.reply": "Trả lời phản ánh",
        "pakn.note": "Ghi chú nội bộ phản ánh",
        "pakn.assign": "Giao phản ánh",
        "pakn.category": "Đổi lĩnh vực phản ánh",
        "report.export": "Xuất báo cáo",
    }
)
STAGE_LABELS = {"receive": "tiếp nhận", "forward": "chuyển", "answer": "trả lời"}
DUE_LABELS = {"overdue": "Quá hạn", "due_soon": "Sắp đến hạn", "ok": "Trong hạn", "done": ""}
DUE_FILTER_LABELS = {
    "late": "Quá hạn hoặc sắp đến hạn",
    "overdue": "Quá hạn",
    "due_soon": "Sắp đến hạn",
}
REPLY_MAX = 4000  # characters; the channel adapters split long texts (Telegram 4096, Zalo 2000)
NOTE_MAX = 2000
MESSAGES_BEFORE = 20  # the citizen's conversation shown around the submission
MESSAGES_AFTER = 40
# Buttons for the next states (answered has its own reply box).
ACTION_LABELS = {
    "received": "Tiếp nhận, vào sổ",
    "in_progress": "Nhận xử lý",
    "forwarded": "Chuyển cơ quan có thẩm quyền",
    "rejected": "Không tiếp nhận",
    "closed": "Kết thúc",
}
NOTICES = {
    "reply": "Đã gửi câu trả lời cho người dân.",
    "state": "Đã cập nhật trạng thái; người dân được báo qua kênh của họ.",
    "note": "Đã thêm ghi chú nội bộ.",
    "assign": "Đã giao phản ánh.",
    "category": "Đã đổi lĩnh vực; hạn trả lời tính lại theo lĩnh vực mới.",
}
ERRORS = {
    "text": "Hãy nhập nội dung.",
    "long": "Nội dung quá dài.",
    "body": "Hãy nhập tên cơ quan có thẩm quyền nhận phản ánh.",
    "reason": "Hãy nhập lý do không tiếp nhận (người dân sẽ đọc lý do này).",
    "state": "Không thể đổi sang trạng thái này (có thể người khác vừa xử lý). Hãy xem lại.",
    "assignee": "Người được giao phải là cán bộ của đơn vị.",
    "category": "Hãy chọn một lĩnh vực trong danh sách của đơn vị.",
}


def book_of(request: web.Request) -> PolicyBook:
    services: Services = request.config_dict[services_key]
    assert services.pakn is not None
    return services.pakn.policies


def _unit_filter(request: web.Request) -> str | None:
    return request.query.get("unit") or None


def _page_number(raw: str) -> int:
    try:
        return max(1, min(int(raw), 10_000))
    except ValueError:
        return 1


def queue_filter(request: web.Request, user: Account) -> QueueFilter:
    q = request.query
    unit = q.get("unit", "")
    units = (unit,) if unit else tuple(visible_units(request, user))
    state = q.get("state", "open")
    return QueueFilter(
        units=units,
        state=state if state in STATES or state in ("", "open") else "open",
        category=q.get("category", "")[:32],
        area=q.get("area", "")[:200],
        assignee=q.get("assignee", "")[:128],
        due=q.get("due", "") if q.get("due", "") in DUE_FILTERS else "",
        q=q.get("q", "")[:100],
        sort=q.get("sort", "due") if q.get("sort", "due") in SORTS else "due",
    )


@require("staff", unit_from=_unit_filter)
async def queue(request: web.Request) -> web.StreamResponse:
    user = current(request)
    filt = queue_filter(request, user)
    book = book_of(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        result = await pakn_query.search(
            sess, filt, book, now(request), _page_number(request.query.get("page", "1"))
        )
        areas, assignees = await pakn_query.choices(sess, filt.units)
    keep = {
        k: v
        for k, v in request.query.items()
        if k in ("unit", "state", "category", "area", "assignee", "due", "q", "sort")
    }

    def link(**changes: Any) -> str:
        merged = {**keep, **{k: str(v) for k, v in changes.items()}}
        return "?" + urlencode({k: v for k, v in merged.items() if v != ""})

    return await render(
        request,
        "pakn_queue.html",
        result=result,
        filt=filt,
        query=keep,
        link=link,
        my_units=visible_units(request, user),
        areas=areas,
        assignees=assignees,
        categories=CATEGORY_LABELS,
        states=STATE_LABELS,
        due_labels=DUE_LABELS,
        due_filters=DUE_FILTER_LABELS,
        stage_labels=STAGE_LABELS,
        category_of=lambda p: category_label(book, p.unit, p.category),
    )


async def load_visible(sess: AsyncSession, request: web.Request) -> Pakn:
    """The PAKN of the URL if the user may see it; otherwise 404 (existence not revealed)."""
    pakn = await store.get(sess, int(request.match_info["pakn_id"]))
    if pakn is None or not current(request).actor.can_see(pakn.unit):
        raise web.HTTPNotFound()
    return pakn


async def conversation(sess: AsyncSession, pakn: Pakn) -> list[Message]:
    """The citizen's messages around the submission (before it, then after it), oldest first."""
    if pakn.contact_id is None:
        return []
    base = select(Message).where(Message.contact_id == pakn.contact_id)
    before = (
        await sess.execute(
            base.where(Message.created_at <= pakn.received_at)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(MESSAGES_BEFORE)
        )
    ).scalars()
    after = (
        await sess.execute(
            base.where(Message.created_at > pakn.received_at)
            .order_by(Message.created_at, Message.id)
            .limit(MESSAGES_AFTER)
        )
    ).scalars()
    return sorted([*before, *after], key=lambda m: (m.created_at, m.id))


async def assignable(sess: AsyncSession, unit: str) -> list[Account]:
    """Active staff and admins whose units include `unit`."""
    return [
        a
        for a in await accounts.list_accounts(sess)
        if a.active and a.role in ("staff", "admin") and unit in a.units
    ]


def next_actions(pakn: Pakn) -> list[str]:
    allowed = TRANSITIONS[PaknState(pakn.state)]
    return [s.value for s in PaknState if s in allowed and s is not PaknState.ANSWERED]


def phone_text(pakn: Pakn, user: Account) -> str:
    if not pakn.phone:
        return ""
    if pakn.unit in user.units:  # staff of the PAKN's own unit
        try:
            return display_vn_phone(pakn.phone)
        except ValueError:
            return pakn.phone
    return mask_phone(pakn.phone)


@require("staff")
async def detail(request: web.Request) -> web.StreamResponse:
    user = current(request)
    book = book_of(request)
    when = now(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        pakn = await load_visible(sess, request)
        events = await store.events(sess, pakn.id)
        notes = list(
            (
                await sess.execute(
                    select(PaknNote).where(PaknNote.pakn_id == pakn.id).order_by(PaknNote.id)
                )
            ).scalars()
        )
        messages = await conversation(sess, pakn)
        staff = await assignable(sess, pakn.unit)
        files = await media.for_pakn(sess, pakn.id)  # _pakn_files.html
        names = pakn_case.display_names(await accounts.list_accounts(sess))
        policy = book.policy(pakn.unit)
        offered = await unit_categories.offered(sess, pakn.unit, policy.offered, policy.choosable)
    q = request.query
    services: Services = request.config_dict[services_key]
    label = lambda key: category_label(book, pakn.unit, key)  # noqa: E731
    topics = {t.key: t.label for t in cached_catalog(services.settings.content_dir).topics}
    lines = pakn_case.chat_lines(pakn, messages, pakn_case.known_payloads(label, topics))
    return await render(
        request,
        "pakn_detail.html",
        pakn=pakn,
        due=pakn_query.due_of(pakn, book, when),
        category=category_label(book, pakn.unit, pakn.category),
        phone=phone_text(pakn, user),
        phone_link=pakn.phone if pakn.phone and pakn.unit in user.units else "",
        map_link=pakn_case.osm_link(pakn),
        offered=[(k, label(k)) for k in offered],
        names=names,
        about=[line for line in lines if line.about],
        rest=[line for line in lines if not line.about],
        events=events,
        notes=notes,
        staff=staff,
        actions=next_actions(pakn),
        action_labels=ACTION_LABELS,
        can_answer=PaknState.ANSWERED in TRANSITIONS[PaknState(pakn.state)],
        states=STATE_LABELS,
        due_labels=DUE_LABELS,
        stage_labels=STAGE_LABELS,
        notice=NOTICES.get(q.get("ok", ""), ""),
        error=ERRORS.get(q.get("err", ""), ""),
        reply_max=REPLY_MAX,
        note_max=NOTE_MAX,
        age=lambda at: _age(when, at),
        event_note=event_note,
        files=files,
    )


def event_note(note: str) -> str:
    """The service writes its event notes in English; staff read them in Vietnamese."""
    if note.startswith("assigned to "):
        return "Giao cho " + note.removeprefix("assigned to ")
    if note.startswith("category "):
        before, _, after = note.removeprefix("category ").partition(" -> ")
        old, new = CATEGORY_LABELS.get(before, before), CATEGORY_LABELS.get(after, after)
        return f"Đổi lĩnh vực: {old} → {new}"
    if note.startswith("rating "):
        return f"Người dân đánh giá {note.removeprefix('rating ')}/5"
    known = {
        "unassigned": "Bỏ giao việc",
        "anonymised at the citizen's request": "Ẩn danh theo yêu cầu của người dân",
    }
    note = note.replace(
        "[forwarded after the 5-working-day limit]", "(chuyển sau hạn 5 ngày làm việc)"
    )
    return known.get(note, note)


def _age(now_: dt.datetime, at: dt.datetime) -> str:
    days = (now_ - at).days
    return "hôm nay" if days <= 0 else f"{days} ngày trước"
