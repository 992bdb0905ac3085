"""Plan upload in the console (issue #15): a zip-bomb .docx is refused with the importer's
Vietnamese message and nothing is created; reading a plan runs off the event loop, so the server
keeps answering meanwhile, in a separate process stopped at its time or memory limit with a
Vietnamese message; real plans (a Word one and the communes' own) still import."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.console import views_plan_import
from bot.db.models_campaigns import Campaign
from bot.keys import sessionmaker_key
from tests.console.helpers import signed_in, soup
from tests.console.test_console_campaigns_progress import upload
from tests.plans import hostile_jobs
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
    resp = await upload(client, "ke-hoach.docx", bomb.read_bytes())
    assert resp.status == 400
    alert = soup(await resp.text()).select_one(".alert").text
    assert "Tệp .docx bị từ chối" in alert and "tối đa 20 MB khi giải nén" in alert
    assert await drafts(client) == 0


async def test_the_server_answers_while_a_plan_is_being_read(
    client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(views_plan_import, "plan_reader", hostile_jobs.wait_for_go)
    await signed_in(client, "cb.mai", "staff")
    go = tmp_path / "go"
    pending = asyncio.create_task(upload(client, "ke-hoach.txt", str(go).encode()))
    for _ in range(6000):
        if go.with_suffix(".started").exists() or pending.done():
            break
        await asyncio.sleep(0.01)
    assert go.with_suffix(".started").exists()
    health = await client.get("/healthz")
    assert health.status == 200
    assert not pending.done()  # still reading the plan while /healthz answered
    go.touch()
    resp = await pending
    assert resp.status == 400 and "Tệp trống." in soup(await resp.text()).select_one(".alert").text


async def test_a_plan_that_never_ends_is_stopped_with_a_clear_message(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await make_client(plan_import_seconds=2.0)
    monkeypatch.setattr(views_plan_import, "plan_reader", hostile_jobs.spin_forever)
    await signed_in(client, "cb.mai", "staff")
    resp = await upload(client, "ke-hoach.txt", b"KE HOACH")
    assert resp.status == 400
    alert = soup(await resp.text()).select_one(".alert").text
    assert "Đọc tệp này mất quá 2 giây nên đã dừng lại." in alert and ".txt" in alert
    assert await drafts(client) == 0
    again = await upload(client, "ke-hoach.txt", b"KE HOACH")  # the stopped one freed its slot
    assert "mất quá 2 giây" in soup(await again.text()).select_one(".alert").text


async def test_a_plan_that_fills_the_memory_is_stopped_with_a_clear_message(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await make_client(plan_import_memory_mb=256)
    monkeypatch.setattr(views_plan_import, "plan_reader", hostile_jobs.fill_the_memory)
    await signed_in(client, "cb.mai", "staff")
    resp = await upload(client, "ke-hoach.txt", b"KE HOACH")
    assert resp.status == 400
    alert = soup(await resp.text()).select_one(".alert").text
    assert "cần quá nhiều bộ nhớ nên đã dừng lại" in alert
    assert await drafts(client) == 0


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
