"""The PAKN queue and the PAKN page over HTTP: scope, filters, overdue marking, escaping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.db.models import Message
from bot.keys import services_key, sessionmaker_key
from bot.pakn.service import PaknState
from tests.console.helpers import add_user, other_unit, signed_in, soup
from tests.reports.helpers import submit

UNIT = "xa-binh-minh"


async def make(client: Any, days_ago: float = 0, **kw: Any) -> Any:
    services = client.app[services_key]
    when = services.clock() - dt.timedelta(days=days_ago)
    async with client.app[sessionmaker_key].begin() as sess:
        return await submit(sess, services, when=when, **kw)


def codes(html: str) -> list[str]:
    return [a.get_text() for a in soup(html).select("table.queue a.code")]


async def test_queue_needs_sign_in_and_staff(client: Any) -> None:
    resp = await client.get("/console/pakn/", allow_redirects=False)
    assert resp.status == 302 and "/console/login" in resp.headers["Location"]
    await signed_in(client, "tnv", "volunteer")
    assert (await client.get("/console/pakn/")).status == 403


async def test_queue_lists_own_unit_only_and_marks_overdue(client: Any) -> None:
    late = await make(client, days_ago=40, content="Cống thoát nước ở ấp 2 bị tắc, nước tràn.")
    fresh = await make(client, external_id="c2")
    foreign = await make(client, unit=other_unit(client), external_id="c3")
    await signed_in(client, "lan")
    html = await (await client.get("/console/pakn/")).text()
    listed = codes(html)
    assert listed == [late.code, fresh.code]  # the most urgent deadline first
    assert foreign.code not in html
    row = soup(html).find("a", string=late.code).find_parent("tr")
    assert "due-overdue" in row["class"]
    assert row.select_one(".badge.overdue").get_text() == "Quá hạn"
    fresh_row = soup(html).find("a", string=fresh.code).find_parent("tr")
    assert "due-overdue" not in fresh_row["class"]
    chips = {a.get_text(" ", strip=True) for a in soup(html).select("nav.chips a")}
    assert "Quá hạn 1" in chips and "Đang mở 2" in chips
    # Another unit in the query string: not found (its existence is not revealed).
    resp = await client.get(f"/console/pakn/?unit={other_unit(client)}")
    assert resp.status == 404


async def test_filters_search_sort_and_paging(client: Any) -> None:
    a = await make(client, days_ago=30, category="thu_tuc_hanh_chinh", area="Ấp 1")
    b = await make(client, days_ago=2, external_id="c2", area="Ấp 2", name="Trần Thị Cúc")
    c = await make(
        client, days_ago=1, external_id="c3", content="Xin hỏi lịch tiêm chủng tháng này."
    )
    lan = await signed_in(client, "lan")
    services = client.app[services_key]
    async with client.app[sessionmaker_key].begin() as sess:
        from bot.pakn import store

        pc = await store.get(sess, c.id)
        await services.pakn.receive(sess, pc, lan.actor, services.clock())
        await services.pakn.start(sess, pc, lan.actor, services.clock())

    async def listed(query: str) -> list[str]:
        resp = await client.get("/console/pakn/?" + query)
        assert resp.status == 200
        return codes(await resp.text())

    assert await listed("category=thu_tuc_hanh_chinh") == [a.code]
    assert await listed("area=%E1%BA%A4p+2") == [b.code]  # "Ấp 2"
    assert await listed("state=in_progress") == [c.code]
    assert await listed("assignee=lan") == [c.code]
    assert await listed("assignee=none") == [a.code, b.code]
    assert await listed("due=overdue") == [a.code]
    assert await listed("q=tr%E1%BA%A7n+th%E1%BB%8B") == [b.code]  # sender name, any case
    assert await listed("q=ti%C3%AAm+ch%E1%BB%A7ng") == [c.code]  # content
    assert await listed(f"q={b.code.lower()}") == [b.code]  # code
    assert await listed("sort=received") == [c.code, b.code, a.code]
    assert await listed("state=closed") == []
    # Paging: 25 a page.
    for i in range(24):
        await make(client, days_ago=3, external_id=f"p{i}")
    first = await listed("")
    second = await listed("page=2")
    assert len(first) == 25 and len(second) == 2 and not set(first) & set(second)


async def test_detail_shows_record_conversation_history_and_full_phone_to_unit_staff(
    client: Any,
) -> None:
    pakn = await make(
        client,
        days_ago=1,
        attachments=({"kind": "photo", "file_id": "AgACAgIAAxkBAAIB", "name": None},),
    )
    await signed_in(client, "lan")
    html = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    page = soup(html)
    assert page.select_one("h1").get_text() == pakn.code
    assert "0912 345 678" in html and "*** 678" not in html
    assert "AgACAgIAAxkBAAIB" not in html  # a channel's file id means nothing to staff
    assert "Ảnh" in page.select_one("#photos ul.files").get_text()  # attachments are listed
    chat = page.select("ol.chat li.msg.in")
    assert chat and "Đèn đường ở ấp 3" in chat[0].get_text()
    assert "Mới, chờ tiếp nhận" in page.select_one("ol.history").get_text()
    buttons = [b.get_text() for b in page.select("form.action button")]
    assert buttons == ["Tiếp nhận, vào sổ", "Không tiếp nhận"]  # new → received | rejected
    assert page.find("textarea", attrs={"name": "text", "id": "reply"}) is None


async def test_global_admin_sees_a_masked_phone(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "boss", "admin", units=())
    html = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    assert "0912 *** 678" in html and "0912 345 678" not in html


async def test_other_unit_and_unknown_ids_are_not_found(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "hoa", units=(other_unit(client),))
    assert (await client.get(f"/console/pakn/{pakn.id}")).status == 404
    assert (await client.get("/console/pakn/999999")).status == 404
    assert (await client.get("/console/pakn/abc")).status == 404
    listing = await (await client.get("/console/pakn/?state=")).text()
    assert pakn.code not in listing


async def test_html_in_a_pakn_is_inert(client: Any) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> Đường hỏng ở ấp 4.'
    pakn = await make(client, content=evil, name="<b>Kẻ xấu</b>")
    await signed_in(client, "lan")
    for path in ("/console/pakn/", f"/console/pakn/{pakn.id}"):
        html = await (await client.get(path)).text()
        page = soup(html)
        assert page.find("script") is None and page.find("img") is None
        assert page.find("b", string="Kẻ xấu") is None
        assert "&lt;script&gt;" in html


async def test_reply_box_reaches_the_citizen(client: Any) -> None:
    pakn = await make(client)
    lan = await signed_in(client, "lan")
    services = client.app[services_key]
    async with client.app[sessionmaker_key].begin() as sess:
        from bot.pakn import store

        row = await store.get(sess, pakn.id)
        await services.pakn.receive(sess, row, lan.actor, services.clock())
    page = soup(await (await client.get(f"/console/pakn/{pakn.id}")).text())
    token = page.find("input", attrs={"name": "_csrf"})["value"]
    assert page.find("textarea", id="reply") is not None
    answer = "Xã đã thay bóng đèn ở ấp 3 sáng nay. Cảm ơn ông/bà. " * 3
    resp = await client.post(
        f"/console/pakn/{pakn.id}/reply",
        data={"_csrf": token, "text": answer},
        allow_redirects=False,
    )
    assert resp.status == 302
    assert resp.headers["Location"] == f"/console/pakn/{pakn.id}?ok=reply"
    async with client.app[sessionmaker_key]() as sess:
        from sqlalchemy import select

        row = await store.get(sess, pakn.id)
        assert row is not None and row.state == PaknState.ANSWERED
        assert row.answer == answer.strip()
        out = (
            await sess.execute(
                select(Message).where(
                    Message.contact_id == pakn.contact_id, Message.direction == "out"
                )
            )
        ).scalars()
        texts = [(m.text or "", m.status) for m in out]
    assert any(answer.strip()[:60] in t and s == "sent" for t, s in texts), texts
    html = await (await client.get(resp.headers["Location"])).text()
    assert "Đã gửi câu trả lời cho người dân." in html


async def test_assign_lists_only_staff_of_the_unit(client: Any) -> None:
    pakn = await make(client)
    await add_user(client, "minh", display_name="Lê Minh")
    await add_user(client, "hoa", units=(other_unit(client),))
    await add_user(client, "tnv", "volunteer")
    await signed_in(client, "lan")
    page = soup(await (await client.get(f"/console/pakn/{pakn.id}")).text())
    options = [o["value"] for o in page.select("select#assignee option")]
    assert options == ["", "lan", "minh"]
