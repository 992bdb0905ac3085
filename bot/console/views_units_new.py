"""/console/units/new: an admin drafts a new unit from its communication plan — upload the plan,
review the drafted profile (only the plan's facts, checked against the official list of current
units), save it as content/units/KEY.yaml. The new unit is served after a restart.

Reading the plan and the official list runs in the worker process (bot/address.py), with a time
limit, so a heavy or hostile document never holds the server.
"""

from __future__ import annotations

import re
import tempfile
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.address import run_in_worker
from bot.console import audit
from bot.console.auth import current, now, require
from bot.console.render import render
from bot.console.views_plan_import import ERRORS, _read_upload
from bot.content.errors import ContentError
from bot.content.faq import LOCAL_TZ
from bot.content.units import LEVELS, load_units
from bot.keys import services_key, sessionmaker_key, settings_key
from bot.plans import PlanImportError
from bot.plans.unit_draft import draft_from_file, to_yaml

DRAFT_LIMIT = 120.0  # seconds: the first use also loads the official list in the worker
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_FIELDS = ("name", "short_name", "level", "province", "code", "portal", "address", "hours",
               "email")  # fmt: skip
audit.ACTION_LABELS.setdefault("unit.create", "Tạo đơn vị từ kế hoạch")


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]


def profile_from_form(form: Any) -> dict[str, Any]:
    def get(name: str) -> str:
        return str(form.get(name, "")).strip()

    hotlines = []
    for line in _lines(str(form.get("hotlines", ""))):
        label, _, number = line.rpartition("|")
        hotlines.append({"label": label.strip() or "Đường dây nóng", "number": number.strip()})
    profile: dict[str, Any] = {name: get(name) or None for name in TEXT_FIELDS}
    profile.update(
        hotlines=hotlines,
        local_portal=None,
        areas=_lines(str(form.get("areas", ""))),
        sources=_lines(str(form.get("sources", ""))),
        checked=get("checked"),
    )
    return profile


def _check(key: str, profile: dict[str, Any], known: set[str]) -> tuple[str, list[str]]:
    """The YAML to write and the problems (named like `loaxa content check` names them)."""
    problems = []
    if not KEY_RE.match(key):
        problems.append("Mã đơn vị: chữ thường không dấu, số và gạch nối (ví dụ phuong-an-binh)")
    elif key in known:
        problems.append(f"Đơn vị {key} đã có")
    try:
        text = to_yaml(key, profile, [], "console")
    except ValueError:
        return "", [*problems, "Ngày kiểm tra: chưa điền hoặc không hợp lệ"]
    with tempfile.TemporaryDirectory(prefix="loaxa-unit-") as tmp:
        (Path(tmp) / f"{key if KEY_RE.match(key) else 'draft'}.yaml").write_text(text, "utf-8")
        try:
            load_units(Path(tmp))
        except ContentError as exc:
            problems += [line.replace(tmp + "/", "") for line in exc.errors]
    return text, problems


async def _page(request: web.Request, *, status: int = 200, **ctx: Any) -> web.Response:
    page = {"error": "", "notes": [], "problems": [], "profile": {}, "key": "", "plan": ""}
    return await render(
        request, "unit_new.html", status=status, levels=sorted(LEVELS), **{**page, **ctx}
    )


@require("admin")
async def unit_new_page(request: web.Request) -> web.StreamResponse:
    return await _page(request, step="upload")


@require("admin")
async def unit_new_upload(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    upload = await _read_upload(form.get("file"))
    if isinstance(upload, str):
        return await _page(request, status=400, step="upload", error=ERRORS[upload])
    name, data = upload
    today = now(request).astimezone(LOCAL_TZ).date().isoformat()
    with tempfile.TemporaryDirectory(prefix="loaxa-plan-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            profile, notes = await run_in_worker(
                draft_from_file, str(path), today, limit=DRAFT_LIMIT
            )
        except PlanImportError as exc:
            return await _page(request, status=400, step="upload", error=str(exc))
        except (TimeoutError, BrokenProcessPool, OSError):
            error = "Đọc kế hoạch quá lâu hoặc bị lỗi. Hãy thử tệp .txt hoặc .docx khác."
            return await _page(request, status=400, step="upload", error=error)
    return await _page(request, step="review", profile=profile, notes=notes, key="", plan=name)


@require("admin")
async def unit_new_save(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    key = str(form.get("key", "")).strip()
    profile = profile_from_form(form)
    services = request.config_dict[services_key]
    text, problems = _check(key, profile, set(services.units))
    target = request.config_dict[settings_key].content_dir / "units" / f"{key}.yaml"
    if not problems and target.exists():
        problems.append(f"Tệp {target.name} đã có: không ghi đè")
    if problems:
        return await _page(
            request, status=400, step="review", profile=profile, notes=[], key=key,
            problems=problems, plan=str(form.get("plan", "")),
        )  # fmt: skip
    target.write_text(text, encoding="utf-8")
    async with request.config_dict[sessionmaker_key].begin() as sess:
        await audit.record(
            sess,
            current(request).actor,
            "unit.create",
            f"unit:{key}",
            detail={"plan": str(form.get("plan", ""))[:120]},
            now=now(request),
        )
    return await _page(request, step="saved", key=key, path=str(target))


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/units/new", unit_new_page, name="unit_new")
    router.add_post("/units/new", unit_new_upload, name="unit_new_upload")
    router.add_post("/units/new/save", unit_new_save, name="unit_new_save")
