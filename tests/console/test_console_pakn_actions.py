"""Actions on a PAKN (state, reply, note, assign): each rejection, the audit trail, PRG."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db.models import Message
from bot.db.models_console import AuditEntry
from bot.db.models_notes import PaknNote
from bot.db.models_pakn import Pakn, PaknEvent
from bot.keys import services_key, sessionmaker_key
from tests.console.helpers import add_user, csrf, login, other_unit, signed_in
from tests.reports.helpers import submit

ACTIONS = {
    "reply": {"text": "Đã xử lý xong."},
    "state": {"to": "received"},
    "note": {"text": "Gọi lại cho người dân chiều nay."},
    "assign": {"assignee": "lan"},
}


async def make(client: Any, days_ago: float = 0, **kw: Any) -> Pakn:
    services = client.app[services_key]
    when = services.clock() - dt.timedelta(days=days_ago)
    async with client.app[sessionmaker_key].begin() as sess:
        return await submit(sess, services, when=when, **kw)


async def fresh(client: Any, pakn_id: int) -> Pakn:
    async with client.app[sessionmaker_key]() as sess:
        row = await sess.get(Pakn, pakn_id)
        assert row is not None
        return row


async def audit_actions(client: Any) -> list[tuple[str, str, Any]]:
    async with client.app[sessionmaker_key]() as sess:
        rows = (
            await sess.execute(
                select(AuditEntry).where(AuditEntry.action.like("pakn.%")).order_by(AuditEntry.id)
            )
        ).scalars()
        return [(r.action, r.target, r.detail) for r in rows]


async def outbound_count(client: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int(
            (
                await sess.execute(
                    select(func.count()).select_from(Message).where(Message.direction == "out")
                )
            ).scalar_one()
        )


async def post(client: Any, pakn_id: int, action: str, **data: str) -> Any:
    token = await csrf(client)
    return await client.post(
        f"/console/pakn/{pakn_id}/{action}", data={"_csrf": token, **data}, allow_redirects=False
    )


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_every_action_rejects_no_session_wrong_role_other_unit_and_no_csrf(
    client: Any, action: str
) -> None:
    pakn = await make(client)
    await add_user(client, "lan")
    path = f"/console/pakn/{pakn.id}/{action}"
    # No session (a CSRF token of an anonymous session): to the login page.
    token = await csrf(client, "/console/login")
    resp = await client.post(path, data={"_csrf": token, **ACTIONS[action]}, allow_redirects=False)
    assert resp.status == 302 and "/console/login" in resp.headers["Location"]
    # Volunteer: 403.
    await signed_in(client, "tnv", "volunteer")
    assert (await post(client, pakn.id, action, **ACTIONS[action])).status == 403
    # Staff of another unit: 404.
    await signed_in(client, "hoa", units=(other_unit(client),))
    assert (await post(client, pakn.id, action, **ACTIONS[action])).status == 404
    # Staff of the unit without the CSRF token: 403.
    assert (await login(client, "lan")).status == 302
    resp = await client.post(path, data=ACTIONS[action], allow_redirects=False)
    assert resp.status == 403
    after = await fresh(client, pakn.id)
    assert after.state == "new" and after.assignee is None and after.answer is None
    assert await audit_actions(client) == []


async def test_state_changes_follow_the_state_machine_with_reasons(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "lan")
    # new → answered is not allowed (through either route).
    resp = await post(client, pakn.id, "reply", text="Trả lời luôn.")
    assert resp.headers["Location"].endswith("?err=state")
    resp = await post(client, pakn.id, "state", to="answered")
    assert resp.headers["Location"].endswith("?err=state")
    resp = await post(client, pakn.id, "state", to="bogus")
    assert resp.headers["Location"].endswith("?err=state")
    # Reject needs a reason.
    resp = await post(client, pakn.id, "state", to="rejected", reason="  ")
    assert resp.headers["Location"].endswith("?err=reason")
    assert (await fresh(client, pakn.id)).state == "new"
    resp = await post(client, pakn.id, "state", to="received")
    assert resp.status == 302 and resp.headers["Location"].endswith("?ok=state")
    # Forward needs the competent body's name.
    resp = await post(client, pakn.id, "state", to="forwarded", forwarded_to="")
    assert resp.headers["Location"].endswith("?err=body")
    resp = await post(client, pakn.id, "state", to="forwarded", forwarded_to="Công an xã")
    row = await fresh(client, pakn.id)
    assert row.state == "forwarded" and row.forwarded_to == "Công an xã"
    resp = await post(client, pakn.id, "state", to="closed")
    assert (await fresh(client, pakn.id)).state == "closed"
    html = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    assert "<h2>Xử lý</h2>" not in html  # no buttons in a final state
    trail = [(a, d) for a, _, d in await audit_actions(client)]
    assert trail == [
        ("pakn.transition", {"from": "new", "to": "received"}),
        ("pakn.transition", {"from": "received", "to": "forwarded"}),
        ("pakn.transition", {"from": "forwarded", "to": "closed"}),
    ]


async def test_reject_with_a_reason_tells_the_citizen(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "lan")
    before = await outbound_count(client)
    reason = "Nội dung không thuộc thẩm quyền của xã; đề nghị liên hệ Trưởng ấp."
    resp = await post(client, pakn.id, "state", to="rejected", reason=reason)
    assert resp.headers["Location"].endswith("?ok=state")
    row = await fresh(client, pakn.id)
    assert row.state == "rejected" and row.reject_reason == reason
    assert await outbound_count(client) == before + 1


async def test_reply_is_audited_without_its_text(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "lan")
    await post(client, pakn.id, "state", to="received")
    answer = "Ngày mai cán bộ địa chính xuống kiểm tra tại ấp 3."
    resp = await post(client, pakn.id, "reply", text=answer)
    assert resp.headers["Location"].endswith("?ok=reply")
    row = await fresh(client, pakn.id)
    assert row.state == "answered" and row.answer == answer
    [*_, (action, target, detail)] = await audit_actions(client)
    assert (action, target) == ("pakn.reply", f"pakn:{pakn.id}")
    assert detail == {"from": "received", "to": "answered", "length": len(answer)}
    assert "cán bộ địa chính" not in str(await audit_actions(client))
    # Empty or too long replies are refused and change nothing.
    resp = await post(client, pakn.id, "reply", text="   ")
    assert resp.headers["Location"].endswith("?err=text")


async def test_too_long_reply_is_refused(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "lan")
    await post(client, pakn.id, "state", to="received")
    resp = await post(client, pakn.id, "reply", text="x" * 4001)
    assert resp.headers["Location"].endswith("?err=long")
    assert (await fresh(client, pakn.id)).state == "received"


async def test_notes_stay_internal(client: Any) -> None:
    pakn = await make(client)
    await signed_in(client, "lan")
    before = await outbound_count(client)
    resp = await post(client, pakn.id, "note", text="Người dân <b>hẹn</b> gặp thứ Hai.")
    assert resp.headers["Location"].endswith("?ok=note")
    assert await outbound_count(client) == before  # nothing is sent to the citizen
    async with client.app[sessionmaker_key]() as sess:
        [note] = (await sess.execute(select(PaknNote))).scalars()
    assert (note.pakn_id, note.author) == (pakn.id, "lan")
    html = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    assert "Người dân &lt;b&gt;hẹn&lt;/b&gt; gặp thứ Hai." in html
    assert (await post(client, pakn.id, "note", text="")).headers["Location"].endswith("?err=text")
    assert [a for a, _, _ in await audit_actions(client)] == ["pakn.note"]


async def test_assign_only_to_staff_of_the_unit(client: Any) -> None:
    pakn = await make(client)
    await add_user(client, "minh")
    await add_user(client, "hoa", units=(other_unit(client),))
    await signed_in(client, "lan")
    resp = await post(client, pakn.id, "assign", assignee="hoa")
    assert resp.headers["Location"].endswith("?err=assignee")
    resp = await post(client, pakn.id, "assign", assignee="minh")
    assert resp.headers["Location"].endswith("?ok=assign")
    assert (await fresh(client, pakn.id)).assignee == "minh"
    listing = await (await client.get("/console/pakn/?assignee=minh")).text()
    assert pakn.code in listing
    await post(client, pakn.id, "assign", assignee="")
    assert (await fresh(client, pakn.id)).assignee is None
    async with client.app[sessionmaker_key]() as sess:
        notes = [
            e.note
            for e in (
                await sess.execute(select(PaknEvent).where(PaknEvent.pakn_id == pakn.id))
            ).scalars()
        ]
    assert "assigned to minh" in notes and "unassigned" in notes
    assert [d for a, _, d in await audit_actions(client) if a == "pakn.assign"] == [
        {"from": None, "to": "minh"},
        {"from": "minh", "to": None},
    ]
    html = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    assert "Giao cho minh" in html and "Bỏ giao việc" in html
