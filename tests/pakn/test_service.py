"""The PAKN lifecycle service: submit, transitions, audit, notifications, rating, due scan."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.actors import Actor, PermissionDenied
from bot.core.messages import Reply
from bot.core.services import Services
from bot.db import queries
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Contact, Message
from bot.db.models_pakn import Pakn
from bot.pakn import store
from bot.pakn.service import (
    TRANSITIONS,
    Draft,
    PaknService,
    PaknState,
    TransitionError,
)

UNIT = "xa-binh-minh"
VN = dt.timezone(dt.timedelta(hours=7))
# Friday 13/02/2026, 10:00 in Vietnam: Tết 2026 (14/02-22/02 off) starts the next day.
BEFORE_TET = dt.datetime(2026, 2, 13, 10, 0, tzinfo=VN)
STAFF = Actor("tg:100", "staff", frozenset({UNIT}))
DRAFT = Draft(
    category="thu_tuc_hanh_chinh",
    content="Hồ sơ khai sinh nộp ngày 20/11 đã quá hẹn 5 ngày mà chưa có kết quả.",
    sender_name="Nguyễn Văn An",
    phone="+84912345678",
)


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def svc(services: Services) -> PaknService:
    assert services.pakn is not None
    return services.pakn


async def _contact(sess: AsyncSession, ext: str = "c1", channel: str = "telegram") -> Contact:
    contact = await queries.get_or_create_contact(
        sess, unit=UNIT, channel=channel, external_id=ext, now=BEFORE_TET
    )
    await sess.flush()
    return contact


async def _submit(
    sess: AsyncSession, svc: PaknService, contact: Contact | None, key: str = "k1"
) -> Pakn:
    result = await svc.submit(
        sess,
        unit=UNIT,
        channel=contact.channel if contact else "console",
        draft=DRAFT,
        contact_id=contact.id if contact else None,
        idempotency_key=key,
        now=BEFORE_TET,
    )
    return result.pakn


async def _outbound(sess: AsyncSession, contact_id: int) -> list[Reply]:
    rows = await sess.execute(
        select(Message)
        .where(Message.contact_id == contact_id, Message.direction == "out")
        .order_by(Message.id)
    )
    return [Reply.from_dict(m.body or {}) for m in rows.scalars()]


async def test_submit_computes_deadlines_around_tet_and_is_idempotent(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        first = await svc.submit(
            sess,
            unit=UNIT,
            channel="telegram",
            draft=DRAFT,
            contact_id=contact.id,
            idempotency_key="same",
            now=BEFORE_TET,
        )
    async with sm.begin() as sess:
        again = await svc.submit(
            sess,
            unit=UNIT,
            channel="telegram",
            draft=DRAFT,
            contact_id=contact.id,
            idempotency_key="same",
            now=BEFORE_TET + dt.timedelta(seconds=5),
        )
        count = len((await sess.execute(select(Pakn))).scalars().all())
    assert first.created and not again.created
    assert again.pakn.id == first.pakn.id and count == 1
    pakn = first.pakn
    assert pakn.state == "new" and pakn.code.startswith("PA-")
    # Tết 2026: 14/02-22/02 off, so day 1 is Monday 23/02; deadlines end at 17:00 local.
    assert pakn.receive_due_at == dt.datetime(2026, 2, 23, 17, 0, tzinfo=VN)
    assert pakn.forward_due_at == dt.datetime(2026, 2, 27, 17, 0, tzinfo=VN)  # 5 working days
    assert pakn.due_at == dt.datetime(2026, 3, 6, 17, 0, tzinfo=VN)  # 10 working days
    async with sm() as sess:
        events = await store.events(sess, pakn.id)
    assert [(e.from_state, e.to_state, e.actor) for e in events] == [
        (None, "new", f"citizen:{contact.id}")
    ]


async def test_submit_requires_name_and_a_way_to_answer(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        for bad in (
            Draft("thu_tuc_hanh_chinh", "nội dung đủ dài để gửi đi", "An"),  # no phone/address
            Draft("khong_co", "nội dung đủ dài để gửi đi", "An", phone="+84912345678"),
            Draft("khac", "", "An", phone="+84912345678"),
        ):
            with pytest.raises(ValueError):
                await svc.submit(
                    sess,
                    unit=UNIT,
                    channel="web",
                    draft=bad,
                    contact_id=None,
                    idempotency_key=f"x{bad.category}{bad.content}",
                    now=BEFORE_TET,
                )


async def test_full_lifecycle_writes_audit_rows_and_notifies_the_citizen(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    later = BEFORE_TET + dt.timedelta(days=12)
    async with sm.begin() as sess:
        contact = await _contact(sess)
        pakn = await _submit(sess, svc, contact)
        await svc.receive(sess, pakn, STAFF, later)
        await svc.start(sess, pakn, STAFF, later)
        await svc.answer(sess, pakn, STAFF, later, "Xã đã trả kết quả ngày 25/02.")
        await svc.close(sess, pakn, STAFF, later)
    async with sm() as sess:
        events = await store.events(sess, pakn.id)
        replies = await _outbound(sess, contact.id)
        stored = await store.by_code(sess, UNIT, pakn.code)
    assert [(e.from_state, e.to_state) for e in events] == [
        (None, "new"),
        ("new", "received"),
        ("received", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "closed"),
    ]
    assert all(e.actor == "tg:100" for e in events[1:])
    assert stored is not None and stored.assignee == "tg:100"
    assert stored.answered_at is not None and stored.closed_at is not None
    assert len(replies) == 4  # one per transition, in the citizen's channel
    assert all(pakn.code in r.text for r in replies)
    assert "Đã tiếp nhận" in replies[0].text and "06/03/2026" in replies[0].text
    answered = replies[2]
    assert "Xã đã trả kết quả ngày 25/02." in answered.text
    payloads = [b.payload for b in answered.buttons]
    assert [f"rate:{pakn.code}:{n}" for n in range(1, 6)] == payloads[:5]
    assert "đã kết thúc" in replies[3].text


async def test_refused_transitions_say_why_and_change_nothing(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        pakn = await _submit(sess, svc, contact)
        with pytest.raises(TransitionError, match="cannot go from new to answered"):
            await svc.answer(sess, pakn, STAFF, BEFORE_TET, "Trả lời")
        await svc.receive(sess, pakn, STAFF, BEFORE_TET)
        with pytest.raises(TransitionError, match="competent body"):
            await svc.forward(sess, pakn, STAFF, BEFORE_TET, "  ")
        with pytest.raises(TransitionError, match="reason"):
            await svc.reject(sess, pakn, STAFF, BEFORE_TET, "")
        with pytest.raises(TransitionError, match="answer text"):
            await svc.answer(sess, pakn, STAFF, BEFORE_TET, " ")
        with pytest.raises(PermissionDenied):
            await svc.start(sess, pakn, Actor("vol", "volunteer", frozenset({UNIT})), BEFORE_TET)
        with pytest.raises(PermissionDenied):
            await svc.start(sess, pakn, Actor("other", "staff", frozenset({"x"})), BEFORE_TET)
        await svc.reject(sess, pakn, STAFF, BEFORE_TET, "Thiếu nội dung cụ thể")
        await svc.close(sess, pakn, STAFF, BEFORE_TET)
        with pytest.raises(TransitionError, match="none \\(final state\\)"):
            await svc.transition(sess, pakn, "received", STAFF, BEFORE_TET)
        events = await store.events(sess, pakn.id)
        replies = await _outbound(sess, contact.id)
    assert pakn.state == "closed" and pakn.reject_reason == "Thiếu nội dung cụ thể"
    assert [e.to_state for e in events] == ["new", "received", "rejected", "closed"]
    assert "Thiếu nội dung cụ thể" in replies[1].text


def test_transition_table_is_explicit_and_closed_is_final() -> None:
    assert set(TRANSITIONS) == set(PaknState)
    assert TRANSITIONS[PaknState.CLOSED] == frozenset()
    assert PaknState.ANSWERED not in TRANSITIONS[PaknState.NEW]
    assert PaknState.FORWARDED in TRANSITIONS[PaknState.RECEIVED]


async def test_forward_after_five_working_days_is_allowed_but_noted(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    late = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # after 27/02 17:00
    async with sm.begin() as sess:
        contact = await _contact(sess)
        pakn = await _submit(sess, svc, contact)
        await svc.receive(sess, pakn, STAFF, BEFORE_TET)
        await svc.forward(sess, pakn, STAFF, late, "Sở Tư pháp tỉnh Đồng Nai")
        events = await store.events(sess, pakn.id)
        replies = await _outbound(sess, contact.id)
    assert pakn.forwarded_to == "Sở Tư pháp tỉnh Đồng Nai"
    assert "after the 5-working-day limit" in (events[-1].note or "")
    assert "Sở Tư pháp tỉnh Đồng Nai" in replies[-1].text


async def test_rating_only_by_the_submitter_once_after_an_answer(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        other = await _contact(sess, "c2")
        pakn = await _submit(sess, svc, contact)
        assert not await svc.rate(sess, pakn, contact.id, 5, BEFORE_TET)  # not answered yet
        await svc.receive(sess, pakn, STAFF, BEFORE_TET)
        await svc.answer(sess, pakn, STAFF, BEFORE_TET, "Đã giải quyết")
        assert not await svc.rate(sess, pakn, other.id, 5, BEFORE_TET)
        assert not await svc.rate(sess, pakn, contact.id, 6, BEFORE_TET)
        assert await svc.rate(sess, pakn, contact.id, 4, BEFORE_TET)
        assert not await svc.rate(sess, pakn, contact.id, 1, BEFORE_TET)
        assert await svc.comment(sess, pakn, contact.id, "  Cán bộ nhiệt tình ", BEFORE_TET)
    assert (pakn.rating, pakn.rating_comment) == (4, "Cán bộ nhiệt tình")


async def test_anonymisation_keeps_the_content_and_unlinks_the_contact(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        pakn = await _submit(sess, svc, contact)
        codes = await svc.anonymise_contact(sess, contact.id, BEFORE_TET)
    async with sm() as sess:
        stored = await store.by_code(sess, UNIT, pakn.code)
        events = await store.events(sess, pakn.id)
    assert codes == [pakn.code]
    assert stored is not None
    assert (stored.sender_name, stored.phone, stored.address, stored.contact_id) == (
        None,
        None,
        None,
        None,
    )
    assert stored.content == DRAFT.content and stored.anonymised_at is not None
    assert events[-1].note == "anonymised at the citizen's request"
    # Later transitions still work; there is nobody to notify.
    async with sm.begin() as sess:
        stored = await store.by_code(sess, UNIT, pakn.code)
        assert stored is not None
        await svc.receive(sess, stored, STAFF, BEFORE_TET)


async def test_submission_rate_limit(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        assert await svc.submission_limit(sess, contact.id, BEFORE_TET) is None
        await _submit(sess, svc, contact, "a")
        soon = await svc.submission_limit(sess, contact.id, BEFORE_TET + dt.timedelta(seconds=30))
        assert soon is not None and soon.reason == "interval"
        assert soon.retry_after == dt.timedelta(seconds=90)
        for i, minutes in enumerate((10, 20)):
            result = await svc.submit(
                sess,
                unit=UNIT,
                channel="telegram",
                draft=DRAFT,
                contact_id=contact.id,
                idempotency_key=f"b{i}",
                now=BEFORE_TET + dt.timedelta(minutes=minutes),
            )
            assert result.created
        daily = await svc.submission_limit(sess, contact.id, BEFORE_TET + dt.timedelta(hours=1))
        assert daily is not None and daily.reason == "daily"
        tomorrow = BEFORE_TET + dt.timedelta(hours=24, seconds=1)
        assert await svc.submission_limit(sess, contact.id, tomorrow) is None


async def test_due_scan_reports_each_stage_once(
    sm: async_sessionmaker[AsyncSession], svc: PaknService
) -> None:
    async with sm.begin() as sess:
        contact = await _contact(sess)
        fresh = await _submit(sess, svc, contact, "fresh")
        logged = await _submit(sess, svc, contact, "logged")
        await svc.receive(sess, logged, STAFF, BEFORE_TET)
    # Mon 23/02 (first working day after Tết): receive is due today (0 days left).
    monday = dt.datetime(2026, 2, 23, 9, 0, tzinfo=VN)
    async with sm.begin() as sess:
        alerts = await svc.due_alerts(sess, monday, unit=UNIT)
        # forward is due 27/02: 4 working days left, more than due_soon_days (2) -> not listed
        assert [(a.code, a.stage, a.due_state) for a in alerts] == [
            (fresh.code, "receive", "due_soon")
        ]
    # Wed 25/02: receive (23/02 17:00) overdue; forward (27/02) within 2 working days.
    wednesday = dt.datetime(2026, 2, 25, 9, 0, tzinfo=VN)
    async with sm.begin() as sess:
        alerts = await svc.due_alerts(sess, wednesday, unit=UNIT, only_changed=True)
        assert [(a.code, a.stage, a.due_state) for a in alerts] == [
            (fresh.code, "receive", "overdue"),
            (logged.code, "forward", "due_soon"),
        ]
        await svc.mark_alerted(sess, alerts, wednesday)
    async with sm.begin() as sess:
        assert await svc.due_alerts(sess, wednesday, only_changed=True) == []
        assert len(await svc.due_alerts(sess, wednesday)) == 2
        stored = await store.by_code(sess, UNIT, logged.code)
        assert stored is not None
        await svc.start(sess, stored, STAFF, wednesday)  # ours: now the answer deadline counts
        alerts = await svc.due_alerts(sess, wednesday, only_changed=True)
    # "fresh" was already reported as overdue; "logged" now waits for its answer (06/03): ok.
    assert alerts == []
