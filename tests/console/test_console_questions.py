"""The inbox of questions handed to staff: from the web chat and Telegram to the console and
back, the staff group sharing the same record, the FAQ draft from an answer, and the audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import FaqQuery
from bot.db.models_console import AuditEntry
from bot.keys import pipeline_key, services_key, sessionmaker_key
from tests.console.helpers import UNIT, csrf_of, signed_in, soup

QUESTION = "thời tiết hôm nay thế nào"
ANSWER = "Xã không dự báo thời tiết; ông/bà xem bản tin của đài truyền thanh xã nhé."


async def chat_send(client: Any, n: int, **body: Any) -> list[dict[str, Any]]:
    resp = await client.post(f"/chat/api/{UNIT}/send", json={"id": f"msg{n:08d}", **body})
    assert resp.status == 200, await resp.text()
    return [m for m in (await resp.json())["messages"] if m["direction"] == "out"]


def staff_button(message: dict[str, Any]) -> str:
    return next(b["payload"] for b in message["buttons"] if "Nhờ cán bộ" in b["label"])


async def hand_off_from_web_chat(client: Any) -> None:
    page = await client.get(f"/chat/{UNIT}/")
    assert page.status == 200
    fallback = (await chat_send(client, 1, text=QUESTION))[-1]
    said = (await chat_send(client, 2, payload=staff_button(fallback)))[-1]
    assert "Cán bộ sẽ trả lời ông/bà ngay tại đây" in said["text"]


async def only_question(client: Any) -> FaqQuery:
    async with client.app[sessionmaker_key]() as sess:
        return (await sess.execute(select(FaqQuery).where(FaqQuery.handed_to_staff))).scalar_one()


async def chat_texts(client: Any) -> list[str]:
    resp = await client.get(f"/chat/api/{UNIT}/messages?after=0")
    return [m["text"] for m in (await resp.json())["messages"] if m["direction"] == "out"]


async def test_a_question_from_the_web_chat_is_answered_from_the_console(client, clock) -> None:  # type: ignore[no-untyped-def]
    await hand_off_from_web_chat(client)
    q = await only_question(client)
    assert q.handed_at == clock.now and q.staff_due_at is not None
    assert q.staff_due_at > clock.now  # two working days later, at the end of the day

    await signed_in(client, "lan")
    inbox = await client.get("/console/questions/")
    html = await inbox.text()
    assert inbox.status == 200 and QUESTION in html
    link = soup(html).find("a", href=f"/console/questions/{q.id}")
    assert link is not None
    assert soup(html).find(attrs={"data-badge": "questions"}).text.strip() == "1"

    detail = await client.get(f"/console/questions/{q.id}")
    page = await detail.text()
    assert QUESTION in page and "Trò chuyện ngay trước câu hỏi" in page
    sent = await client.post(
        f"/console/questions/{q.id}/answer",
        data={"_csrf": csrf_of(page), "text": ANSWER},
        allow_redirects=False,
    )
    assert sent.status == 302 and sent.headers["Location"].endswith("?ok=answer")

    replies = await chat_texts(client)
    assert any(ANSWER in t and "Cán bộ xã Bình Minh trả lời" in t for t in replies), replies
    done = await only_question(client)
    assert done.staff_answer == ANSWER and done.staff_answered_by == "lan"
    assert done.staff_done_at is not None
    after = await (await client.get("/console/questions/")).text()
    assert soup(after).find(attrs={"data-count": "questions-open"}).text == "0"

    again = await client.post(
        f"/console/questions/{q.id}/answer",
        data={"_csrf": csrf_of(page), "text": "Lần hai"},
        allow_redirects=False,
    )
    assert again.headers["Location"].endswith("?err=answered")
    async with client.app[sessionmaker_key]() as sess:
        entries = (
            (await sess.execute(select(AuditEntry).where(AuditEntry.action == "question.answer")))
            .scalars()
            .all()
        )
    assert [(e.actor, e.target) for e in entries] == [("lan", f"question:{q.id}")]
    assert ANSWER not in str(entries[0].detail)  # the citizen's exchange stays out of the log


async def test_the_answer_becomes_an_faq_draft_in_one_step(client) -> None:  # type: ignore[no-untyped-def]
    await hand_off_from_web_chat(client)
    q = await only_question(client)
    await signed_in(client, "lan")
    page = await (await client.get(f"/console/questions/{q.id}")).text()
    await client.post(
        f"/console/questions/{q.id}/answer", data={"_csrf": csrf_of(page), "text": ANSWER}
    )
    answered = await (await client.get(f"/console/questions/{q.id}")).text()
    draft_link = soup(answered).find("a", href=f"/console/questions/{q.id}/faq")
    assert draft_link is not None
    draft = await client.get(f"/console/questions/{q.id}/faq")
    form = soup(await draft.text()).find("form", attrs={"class": "card"})
    assert form is not None and form["action"] == f"/console/faq/new?unit={UNIT}"
    assert QUESTION in form.find("textarea", attrs={"name": "questions"}).text
    assert ANSWER in form.find("textarea", attrs={"name": "answer"}).text


async def test_done_without_answer_leaves_the_inbox_and_is_audited(client) -> None:  # type: ignore[no-untyped-def]
    await hand_off_from_web_chat(client)
    q = await only_question(client)
    await signed_in(client, "lan")
    page = await (await client.get(f"/console/questions/{q.id}")).text()
    resp = await client.post(
        f"/console/questions/{q.id}/done", data={"_csrf": csrf_of(page)}, allow_redirects=False
    )
    assert resp.status == 302
    closed = await only_question(client)
    assert closed.staff_done_at is not None and closed.staff_answer is None
    async with client.app[sessionmaker_key]() as sess:
        actions = (await sess.execute(select(AuditEntry.action))).scalars().all()
    assert "question.done" in actions


async def test_other_units_questions_are_hidden(client) -> None:  # type: ignore[no-untyped-def]
    await hand_off_from_web_chat(client)
    q = await only_question(client)
    other = next(u for u in sorted(client.app[services_key].units) if u != UNIT)
    await signed_in(client, "binh", units=(other,))
    assert QUESTION not in await (await client.get("/console/questions/")).text()
    assert (await client.get(f"/console/questions/{q.id}")).status == 404
    volunteer_page = await client.get(f"/console/questions/?unit={UNIT}")
    assert volunteer_page.status in (403, 404)


async def test_volunteers_cannot_open_the_inbox(client) -> None:  # type: ignore[no-untyped-def]
    await signed_in(client, "tnv", role="volunteer")
    assert (await client.get("/console/questions/")).status == 403
    page = await (await client.get("/console/")).text()
    assert 'href="/console/questions/"' not in page


async def test_pipeline_is_idle_after_console_answer(client) -> None:  # type: ignore[no-untyped-def]
    """The reply was delivered at once, not left for the background loop."""
    await hand_off_from_web_chat(client)
    q = await only_question(client)
    await signed_in(client, "lan")
    page = await (await client.get(f"/console/questions/{q.id}")).text()
    await client.post(
        f"/console/questions/{q.id}/answer", data={"_csrf": csrf_of(page), "text": ANSWER}
    )
    assert await client.app[pipeline_key].deliver() == 0
