"""The inbox of questions citizens handed to staff (/console/questions/).

"🙋 Nhờ cán bộ trả lời" puts a question here (bot/pakn/questions.py), per unit and with a
working-day deadline. Staff read it with the few messages before it, answer — the answer goes
to the citizen in their own channel (Telegram, Zalo, web chat) through the outbound queue, as
PAKN replies do — or mark it done, and turn a question and its answer into an FAQ entry draft
(the FAQ editor, pre-filled; saving it is the usual audited FAQ edit). A question answered in
the Telegram staff group is the same record: it leaves this inbox too.
Every action is audited (never with the citizen's words).
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import audit
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.console.views_faq import add_question, editor
from bot.content.faq import LOCAL_TZ
from bot.db.models import FaqQuery
from bot.keys import pipeline_key, services_key, sessionmaker_key
from bot.pakn import questions

log = logging.getLogger(__name__)
audit.ACTION_LABELS.setdefault("question.answer", "Trả lời câu hỏi người dân nhờ cán bộ")
audit.ACTION_LABELS.setdefault("question.done", "Đóng câu hỏi người dân nhờ cán bộ")
NOTICES = {"answer": "Đã gửi câu trả lời cho người dân.", "done": "Đã đóng câu hỏi."}
ERRORS = {
    "text": "Vui lòng nhập câu trả lời.",
    "long": f"Câu trả lời dài quá {questions.ANSWER_MAX} ký tự.",
    "answered": "Câu hỏi này đã được trả lời.",
    "gone": "Không gửi được: người hỏi đã xóa dữ liệu.",
}
STATE_LABELS = {"overdue": "Quá hạn", "due_soon": "Sắp đến hạn", "ok": "Trong hạn", "done": "Xong"}


def _units(request: web.Request) -> list[str]:
    units = visible_units(request, current(request))
    wanted = request.query.get("unit", "")
    if wanted:
        if wanted not in units:
            raise web.HTTPNotFound()
        return [wanted]
    return units


async def _load(sess: AsyncSession, request: web.Request) -> FaqQuery:
    """The handed-off question of the URL if the user may see it; otherwise 404."""
    query = await sess.get(FaqQuery, int(request.match_info["qid"]))
    if query is None or query.handed_at is None or not current(request).actor.can_see(query.unit):
        raise web.HTTPNotFound()
    return query


def _back(qid: int, **params: str) -> web.HTTPFound:
    suffix = "&".join(f"{k}={v}" for k, v in params.items())
    return web.HTTPFound(f"/console/questions/{qid}" + (f"?{suffix}" if suffix else ""))


@require("staff", unit_from="unit")
async def inbox_page(request: web.Request) -> web.StreamResponse:
    units = _units(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        open_ones = await questions.waiting(sess, units)
        done = await questions.recently_done(sess, units)
    when = now(request)
    return await render(
        request,
        "questions.html",
        open_ones=open_ones,
        done=done,
        state=lambda q: questions.state(q, when),
        state_labels=STATE_LABELS,
        unit_filter=request.query.get("unit", ""),
        all_units=visible_units(request, current(request)),
        days=request.config_dict[services_key].settings.question_answer_days,
    )


@require("staff")
async def detail_page(request: web.Request) -> web.StreamResponse:
    services = request.config_dict[services_key]
    async with request.config_dict[sessionmaker_key]() as sess:
        query = await _load(sess, request)
        context = await questions.conversation_before(sess, query)
    offered = [
        services.faq.title(entry)
        for entry, *_ in (query.candidates or [])[:3]
        if services.faq.has(entry)
    ]
    return await render(
        request,
        "question_detail.html",
        q=query,
        context=context,
        offered=offered,
        state=questions.state(query, now(request)),
        state_labels=STATE_LABELS,
        notice=NOTICES.get(request.query.get("ok", ""), ""),
        error=ERRORS.get(request.query.get("err", ""), ""),
        answer_max=questions.ANSWER_MAX,
    )


@require("staff")
async def answer(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    text = str(form.get("text", "")).replace("\r\n", "\n").strip()
    qid = int(request.match_info["qid"])
    if len(text) < questions.ANSWER_MIN:
        raise _back(qid, err="text")
    if len(text) > questions.ANSWER_MAX:
        raise _back(qid, err="long")
    user, when = current(request), now(request)
    services = request.config_dict[services_key]
    try:
        async with request.config_dict[sessionmaker_key].begin() as sess:
            query = await _load(sess, request)
            rows = await questions.answer(sess, services, query, text, user.username, when)
            note = await questions.tell_group(sess, services, query, user.shown_name, when)
            rows += [note] if note is not None else []
            await _audit(sess, request, query, "question.answer", {"length": len(text)})
            queued = [row.id for row in rows]
    except questions.AlreadyAnswered:
        raise _back(qid, err="answered") from None
    except questions.Unreachable:
        raise _back(qid, err="gone") from None
    try:
        await request.config_dict[pipeline_key].deliver(queued)
    except Exception:  # still queued: the background loop sends it later
        log.warning("console: immediate delivery failed", exc_info=True)
    raise _back(qid, ok="answer")


@require("staff")
async def done(request: web.Request) -> web.StreamResponse:
    user, when = current(request), now(request)
    async with request.config_dict[sessionmaker_key].begin() as sess:
        query = await _load(sess, request)
        if query.staff_done_at is None:
            questions.close(query, user.username, when)
            await _audit(sess, request, query, "question.done", {})
    raise _back(query.id, ok="done")


@require("staff")
async def faq_draft(request: web.Request) -> web.StreamResponse:
    """One step from an answered question to a new FAQ entry: the editor, pre-filled with the
    citizen's wording as its first question and the staff answer (nothing saved until Lưu)."""
    async with request.config_dict[sessionmaker_key]() as sess:
        query = await _load(sess, request)
    data: dict[str, Any] = {
        "id": "",
        "topic": "",
        "questions": [],
        "keywords": [],
        "answer": query.staff_answer or "",
        "checked": now(request).astimezone(LOCAL_TZ).date().isoformat(),
    }
    add_question(data, " ".join(query.text.split())[:200])
    return await editor(request, data=data, unit=query.unit, new=True)


async def _audit(
    sess: AsyncSession, request: web.Request, query: FaqQuery, action: str, detail: dict[str, Any]
) -> None:
    await audit.record(
        sess,
        current(request).actor,
        action,
        target=f"question:{query.id}",
        detail=detail,
        unit=query.unit,
        now=now(request),
    )


def add_routes(r: web.UrlDispatcher) -> None:
    qid = r"/questions/{qid:\d{1,18}}"
    r.add_get("/questions/", inbox_page, name="questions")
    r.add_get(qid, detail_page, name="question")
    r.add_post(qid + "/answer", answer, name="question_answer")
    r.add_post(qid + "/done", done, name="question_done")
    r.add_get(qid + "/faq", faq_draft, name="question_faq")
