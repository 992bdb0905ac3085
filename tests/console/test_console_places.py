"""Places and categories in the console: the areas list (used by the form and subscriptions),
re-categorising a PAKN (audited, counted in the report) and the petition page as a case file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

from sqlalchemy import select

from bot.db.models import Message
from bot.db.models_console import AuditEntry
from bot.db.models_pakn import Pakn, PaknEvent
from bot.keys import services_key, sessionmaker_key
from tests.console.helpers import csrf, other_unit, signed_in, soup
from tests.reports.helpers import submit

UNIT = "xa-binh-minh"
AREAS = f"/console/areas/{UNIT}"


async def make(client: Any, days_ago: float = 0, **kw: Any) -> Pakn:
    services = client.app[services_key]
    when = services.clock() - dt.timedelta(days=days_ago)
    async with client.app[sessionmaker_key].begin() as sess:
        return await submit(sess, services, when=when, **kw)


_seen: dict[int, int] = {}


async def chat(client: Any, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Send to the web chat; the bot's new replies."""
    after = _seen.get(id(client), 0)
    body = {"id": uuid.uuid4().hex, "after": after, **body}
    resp = await client.post(f"/chat/api/{UNIT}/send", json=body)
    assert resp.status == 200, await resp.text()
    messages = (await resp.json())["messages"]
    _seen[id(client)] = max([after, *(m["id"] for m in messages)])
    return [m for m in messages if m["direction"] == "out"]


def labels(messages: list[dict[str, Any]]) -> list[str]:
    return [b["label"] for m in messages for b in m.get("buttons", [])]


async def test_areas_page_guards_and_refusals(client: Any) -> None:
    assert (await client.get(AREAS, allow_redirects=False)).status == 302  # to the login
    await signed_in(client, "lan")  # staff: not an admin
    assert (await client.get(AREAS)).status == 403
    await signed_in(client, "chu", "admin")  # admin of UNIT only
    assert (await client.get(f"/console/areas/{other_unit(client)}")).status == 404
    token = await csrf(client, AREAS)
    resp = await client.post(AREAS, data={"_csrf": token, "areas": "Ấp 1\nấp 1"})
    assert resp.status == 400 and "Tên bị trùng" in await resp.text()
    resp = await client.post(AREAS, data={"areas": "Ấp 1"})  # no CSRF token
    assert resp.status == 403


async def test_edited_areas_are_used_by_the_form_and_subscriptions(client: Any) -> None:
    await client.get(f"/chat/{UNIT}/")  # a chat session (cookie)
    subs = await chat(client, {"payload": "sub"})
    assert not any("Tin của ấp" in label for label in labels(subs))  # no areas yet
    await signed_in(client, "chu", "admin")
    page = soup(await (await client.get(AREAS)).text())
    assert page.select_one("textarea#areas").get_text() == ""
    token = await csrf(client, AREAS)
    resp = await client.post(
        AREAS,
        data={"_csrf": token, "areas": "Ấp 1\n  Ấp 2 \n\nKhu phố Bình Lợi\n"},
        allow_redirects=False,
    )
    assert resp.status == 302 and resp.headers["Location"] == f"{AREAS}?ok=1"
    page = soup(await (await client.get(AREAS + "?ok=1")).text())
    assert page.select_one("textarea#areas").get_text() == "Ấp 1\nẤp 2\nKhu phố Bình Lợi"
    async with client.app[sessionmaker_key]() as sess:
        entry = (
            await sess.execute(select(AuditEntry).where(AuditEntry.action == "unit.areas"))
        ).scalar_one()
    assert entry.actor == "chu" and entry.target == f"unit:{UNIT}"
    assert entry.detail == {
        "added": ["Ấp 1", "Ấp 2", "Khu phố Bình Lợi"],
        "removed": [],
        "count": 3,
    }
    # Subscriptions: "Tin của ấp/khu phố" appears, and its areas are the edited ones.
    subs = await chat(client, {"payload": "sub"})
    assert any("Tin của ấp/khu phố" in label for label in labels(subs))
    areas = await chat(client, {"payload": "sub:areas"})
    assert [label.split(" ", 1)[1] for label in labels(areas)[:3]] == [
        "Ấp 1",
        "Ấp 2",
        "Khu phố Bình Lợi",
    ]
    # The PAKN form asks for the area and stores the one chosen.
    await chat(client, {"text": "gửi phản ánh"})
    await chat(client, {"payload": "pakn:cat:ha_tang"})
    step = await chat(client, {"text": "Đèn đường trước nhà văn hoá ấp 2 bị hỏng cả tuần nay."})
    assert "ảnh hoặc giấy tờ" in step[-1]["text"]
    step = await chat(client, {"payload": "pakn:skip"})
    assert labels(step)[:3] == ["Ấp 1", "Ấp 2", "Khu phố Bình Lợi"]
    await chat(client, {"payload": "pakn:area:1"})
    await chat(client, {"text": "Nguyễn Văn An"})
    confirm = await chat(client, {"text": "0912345678"})
    assert "Khu vực: Ấp 2" in confirm[-1]["text"]
    send = next(b["payload"] for b in confirm[-1]["buttons"] if b["payload"].startswith("pakn:s"))
    await chat(client, {"payload": send})
    async with client.app[sessionmaker_key]() as sess:
        pakn = (await sess.execute(select(Pakn))).scalars().one()
    assert (pakn.area, pakn.category) == ("Ấp 2", "ha_tang")


async def test_recategorise_is_audited_and_counted_in_the_report(client: Any) -> None:
    pakn = await make(client, days_ago=1, category="khac")
    old_due = pakn.due_at
    await signed_in(client, "lan")
    token = await csrf(client, f"/console/pakn/{pakn.id}")
    resp = await client.post(
        f"/console/pakn/{pakn.id}/category",
        data={"_csrf": token, "category": "gop_y_sang_kien"},  # retired: not offered
        allow_redirects=False,
    )
    assert resp.headers["Location"].endswith("err=category")
    resp = await client.post(
        f"/console/pakn/{pakn.id}/category",
        data={"_csrf": token, "category": "dat_dai"},
        allow_redirects=False,
    )
    assert resp.headers["Location"].endswith("ok=category")
    async with client.app[sessionmaker_key]() as sess:
        row = await sess.get(Pakn, pakn.id)
        audit = (
            await sess.execute(select(AuditEntry).where(AuditEntry.action == "pakn.category"))
        ).scalar_one()
        events = (await sess.execute(select(PaknEvent.note))).scalars().all()
    assert row is not None and row.category == "dat_dai"
    assert row.due_at > old_due  # 15 working days instead of 10
    assert (audit.actor, audit.detail) == ("lan", {"from": "khac", "to": "dat_dai"})
    assert "category khac -> dat_dai" in events
    page = soup(await (await client.get(f"/console/pakn/{pakn.id}")).text())
    assert "Đổi lĩnh vực: Khác → Đất đai – xây dựng" in page.select_one("ol.history").get_text()
    month = services_month(client)
    resp = await client.get(
        f"/console/reports/export?unit={UNIT}&kind=period&format=csv&period={month}"
    )
    values = {r[1]: r[2] for r in csv.reader(io.StringIO((await resp.read()).decode("utf-8-sig")))}
    assert values["Tiếp nhận – lĩnh vực “Đất đai – xây dựng”"] == "1"
    assert "Tiếp nhận – lĩnh vực “Khác”" not in values


def services_month(client: Any) -> str:
    when = client.app[services_key].clock() - dt.timedelta(days=1)
    return f"{when:%Y-%m}"


async def test_an_old_category_still_displays_and_counts(client: Any) -> None:
    pakn = await make(client, days_ago=1, category="quy_dinh_chua_hop_ly")
    await signed_in(client, "lan")
    page = soup(await (await client.get(f"/console/pakn/{pakn.id}")).text())
    assert "Quy định chưa hợp lý" in page.select_one("dl.facts").get_text()
    resp = await client.get(
        f"/console/reports/export?unit={UNIT}&kind=period&format=csv&period={services_month(client)}"
    )
    values = {r[1]: r[2] for r in csv.reader(io.StringIO((await resp.read()).decode("utf-8-sig")))}
    assert values["Tiếp nhận – lĩnh vực “Quy định chưa hợp lý”"] == "1"


async def test_petition_page_reads_like_a_case_file(client: Any) -> None:
    services = client.app[services_key]
    now = services.clock()
    async with client.app[sessionmaker_key].begin() as sess:
        pakn = await submit(sess, services, when=now - dt.timedelta(hours=1), category="ha_tang")
        pakn.latitude, pakn.longitude, pakn.location_accuracy = 10.9574, 106.8426, 12.0
        old = now - dt.timedelta(days=20)
        for i in range(30):  # an old, unrelated chat
            sess.add(
                Message(
                    unit=UNIT,
                    channel="web",
                    contact_id=pakn.contact_id,
                    direction="in",
                    text=f"câu hỏi cũ số {i}",
                    status="received",
                    created_at=old + dt.timedelta(minutes=i),
                )
            )
        sess.add(
            Message(
                unit=UNIT,
                channel="web",
                contact_id=pakn.contact_id,
                direction="out",
                text="Ông/bà chọn chủ đề.",
                body={
                    "text": "x",
                    "buttons": [{"label": "⬜ Cảnh báo lừa đảo", "payload": "sub:t:lua_dao"}],
                },
                status="sent",
                created_at=old + dt.timedelta(hours=1),
            )
        )
        for payload in ("sub:t:lua_dao", "pakn:cat:khac"):
            sess.add(
                Message(
                    unit=UNIT,
                    channel="web",
                    contact_id=pakn.contact_id,
                    direction="in",
                    kind="button",
                    payload=payload,
                    status="received",
                    created_at=now - dt.timedelta(hours=1, minutes=5 if "cat" in payload else 600),
                )
            )
    await signed_in(client, "lan", display_name="Trần Thị Lan")
    page = soup(await (await client.get(f"/console/pakn/{pakn.id}")).text())
    text = page.get_text()
    assert "sub:t:" not in text and "pakn:cat" not in text
    link = page.select_one("dd.place a")
    assert link["href"].startswith("https://www.openstreetmap.org/?mlat=10.957400&mlon=106.842600")
    assert "sai số khoảng 12 m" in page.select_one("dd.place").get_text()
    assert page.select_one('a[href="tel:+84912345678"]').get_text() == "0912 345 678"
    about = page.select("#exchanges > ol.chat li")
    assert any("Khác" in li.get_text() for li in about)  # pakn:cat:khac as its label
    assert any("Đèn đường ở ấp 3" in li.get_text() for li in about)
    assert "Nguyễn Văn Bình" in about[0].get_text()  # the sender's name, not "Người dân"
    rest = page.select_one("#exchanges details.whole-chat")
    assert rest is not None and "open" not in rest.attrs  # collapsed
    assert "câu hỏi cũ số 23" in rest.get_text() and "Cảnh báo lừa đảo" in rest.get_text()
    assert not any("câu hỏi cũ" in li.get_text() for li in about)
    assert page.select_one("#photos") is not None
    assert not page.find_all("script", src=True) or all(
        s["src"].startswith("/console/") for s in page.find_all("script", src=True)
    )


async def test_campaign_drafts_target_the_edited_areas(client: Any) -> None:
    await signed_in(client, "chu", "admin")
    token = await csrf(client, AREAS)
    await client.post(AREAS, data={"_csrf": token, "areas": "Ấp 1\nẤp 2"})
    page = soup(await (await client.get(f"/console/campaigns/new/{UNIT}")).text())
    assert [i["value"] for i in page.select("input[name=areas]")] == ["Ấp 1", "Ấp 2"]
    form = {
        "_csrf": token,
        "title": "Lịch thu gom rác ấp 2",
        "template": "Từ tuần sau, xe rác qua ấp 2 vào sáng thứ Hai và thứ Năm.",
        "topics": "tin_khu_vuc",
        "areas": "Ấp 2",
    }
    resp = await client.post(f"/console/campaigns/new/{UNIT}", data=form, allow_redirects=False)
    assert resp.status == 302, await resp.text()
