"""Plan calendar (/console/campaigns/plan): upload a communication plan (.txt, .md, .docx, at
most 5 MB), read it with bot.plans.import_plan and create the unit's draft calendar with
bot.campaigns.calendar (drafts marked "BẢN NHÁP — cần biên tập", plus the plan's KPI targets).

Staff and admins only (it creates many drafts at once). The importer's PlanImportError messages
are Vietnamese and shown as they are. Reading the plan is CPU work (python-docx, many regular
expressions): it runs in a separate process (bot.isolate) with a time and a memory limit
(PLAN_IMPORT_SECONDS, PLAN_IMPORT_MEMORY_MB), one plan at a time per web process, so the server
keeps answering and a pathological document is stopped; a .docx is also checked against zip
bombs before it is opened (bot/plans/zipguard.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from aiohttp import web
from sqlalchemy import select

from bot.campaigns.calendar import CADENCES, Calendar, read_plan_calendar, store_calendar
from bot.console import audit
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.console.views_campaigns import STATE_LABELS, flash, service_of, take_flash
from bot.db.models_campaigns import Campaign, KpiTarget
from bot.isolate import ChildFailed, LimitExceeded, run_limited
from bot.keys import services_key, sessionmaker_key, settings_key
from bot.plans import PlanImportError

MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".docx")
CADENCE_LABELS = {"weekly": "Mỗi tuần", "biweekly": "Hai tuần một lần", "monthly": "Mỗi tháng"}
ERRORS = {
    "unit": "Hãy chọn đơn vị.",
    "file": "Hãy chọn tệp kế hoạch (.txt, .md hoặc .docx).",
    "type": "Chỉ nhận tệp .txt, .md hoặc .docx.",
    "size": "Tệp lớn hơn 5 MB.",
    "start": "Ngày bắt đầu không hợp lệ.",
}
BUSY = "Máy chủ đang đọc một kế hoạch khác: hãy thử lại sau ít phút."
TOO_SLOW = (
    "Đọc tệp này mất quá {seconds} giây nên đã dừng lại. Tệp có thể bị hỏng hoặc quá phức tạp: "
    "hãy chép phần nội dung kế hoạch sang một tệp .txt rồi thử lại."
)
TOO_BIG = (
    "Đọc tệp này cần quá nhiều bộ nhớ nên đã dừng lại. Tệp có thể bị hỏng hoặc quá phức tạp: "
    "hãy chép phần nội dung kế hoạch sang một tệp .txt rồi thử lại."
)
UNREADABLE = "Không đọc được tệp này. Hãy lưu lại dưới dạng .docx hoặc .txt rồi thử lại."
PARSE_SLOTS = threading.BoundedSemaphore(1)  # plans read at once by this process
PARSE_WAIT = 30.0  # seconds a second upload waits for the first one
# What the child process runs (tests put a hostile reader here).
plan_reader: Callable[..., Calendar] = read_plan_calendar
log = logging.getLogger(__name__)


def read_plan(args: tuple[Any, ...], seconds: float, memory_mb: int) -> Calendar:
    """Read the plan and build its calendar in a separate process, at most `seconds` and
    `memory_mb`; blocking, so called in a worker thread, one plan at a time."""
    if not PARSE_SLOTS.acquire(timeout=PARSE_WAIT):
        raise PlanImportError(BUSY)
    try:
        return cast(Calendar, run_limited(plan_reader, args, seconds=seconds, memory_mb=memory_mb))
    except LimitExceeded as exc:
        log.warning("plan import stopped: over its %s limit", exc.kind)
        message = TOO_SLOW.format(seconds=f"{seconds:g}") if exc.kind == "time" else TOO_BIG
        raise PlanImportError(message) from None
    except ChildFailed as exc:
        log.warning("plan import failed in its process: %s", exc)
        raise PlanImportError(UNREADABLE) from None
    finally:
        PARSE_SLOTS.release()


def safe_name(raw: str) -> str:
    """The uploaded file's name, reduced to letters, digits, dot, dash and underscore."""
    base = Path(unquote(raw).replace("\\", "/")).name.replace("đ", "d").replace("Đ", "D")
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip(".-")[-120:]
    return cleaned or "ke-hoach.txt"


def _unit_query(request: web.Request) -> str | None:
    return request.query.get("unit") or None


async def page_response(
    request: web.Request, unit: str, *, status: int = 200, error: str = ""
) -> web.Response:
    user = current(request)
    drafts: list[Campaign] = []
    kpis: list[KpiTarget] = []
    if unit:
        async with request.config_dict[sessionmaker_key]() as sess:
            drafts = list(
                (
                    await sess.execute(
                        select(Campaign)
                        .where(Campaign.unit == unit, Campaign.source_ref.is_not(None))
                        .order_by(Campaign.planned_at, Campaign.id)
                    )
                ).scalars()
            )
            kpis = list(
                (
                    await sess.execute(
                        select(KpiTarget)
                        .where(KpiTarget.unit == unit)
                        .order_by(KpiTarget.year.desc(), KpiTarget.id)
                    )
                ).scalars()
            )
    message = await take_flash(request)
    return await render(
        request,
        "plan_import.html",
        status=status,
        unit=unit,
        units=visible_units(request, user),
        cadences=CADENCE_LABELS,
        drafts=drafts,
        kpis=kpis,
        states=STATE_LABELS,
        notice=message.get("ok", ""),
        warnings=message.get("warnings", ""),
        error=error or message.get("error", ""),
    )


@require("staff", unit_from=_unit_query)
async def plan_page(request: web.Request) -> web.StreamResponse:
    units = visible_units(request, current(request))
    return await page_response(request, request.query.get("unit") or (units[0] if units else ""))


async def _read_upload(field: Any) -> tuple[str, bytes] | str:
    """(file name, content) or an error key."""
    if not isinstance(field, web.FileField):
        return "file"
    name = safe_name(field.filename or "")
    if not name.lower().endswith(SUFFIXES):
        return "type"
    data = field.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return "size"
    if not data:
        return "file"
    return name, data


@require("staff")
async def plan_upload(request: web.Request) -> web.StreamResponse:
    user = current(request)
    form = await request.post()
    unit = str(form.get("unit", ""))
    if unit not in request.config_dict[services_key].units or not user.actor.can_see(unit):
        raise web.HTTPNotFound()
    cadence = str(form.get("cadence", "weekly"))
    cadence = cadence if cadence in CADENCES else "weekly"
    try:
        raw_start = str(form.get("start", "")).strip()
        start = dt.date.fromisoformat(raw_start) if raw_start else None
    except ValueError:
        return await page_response(request, unit, status=400, error=ERRORS["start"])
    upload = await _read_upload(form.get("file"))
    if isinstance(upload, str):
        return await page_response(request, unit, status=400, error=ERRORS[upload])
    name, data = upload
    service = service_of(request)
    settings = request.config_dict[settings_key]
    with tempfile.TemporaryDirectory(prefix="loaxa-plan-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            args = (path, unit, service.catalog, start, cadence, settings.timezone, now(request))
            cal = await asyncio.to_thread(
                read_plan, args, settings.plan_import_seconds, settings.plan_import_memory_mb
            )
        except PlanImportError as exc:
            return await page_response(request, unit, status=400, error=str(exc))
    async with request.config_dict[sessionmaker_key].begin() as sess:
        await store_calendar(sess, cal, service, name)
        await audit.record(
            sess, user.actor, "campaign.plan_import", f"plan:{name}", unit=unit,
            detail={"created": cal.created, "existing": cal.existing, "kpis": cal.kpis_stored},
            now=now(request),
        )  # fmt: skip
    notice = (
        f"Đã đọc kế hoạch «{cal.plan}» ({cal.year}): tạo {cal.created} bản nháp"
        f"{f', {cal.existing} bản nháp đã có từ trước' if cal.existing else ''}, "
        f"lưu {cal.kpis_stored} chỉ tiêu."
        + (
            f" {len(cal.skipped)} nội dung dành cho cán bộ, công chức hoặc công tác nội bộ "
            "không thành bản nháp."
            if cal.skipped
            else ""
        )
    )
    warnings = (
        ""
        if cal.entries
        else "Kế hoạch không có nội dung nào dành cho người dân hay doanh nghiệp."
    )
    await flash(request, ok=notice, warnings=warnings)
    raise web.HTTPFound(f"/console/campaigns/plan?unit={unit}")
