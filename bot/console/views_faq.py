"""FAQ curation (/console/faq/): what the bot could not answer, and the entry editor.

The list shows the most frequent fallback / clarify / 👎 questions of a unit (faq_queries,
grouped by normalised text), each one click from a new entry (the question as its first
paraphrase) or from editing an entry the bot offered (the question added as a paraphrase).
Edits are versions in `faq_edits` (bot/faq_edits.py), validated like the content files; after
a save the running bot's index is rebuilt off the event loop and swapped in.

Scope: `?unit=KEY` edits that unit's own version; no unit edits the version of every unit,
which only an account that sees every unit may do.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from aiohttp import web

from bot import faq_edits, faq_reload
from bot.console import audit
from bot.console.accounts import Account
from bot.console.auth import current, now, require, visible_units
from bot.console.faq_form import (
    EMPTY_LISTS,
    FIELD_LABELS,
    dated_lines,
    field_errors,
    form_data,
)
from bot.console.render import render
from bot.content.faq import LOCAL_TZ, MAX_QUESTIONS, ONLINE_VALUES, FaqEntry, render_answer
from bot.faq_service import LAYER_FILE, FaqService
from bot.keys import services_key, sessionmaker_key
from faq.normalize import fold

audit.ACTION_LABELS.setdefault("faq.edit", "Sửa câu hỏi thường gặp")
PERIOD_DAYS = {"7": "7 ngày", "30": "30 ngày", "90": "3 tháng", "365": "1 năm"}


def may_edit_all(request: web.Request, user: Account) -> bool:
    return all(user.actor.can_see(u) for u in request.config_dict[services_key].units)


def scope_of(request: web.Request) -> str | None:
    """The unit in ?unit= (already checked by `require`), or None for every unit (if allowed)."""
    unit = request.query.get("unit") or None
    if unit is None and not may_edit_all(request, current(request)):
        raise web.HTTPForbidden()
    return unit


def _service(request: web.Request) -> FaqService:
    return request.config_dict[services_key].faq


def preview(request: web.Request, answer: str, unit: str | None) -> tuple[str, str]:
    """The answer rendered for the unit (or the first one the user sees): (text, error)."""
    units = request.config_dict[services_key].units
    key = unit or visible_units(request, current(request))[0]
    probe = FaqEntry("preview", "", "", (), answer, "", (), dt.date(2000, 1, 1))
    try:
        return unicodedata.normalize("NFC", render_answer(probe, units[key])), ""
    except Exception as exc:  # a template error is shown, not raised
        return "", f"Mẫu câu trả lời lỗi: {type(exc).__name__}: {exc}"


async def _editor(
    request: web.Request,
    *,
    data: dict[str, Any],
    unit: str | None,
    new: bool,
    status: int = 200,
    problems: list[tuple[str, str]] | None = None,
    comment: str = "",
) -> web.Response:
    text, error = preview(request, str(data.get("answer", "")), unit)
    entry_id = str(data.get("id", ""))
    service = _service(request)
    return await render(
        request,
        "faq_edit.html",
        status=status,
        data={**dict.fromkeys(faq_edits.FIELD_ORDER, ""), **EMPTY_LISTS, **data},
        unit=unit,
        new=new,
        errors=field_errors(problems or []),
        preview_text=text,
        preview_error=error,
        preview_unit=unit or visible_units(request, current(request))[0],
        topics=service.content.topics,
        online_values=ONLINE_VALUES,
        comment=comment,
        labels=FIELD_LABELS,
        dated_text=dated_lines(data),
        from_db=not new
        and service.has(entry_id, unit)
        and service.entry(entry_id, unit).file == LAYER_FILE,
        may_all=may_edit_all(request, current(request)),
        done=request.query.get("ok", ""),
    )


async def _save(
    request: web.Request, data: dict[str, Any], unit: str | None, *, new: bool, comment: str
) -> web.StreamResponse:
    """Validate, store a version, audit, rebuild the bot's index; errors re-show the form."""
    user = current(request)
    entry, problems = faq_edits.validate(_service(request), data, unit, new=new)
    if entry is None:
        return await _editor(
            request, data=data, unit=unit, new=new, status=400, problems=problems, comment=comment
        )
    when = now(request)
    async with request.config_dict[sessionmaker_key].begin() as sess:
        row = await faq_edits.save(
            sess, entry=entry, unit=unit, author=user.username, comment=comment, now=when
        )
        await audit.record(
            sess,
            user.actor,
            "faq.edit",
            target=f"faq:{entry.id}",
            detail={"version": row.version, "scope": unit or "all", "new": new},
            unit=unit,
            now=when,
        )
    await request.config_dict[faq_reload.faq_reloader_key].reload()
    query = f"?unit={unit}&ok={row.version}" if unit else f"?ok={row.version}"
    raise web.HTTPFound(f"/console/faq/entries/{entry.id}/{query}")


editor = _editor  # the pre-filled editor, for drafts made elsewhere (views_questions)


def _entry_or_404(request: web.Request, unit: str | None) -> FaqEntry:
    try:
        return _service(request).entry(request.match_info["entry_id"], unit)
    except KeyError:
        raise web.HTTPNotFound() from None


@require("staff", unit_from="unit")
async def faq_page(request: web.Request) -> web.StreamResponse:
    """The most frequent questions the bot could not answer, per unit and period."""
    units = visible_units(request, current(request))
    if not units:
        raise web.HTTPNotFound()
    unit = request.query.get("unit") or units[0]
    days = request.query.get("days", "30")
    days = days if days in PERIOD_DAYS else "30"
    since = now(request) - dt.timedelta(days=int(days))
    async with request.config_dict[sessionmaker_key]() as sess:
        rows = await faq_edits.unanswered(sess, unit, since)
    service = _service(request)
    return await render(
        request,
        "faq_unanswered.html",
        rows=rows,
        unit=unit,
        days=days,
        periods=PERIOD_DAYS,
        my_units=units,
        titles={
            i: service.title(i, unit) for r in rows for i in r.offered if service.has(i, unit)
        },
    )


@require("staff", unit_from="unit")
async def entries_page(request: web.Request) -> web.StreamResponse:
    user = current(request)
    units = visible_units(request, user)
    unit = request.query.get("unit") or (None if may_edit_all(request, user) else units[0])
    q = request.query.get("q", "").strip()
    service = _service(request)
    needle = fold(unicodedata.normalize("NFC", q).casefold())
    shown = [
        e
        for e in service.entries_for(unit).values()
        if not needle
        or needle in fold(" ".join((e.id, e.title, *e.questions, *e.keywords)).casefold())
    ]
    async with request.config_dict[sessionmaker_key]() as sess:
        edited = await faq_edits.edited_ids(sess)
    return await render(
        request,
        "faq_entries.html",
        entries=shown,
        unit=unit,
        q=q,
        edited=edited,
        my_units=units,
        may_all=may_edit_all(request, user),
        topics=service.content.topics,
    )


@require("staff", unit_from="unit")
async def new_page(request: web.Request) -> web.StreamResponse:
    unit = scope_of(request)
    question = request.query.get("q", "").strip()
    data: dict[str, Any] = {
        "id": "",
        "topic": "",
        "questions": [question] if question else [],
        "checked": dt.datetime.now(LOCAL_TZ).date().isoformat(),
    }
    return await _editor(request, data=data, unit=unit, new=True)


@require("staff", unit_from="unit")
async def new_submit(request: web.Request) -> web.StreamResponse:
    unit = scope_of(request)
    form = await request.post()
    data = form_data(form, None)
    comment = str(form.get("comment", ""))
    if form.get("op") == "preview":
        return await _editor(request, data=data, unit=unit, new=True, comment=comment)
    return await _save(request, data, unit, new=True, comment=comment)


@require("staff", unit_from="unit")
async def entry_page(request: web.Request) -> web.StreamResponse:
    unit = scope_of(request)
    data = faq_edits.entry_data(_entry_or_404(request, unit))
    question = request.query.get("q", "").strip()
    if question:
        add_question(data, question)
    return await _editor(request, data=data, unit=unit, new=False)


def add_question(data: dict[str, Any], question: str) -> None:
    """The citizen's wording as a question of the entry, or as a keyword when it has its ten
    questions (a keyword is matched, and answered exactly, the same way); nothing if known."""
    known = {q.casefold() for q in [*data["questions"], *data["keywords"]]}
    if question.casefold() in known:
        return
    if len(data["questions"]) < MAX_QUESTIONS:
        data["questions"] = [*data["questions"], question]
    else:
        data["keywords"] = [*data["keywords"], question]


@require("staff", unit_from="unit")
async def accept_question(request: web.Request) -> web.StreamResponse:
    """One click from the unanswered list: the citizen's wording becomes a question of the
    entry (a new version, validated and audited like any edit)."""
    unit = scope_of(request)
    entry = _entry_or_404(request, unit)
    form = await request.post()
    question = " ".join(str(form.get("q", "")).split())[:200]
    data = faq_edits.entry_data(entry)
    if not question:
        raise web.HTTPBadRequest(text="Thiếu câu hỏi.")
    add_question(data, question)
    return await _save(request, data, unit, new=False, comment="Thêm câu hỏi của người dân")


@require("staff", unit_from="unit")
async def entry_submit(request: web.Request) -> web.StreamResponse:
    unit = scope_of(request)
    entry = _entry_or_404(request, unit)
    form = await request.post()
    data = form_data(form, entry.id)
    comment = str(form.get("comment", ""))
    if form.get("op") == "preview":
        return await _editor(request, data=data, unit=unit, new=False, comment=comment)
    return await _save(request, data, unit, new=False, comment=comment)


@require("staff", unit_from="unit")
async def history_page(request: web.Request) -> web.StreamResponse:
    unit = scope_of(request)
    entry = _entry_or_404(request, unit)
    service = _service(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        versions = await faq_edits.history(sess, entry.id, unit)
    base = (service.base or service.content).by_id().get(entry.id)
    file_data = faq_edits.entry_data(base) if base is not None else None
    diffs = []
    for i, row in enumerate(versions):
        older = versions[i + 1].data if i + 1 < len(versions) else file_data
        diffs.append((row, faq_edits.diff_lines(older, row.data)))
    return await render(
        request, "faq_history.html", entry=entry, unit=unit, diffs=diffs, file_data=file_data
    )


@require("staff", unit_from="unit")
async def restore(request: web.Request) -> web.StreamResponse:
    """Save an older version (or, with version 0, the content file's) as the newest one."""
    unit = scope_of(request)
    entry = _entry_or_404(request, unit)
    form = await request.post()
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        raise web.HTTPBadRequest() from None
    service = _service(request)
    if version == 0:
        base = (service.base or service.content).by_id().get(entry.id)
        if base is None:
            raise web.HTTPNotFound()
        data = faq_edits.entry_data(base)
        comment = "Khôi phục nội dung trong tệp content/faq"
    else:
        async with request.config_dict[sessionmaker_key]() as sess:
            row = await faq_edits.get_version(sess, entry.id, unit, version)
        if row is None:
            raise web.HTTPNotFound()
        data, comment = dict(row.data), f"Khôi phục phiên bản {version}"
    return await _save(request, data, unit, new=False, comment=comment)


@require("staff", unit_from="unit")
async def export_yaml(request: web.Request) -> web.StreamResponse:
    """The entries written in the console (this scope) in the content file format."""
    unit = scope_of(request)
    entries = faq_edits.edited_entries(_service(request), unit)
    header = [
        "FAQ entries edited in the Loa Xã console"
        + (f" (with the own versions of {unit})" if unit else " (every unit)"),
        "Put each entry into content/faq/ (replacing the entry with the same id); check with",
        "`loaxa content check`. Schema: content/faq/README.md.",
    ]
    text = faq_edits.to_yaml([faq_edits.entry_data(e) for e in entries], header)
    name = f"faq-{unit or 'all'}.yaml"
    return web.Response(
        text=text,
        content_type="application/yaml",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/faq/", faq_page, name="faq")
    router.add_get("/faq/entries/", entries_page, name="faq_entries")
    router.add_get("/faq/new", new_page, name="faq_new")
    router.add_post("/faq/new", new_submit, name="faq_create")
    router.add_get("/faq/export.yaml", export_yaml, name="faq_export")
    router.add_get("/faq/entries/{entry_id}/", entry_page, name="faq_entry")
    router.add_post("/faq/entries/{entry_id}/", entry_submit, name="faq_save")
    router.add_post("/faq/entries/{entry_id}/accept", accept_question, name="faq_accept")
    router.add_get("/faq/entries/{entry_id}/history", history_page, name="faq_history")
    router.add_post("/faq/entries/{entry_id}/restore", restore, name="faq_restore")
