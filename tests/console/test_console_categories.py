"""The PAKN categories a unit's form offers, edited in the console: guards, refusals, the
audit entry, the web chat's form and the re-categorise list following the edit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models_console import AuditEntry
from bot.keys import sessionmaker_key
from tests.console.helpers import csrf, other_unit, signed_in, soup
from tests.console.test_console_places import chat, make

UNIT = "xa-binh-minh"
PAGE = f"/console/categories/{UNIT}"


def offered(messages: list[dict[str, Any]]) -> list[str]:
    """The category keys of the form's buttons, in order."""
    payloads = [str(b.get("payload", "")) for m in messages for b in m.get("buttons", [])]
    return [p.removeprefix("pakn:cat:") for p in payloads if p.startswith("pakn:cat:")]


def picked(page: str) -> list[str]:
    """The keys checked on the page, in the order of their position boxes."""
    html = soup(page)
    rows = []
    for box in html.select("table.categories input[type=checkbox]"):
        key = str(box["id"]).removeprefix("on-")
        position = html.select_one(f"input[name=pos_{key}]")
        assert position is not None
        if box.has_attr("checked"):
            rows.append((int(str(position["value"])), key))
    return [key for _, key in sorted(rows)]


async def test_categories_page_guards_and_refusals(client: Any) -> None:
    assert (await client.get(PAGE, allow_redirects=False)).status == 302  # to the login
    await signed_in(client, "lan")  # staff: not an admin
    assert (await client.get(PAGE)).status == 403
    await signed_in(client, "chu", "admin")  # admin of UNIT only
    assert (await client.get(f"/console/categories/{other_unit(client)}")).status == 404
    token = await csrf(client, PAGE)
    resp = await client.post(PAGE, data={"_csrf": token, "offered": ["khac"]})
    assert resp.status == 400 and "ít nhất một lĩnh vực" in await resp.text()
    retired = {"_csrf": token, "offered": ["gop_y_sang_kien", "khac"]}
    resp = await client.post(PAGE, data=retired)
    assert resp.status == 400 and "không có trong danh mục" in await resp.text()
    resp = await client.post(PAGE, data={"offered": ["ha_tang"]})  # no CSRF token
    assert resp.status == 403


async def test_edited_categories_are_used_by_the_form_and_the_recategorise_list(
    client: Any,
) -> None:
    await client.get(f"/chat/{UNIT}/")  # a chat session (cookie)
    default = offered(await chat(client, {"text": "gửi phản ánh"}))
    assert "thai_do_can_bo" in default and default[-1] == "khac"
    await signed_in(client, "chu", "admin")
    assert picked(await (await client.get(PAGE)).text())[-1] == "khac"
    token = await csrf(client, PAGE)
    form = {
        "_csrf": token,
        "offered": ["ha_tang", "moi_truong", "trat_tu", "khac"],
        "pos_ha_tang": "2",
        "pos_moi_truong": "1",
        "pos_trat_tu": "3",
        "pos_khac": "9",
        "pos_dat_dai": "4",  # not ticked: not offered
    }
    resp = await client.post(PAGE, data=form, allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"] == f"{PAGE}?ok=1"
    page = await (await client.get(PAGE + "?ok=1")).text()
    assert picked(page) == ["moi_truong", "ha_tang", "trat_tu", "khac"]
    assert "Đã lưu" in page
    async with client.app[sessionmaker_key]() as sess:
        entry = (
            await sess.execute(select(AuditEntry).where(AuditEntry.action == "unit.categories"))
        ).scalar_one()
    assert entry.detail["order"] == ["moi_truong", "ha_tang", "trat_tu", "khac"]
    assert entry.detail["added"] == ["moi_truong", "ha_tang", "trat_tu", "khac"]

    # The citizen's next message uses the new list, in its order.
    await chat(client, {"payload": "menu"})
    shown = offered(await chat(client, {"text": "gửi phản ánh"}))
    assert shown == ["moi_truong", "ha_tang", "trat_tu", "khac"]

    # Staff re-categorise among the same list; a category no longer offered is refused.
    pakn = await make(client)
    detail = soup(await (await client.get(f"/console/pakn/{pakn.id}")).text())
    options = [str(o["value"]) for o in detail.select("#category option")]
    assert options == ["moi_truong", "ha_tang", "trat_tu", "khac"]
    token = await csrf(client, f"/console/pakn/{pakn.id}")
    resp = await client.post(
        f"/console/pakn/{pakn.id}/category",
        data={"_csrf": token, "category": "dat_dai"},
        allow_redirects=False,
    )
    assert resp.headers["Location"].endswith("err=category")
