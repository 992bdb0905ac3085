"""Plan upload in the console (issue #15): a zip-bomb .docx is refused with the importer's
Vietnamese message and nothing is created; reading a plan runs off the event loop, so the server
keeps answering meanwhile; real plans (a Word one and the communes' own) still import."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.console import views_plan_import
from bot.db.models_campaigns import Campaign
from bot.keys import sessionmaker_key
from bot.plans import PlanImportError
from tests.console.helpers import signed_in, soup
from tests.console.test_console_campaigns_progress import upload
from tests.plans.docx_builders import bomb_docx, kpi_table_plan

REAL_PLANS = sorted(Path("/work/shared/plans").glob("*.txt"))


async def drafts(client: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return len((await sess.execute(select(Campaign))).all())


async def test_a_zip_bomb_docx_is_refused_with_a_clear_message(
    client: Any, tmp_path: Path
) -> None:
    bomb = bomb_docx(tmp_path / "ke-hoach.docx", 64 * 1024 * 1024, declared=1000)
    await signed_in(client, "cb.mai", "staff")
    started = time.monotonic()
    resp = await upload(client, "ke-hoach.docx", bomb.read_bytes())
    assert resp.status == 400
    assert time.monotonic() - started < 3.0
    alert = soup(await resp.text()).select_one(".alert").text
    assert "Tệp .docx bị từ chối" in alert and "tối đa 20 MB khi giải nén" in alert
    assert await drafts(client) == 0


async def test_the_server_answers_while_a_plan_is_being_read(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered: list[float] = []

    def slow_import(path: Path) -> Any:  # a plan that takes 1.5 s of CPU to read
        entered.append(time.monotonic())
        time.sleep(1.5)
        raise PlanImportError("Tệp trống.")

    monkeypatch.setattr(views_plan_import, "import_plan", slow_import)
    await signed_in(client, "cb.mai", "staff")
    pending = asyncio.create_task(upload(client, "ke-hoach.txt", b"KE HOACH"))
    while not entered:
        await asyncio.sleep(0.01)
    health = await client.get("/healthz")
    answered = time.monotonic()
    assert health.status == 200
    assert answered - entered[0] < 1.0, "the event loop was blocked while reading the plan"
    resp = await pending
    assert resp.status == 400 and "Tệp trống." in soup(await resp.text()).select_one(".alert").text


async def test_a_word_plan_still_imports(client: Any, tmp_path: Path) -> None:
    await signed_in(client, "cb.mai", "staff")
    word = kpi_table_plan(tmp_path / "ke-hoach.docx").read_bytes()
    resp = await upload(client, "ke-hoach-tan-hoa.docx", word)
    assert resp.status == 302, soup(await resp.text()).select_one(".alert")
    doc = soup(await (await client.get(resp.headers["Location"])).text())
    assert "Đã đọc kế hoạch" in doc.select_one(".ok").text and "lưu 3 chỉ tiêu" in doc.text


@pytest.mark.skipif(not REAL_PLANS, reason="the communes' plans are not on this machine")
async def test_the_communes_real_plans_still_import(client: Any) -> None:
    await signed_in(client, "cb.mai", "staff")
    for plan in REAL_PLANS:
        resp = await upload(client, plan.name, plan.read_bytes())
        assert resp.status == 302, soup(await resp.text()).select_one(".alert")
        doc = soup(await (await client.get(resp.headers["Location"])).text())
        assert "Đã đọc kế hoạch" in doc.select_one(".ok").text
    assert await drafts(client) > 0
