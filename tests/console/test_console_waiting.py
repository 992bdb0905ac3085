"""What waits: the counts behind the home page, the menu badges and waiting.json as work
arrives; the daily digest received by a local SMTP server (aiosmtpd); volunteers told when
their draft is approved or returned (in the console and by e-mail)."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.console import digest
from bot.db import queries
from bot.keys import services_key, sessionmaker_key
from bot.pakn.draft import Draft
from tests.console.helpers import T0, UNIT, csrf, csrf_of, login, signed_in, soup
from tests.console.test_console_campaigns_flow import act, new_draft, subscribers, switch
from tests.console.test_console_questions import QUESTION, hand_off_from_web_chat


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def smtp_settings(port: int) -> dict[str, Any]:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": "off",
        "smtp_from": "loaxa@binhminh.example.vn",
    }


async def counts(client: Any) -> dict[str, Any]:
    resp = await client.get("/console/waiting.json")
    assert resp.status == 200 and resp.headers["Cache-Control"] == "no-store"
    return dict(await resp.json())


async def submit_pakn(client: Any, key: str) -> None:
    services = client.app[services_key]
    now = services.clock()
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id=f"sid-{key}", now=now
        )
        await sess.flush()
        draft = Draft(
            category="khac",
            content="Đèn đường ở ấp 3 bị hỏng.",
            sender_name="Bình",
            phone="+84912345678",
        )
        await services.pakn.submit(
            sess,
            unit=UNIT,
            channel="web",
            draft=draft,
            contact_id=contact.id,
            idempotency_key=key,
            now=now,
        )


async def set_email(client: Any, address: str) -> None:
    token = await csrf(client, "/console/account")
    resp = await client.post(
        "/console/account/email", data={"_csrf": token, "email": address}, allow_redirects=False
    )
    assert resp.status == 302, await resp.text()


async def test_badges_and_counts_change_as_work_arrives(client, clock) -> None:  # type: ignore[no-untyped-def]
    await signed_in(client, "lan")
    data = await counts(client)
    assert data["counts"]["total"] == 0
    assert data["badges"] == {"pakn": 0, "questions": 0, "campaigns": 0}

    await submit_pakn(client, "k1")
    assert (await counts(client))["badges"]["pakn"] == 1
    await hand_off_from_web_chat(client)
    data = await counts(client)
    assert data["counts"]["questions"] == 1 and data["badges"]["questions"] == 1
    home = soup(await (await client.get("/console/")).text())
    assert home.select_one('[data-count="pakn_new"]').text == "1"
    assert home.select_one('[data-count="questions"]').text == "1"
    assert home.select_one('[data-badge="questions"]').text == "1"
    assert QUESTION not in str(home)  # counts only on the home page and in the badges

    await switch(client, "tnv", "volunteer")
    cid = await new_draft(client)
    await act(client, cid, "submit")
    assert (await counts(client))["counts"]["campaigns_review"] == 0  # a volunteer can't approve
    await switch(client, "mai", "staff")
    assert (await counts(client))["badges"]["campaigns"] == 1

    clock.advance(days=7)  # past the two working days of the question
    assert (await login(client, "mai")).status == 302  # the sign-in lasts 12 hours
    assert (await counts(client))["counts"]["questions_overdue"] == 1


async def test_digest_goes_once_a_day_to_accounts_with_an_address(
    make_client: Any, smtp: tuple[Inbox, int], clock: Any
) -> None:
    inbox, port = smtp
    client = await make_client(**smtp_settings(port), digest_hour=9)
    await signed_in(client, "lan")
    await set_email(client, "lan@binhminh.example.vn")
    await signed_in(client, "hung")  # no address: no digest
    await hand_off_from_web_chat(client)
    await submit_pakn(client, "k1")
    sm, services = client.app[sessionmaker_key], client.app[services_key]
    url = "https://loaxa.example.vn/console/"

    clock.now = T0.replace(hour=1)  # 08:00 local, before DIGEST_HOUR
    assert await digest.run_once(sm, services, url, clock.now) is None
    clock.now = T0.replace(hour=2, minute=5)  # 09:05 local
    assert await digest.run_once(sm, services, url, clock.now) == 1
    assert await digest.run_once(sm, services, url, clock.now) is None  # once a day

    [mail] = inbox.messages
    assert mail["To"] == "lan@binhminh.example.vn"
    assert mail["From"] == "loaxa@binhminh.example.vn"
    assert "2 việc đang chờ" in mail["Subject"]
    body = mail.get_content()
    assert "Phản ánh mới chưa tiếp nhận: 1" in body and "nhờ cán bộ trả lời: 1" in body
    assert url in body and QUESTION not in body and "Bình" not in body

    clock.now = T0.replace(hour=2) + dt.timedelta(days=1)
    assert await digest.run_once(sm, services, url, clock.now) == 1  # the next day again


async def test_volunteer_is_told_when_the_draft_is_returned_and_approved(
    make_client: Any, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    client = await make_client(**smtp_settings(port))
    await subscribers(client)
    await signed_in(client, "tnv", "volunteer")
    await set_email(client, "tnv@example.vn")
    cid = await new_draft(client)
    await act(client, cid, "submit")

    await switch(client, "mai", "staff")
    await act(client, cid, "return", note="Thêm giờ làm việc.")
    [returned] = inbox.messages
    assert returned["To"] == "tnv@example.vn"
    assert "trả lại để sửa (mai): Thêm giờ làm việc." in returned.get_content()

    client.session.cookie_jar.clear()
    assert (await login(client, "tnv")).status == 302
    assert (await counts(client))["counts"]["notices"] == 1
    home = await (await client.get("/console/")).text()
    notice = soup(home).select_one(".notices li a")
    assert notice is not None and notice["href"] == f"/console/campaigns/{cid}"
    assert "được trả lại để sửa" in notice.text
    assert soup(home).select_one('[data-badge="campaigns"]').text == "1"
    read = await client.post(
        "/console/notices/read", data={"_csrf": csrf_of(home)}, allow_redirects=False
    )
    assert read.status == 302
    assert (await counts(client))["counts"]["notices"] == 0

    await act(client, cid, "submit")
    await switch(client, "hung", "staff")
    when = (T0 + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    await act(client, cid, "approve", send_at=when)
    assert "đã được duyệt (hung)" in inbox.messages[-1].get_content()
    assert len(inbox.messages) == 2


async def test_a_bad_address_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    await signed_in(client, "lan")
    token = await csrf(client, "/console/account")
    resp = await client.post(
        "/console/account/email", data={"_csrf": token, "email": "khong-phai-email"}
    )
    assert resp.status == 400 and "không hợp lệ" in await resp.text()
