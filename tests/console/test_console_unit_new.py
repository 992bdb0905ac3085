"""/console/units/new: an admin uploads a plan, reviews the drafted unit and saves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from aiohttp import FormData

from bot.content.units import load_units
from bot.settings import REPO_ROOT
from tests.console.helpers import csrf, signed_in, soup
from tests.plans.test_unit_draft import HUE_PLAN


async def _upload(client: Any, text: str, name: str = "ke-hoach.txt") -> Any:
    form = FormData()
    form.add_field("_csrf", await csrf(client, "/console/units/new"))
    form.add_field("file", text.encode("utf-8"), filename=name, content_type="text/plain")
    return await client.post("/console/units/new", data=form)


async def test_an_admin_drafts_reviews_and_saves_a_unit(make_client: Any, tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "units").mkdir(parents=True)
    for unit in (REPO_ROOT / "content" / "units").glob("*.yaml"):
        (content / "units" / unit.name).write_text(unit.read_text("utf-8"), "utf-8")
    client = await make_client(content_dir=content)
    await signed_in(client, "qt", "admin", units=())
    resp = await _upload(client, HUE_PLAN)
    assert resp.status == 200, await resp.text()
    page = soup(await resp.text())
    assert page.find(id="name")["value"] == "UBND phường Hương An"
    assert page.find(id="code")["value"] == "19804"
    assert "0234 3123 456" in page.find(id="hotlines").get_text()
    assert "1022" not in page.find(id="hotlines").get_text()
    form = {
        el["name"]: (el.get_text() if el.name == "textarea" else el.get("value", ""))
        for el in page.select("form.card [name]")
        if el.name != "select"
    }
    form["level"] = "phuong"
    form["key"] = "Phường Hương An"  # not a key: refused, nothing written
    resp = await client.post("/console/units/new/save", data=form)
    assert (
        resp.status == 400
        and "Mã đơn vị" in soup(await resp.text()).find(id="problems").get_text()
    )
    assert not (content / "units" / "phuong-huong-an.yaml").exists()
    form["key"] = "phuong-huong-an"
    form["areas"] = "Tổ dân phố 1\nTổ dân phố 2"
    resp = await client.post("/console/units/new/save", data=form)
    assert resp.status == 200 and soup(await resp.text()).find(id="saved") is not None
    saved = yaml.safe_load((content / "units" / "phuong-huong-an.yaml").read_text("utf-8"))
    assert saved["code"] == "19804" and saved["areas"] == ["Tổ dân phố 1", "Tổ dân phố 2"]
    unit = load_units(content / "units")["phuong-huong-an"]
    assert unit.hotline == "0234 3123 456" and unit.province == "Huế"
    resp = await client.post("/console/units/new/save", data=form)  # twice: never overwritten
    assert resp.status == 400


async def test_staff_cannot_and_bad_files_are_refused(client: Any) -> None:
    await signed_in(client, "lan", "staff")
    assert (await client.get("/console/units/new", allow_redirects=False)).status == 403
    await signed_in(client, "qt", "admin", units=())
    resp = await _upload(client, "không phải kế hoạch", name="virus.exe")
    assert resp.status == 400 and "Chỉ nhận tệp" in await resp.text()
