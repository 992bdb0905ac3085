"""PAKN lifecycle: submit, transitions (one audit row each), answer, rating, due scan.

Callers (the citizen conversations, the staff Telegram group, the web console) pass their own
AsyncSession and `now`; every change, its audit row and the citizen's notification (an outbound
`messages` row in the citizen's channel) land in that one transaction.

State machine (Nghị định 20/2008/NĐ-CP, Điều 9: receive, log, classify, forward or handle):

    new ──▶ received ──▶ in_progress ──▶ answered ──▶ closed
     │         │  │          │  │            ▲
     │         │  └──────────┼──┼────────────┘ (answered straight after logging)
     │         ├─▶ forwarded ◀┘  │  (outside our competence: ≤ 5 working days from receipt)
     │         │      ├──▶ answered (the competent body's answer relayed)
     │         │      └──▶ closed
     └─────────┴─▶ rejected ──▶ closed  (fails Điều 7: no name/contact, unclear …; with a reason)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.core.actors import Actor
from bot.db import media
from bot.db.models_pakn import Pakn
from bot.pakn import store
from bot.pakn.codes import generate_code
from bot.pakn.deadlines import compute_due, due_state
from bot.pakn.draft import Draft
from bot.pakn.notify import RATING_VALUES, Texts, queue_for_contact

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.content.messages import Messages
    from bot.content.units import Unit
    from bot.pakn.policy import PolicyBook


class PaknState(StrEnum):
    NEW = "new"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    FORWARDED = "forwarded"
    REJECTED = "rejected"
    ANSWERED = "answered"
    CLOSED = "closed"


S = PaknState
TRANSITIONS: Mapping[PaknState, frozenset[PaknState]] = MappingProxyType(
    {
        S.NEW: frozenset({S.RECEIVED, S.REJECTED}),
        S.RECEIVED: frozenset({S.IN_PROGRESS, S.FORWARDED, S.REJECTED, S.ANSWERED}),
        S.IN_PROGRESS: frozenset({S.FORWARDED, S.REJECTED, S.ANSWERED}),
        S.FORWARDED: frozenset({S.ANSWERED, S.CLOSED}),
        S.REJECTED: frozenset({S.CLOSED}),
        S.ANSWERED: frozenset({S.CLOSED}),
        S.CLOSED: frozenset(),
    }
)
OPEN_STATES: tuple[PaknState, ...] = (S.NEW, S.RECEIVED, S.IN_PROGRESS, S.FORWARDED)
RATABLE_STATES: tuple[PaknState, ...] = (S.ANSWERED, S.CLOSED)

# Submissions per contact (configurable here): at most 3 in 24 hours and 1 per 2 minutes.
MAX_PER_DAY = 3
MIN_INTERVAL = dt.timedelta(minutes=2)
# Status look-ups: at most 5 failed tries (bad code, wrong phone) per contact per hour.
MAX_FAILED_LOOKUPS = 5
# Wrong phone numbers for one code per LOOKUP_WINDOW, whoever types them: a fresh chat session
# (a new cookie is one click away) gets no new guesses at a code somebody is already guessing.
MAX_FAILED_PER_CODE = 10
LOOKUP_WINDOW = dt.timedelta(hours=1)
MAX_CONTENT = 5000
MAX_COMMENT = 1000


class TransitionError(ValueError):
    """A state change the state machine does not allow, or one missing its required data."""


@dataclass
class SubmitResult:
    pakn: Pakn
    created: bool  # False: the same confirmation was seen before (idempotency key)


@dataclass(frozen=True)
class DueAlert:
    pakn_id: int
    unit: str
    code: str
    state: str
    stage: str  # receive | forward | answer
    due_at: dt.datetime
    due_state: str  # due_soon | overdue

    @property
    def marker(self) -> str:
        return f"{self.stage}:{self.due_state}"


@dataclass(frozen=True)
class Limit:
    reason: str  # "interval" | "daily"
    retry_after: dt.timedelta


@dataclass
class PaknService:
    policies: PolicyBook
    messages: Messages
    units: Mapping[str, Unit]
    # Called inside the submitting transaction with (session, pakn, now) for every new PAKN.
    on_created: list[Callable[[AsyncSession, Pakn, dt.datetime], Awaitable[None]]] = field(
        default_factory=list
    )
    extra: dict[str, Any] = field(default_factory=dict)

    def texts(self, unit: str) -> Texts:
        return Texts(self.messages, self.policies, self.units[unit])

    # --- citizen side ---------------------------------------------------------------------
    async def submission_limit(
        self, sess: AsyncSession, contact_id: int, now: dt.datetime
    ) -> Limit | None:
        last = await store.last_submitted_at(sess, contact_id)
        if last is not None and now - last < MIN_INTERVAL:
            return Limit("interval", MIN_INTERVAL - (now - last))
        day_ago = now - dt.timedelta(hours=24)
        if await store.count_submitted_since(sess, contact_id, day_ago) >= MAX_PER_DAY:
            return Limit("daily", dt.timedelta(hours=24))
        return None

    async def submit(
        self,
        sess: AsyncSession,
        *,
        unit: str,
        channel: str,
        draft: Draft,
        contact_id: int | None,
        idempotency_key: str,
        now: dt.datetime,
        actor: str | None = None,
    ) -> SubmitResult:
        """Store a PAKN in state `new` with its deadlines; the same key returns the first one."""
        existing = await store.by_idempotency_key(sess, idempotency_key)
        if existing is not None:
            return SubmitResult(existing, created=False)
        policy = self.policies.policy(unit)
        if draft.category not in policy.categories:
            raise ValueError(f"unknown PAKN category {draft.category!r}")
        if not draft.content.strip() or len(draft.content) > MAX_CONTENT:
            raise ValueError(f"content must have 1..{MAX_CONTENT} characters")
        if not draft.sender_name.strip() or not (draft.phone or draft.address):
            raise ValueError("Nghị định 20/2008 Điều 7: name and a phone or an address needed")
        calendar = self.policies.calendar(unit)
        code = await self._fresh_code(sess, unit)
        pakn = Pakn(
            unit=unit,
            code=code,
            contact_id=contact_id,
            channel=channel,
            category=draft.category,
            content=draft.content.strip(),
            area=draft.area,
            attachments=list(draft.attachments),
            latitude=draft.location[0] if draft.location else None,
            longitude=draft.location[1] if draft.location else None,
            location_accuracy=draft.location[2] if draft.location else None,
            sender_name=draft.sender_name.strip()[:200],
            phone=draft.phone,
            address=(draft.address or "")[:500] or None,
            consent_at=draft.consent_at or now,
            state=S.NEW.value,
            received_at=now,
            receive_due_at=compute_due(policy, calendar, draft.category, now, "receive"),
            forward_due_at=compute_due(policy, calendar, draft.category, now, "forward"),
            due_at=compute_due(policy, calendar, draft.category, now, "answer"),
            idempotency_key=idempotency_key[:128],
            updated_at=now,
        )
        await store.insert(sess, pakn)
        file_ids = [a["id"] for a in draft.attachments if isinstance(a.get("id"), int)]
        await media.link_to_pakn(sess, file_ids, contact_id, pakn.id)
        who = actor or (f"citizen:{contact_id}" if contact_id else "citizen")
        await store.add_event(sess, pakn, actor=who, from_state=None, to_state=S.NEW, now=now)
        for hook in self.on_created:  # e.g. post it to the staff group, in this transaction
            await hook(sess, pakn, now)
        return SubmitResult(pakn, created=True)

    async def _fresh_code(self, sess: AsyncSession, unit: str) -> str:
        # The unique index (unit, code) is the guarantee; checking first avoids a failed insert
        # (collisions are rare: 19**8 codes). Processing is serialised by the Pipeline.
        for _ in range(10):
            code = generate_code()
            if not await store.code_exists(sess, unit, code):
                return code
        raise RuntimeError("no free PAKN code after 10 draws")

    async def rate(
        self, sess: AsyncSession, pakn: Pakn, contact_id: int, rating: int, now: dt.datetime
    ) -> bool:
        """The submitter rates an answered PAKN once; False when not allowed or already rated."""
        if rating not in RATING_VALUES or pakn.contact_id != contact_id:
            return False
        if pakn.state not in RATABLE_STATES or pakn.rating is not None:
            return False
        pakn.rating, pakn.rated_at, pakn.updated_at = rating, now, now
        await store.add_event(
            sess,
            pakn,
            actor=f"citizen:{contact_id}",
            from_state=pakn.state,
            to_state=pakn.state,
            now=now,
            note=f"rating {rating}",
        )
        return True

    async def comment(
        self, sess: AsyncSession, pakn: Pakn, contact_id: int, text: str, now: dt.datetime
    ) -> bool:
        if pakn.contact_id != contact_id or pakn.rating is None or not text.strip():
            return False
        pakn.rating_comment = text.strip()[:MAX_COMMENT]
        pakn.updated_at = now
        return True

    async def anonymise_contact(
        self, sess: AsyncSession, contact_id: int, now: dt.datetime
    ) -> list[str]:
        """Privacy deletion: strip personal data from the contact's PAKNs; returns their codes."""
        rows = await store.anonymise_for_contact(sess, contact_id, now)
        for pakn in rows:
            await store.add_event(
                sess,
                pakn,
                actor=f"citizen:{contact_id}",
                from_state=pakn.state,
                to_state=pakn.state,
                now=now,
                note="anonymised at the citizen's request",
            )
        return [p.code for p in rows]

    # --- staff side (staff Telegram group, web console) -----------------------------------
    async def transition(
        self,
        sess: AsyncSession,
        pakn: Pakn,
        to: PaknState | str,
        actor: Actor,
        now: dt.datetime,
        *,
        note: str | None = None,
        reason: str | None = None,
        forwarded_to: str | None = None,
        answer: str | None = None,
        assignee: str | None = None,
    ) -> Pakn:
        """Move `pakn` to `to`, write the audit row and queue the citizen's notification."""
        actor.require("staff", pakn.unit)
        target = PaknState(to)
        current = PaknState(pakn.state)
        if target not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (final state)"
            raise TransitionError(
                f"{pakn.code}: cannot go from {current} to {target} (allowed: {allowed})"
            )
        forwarded_to, reason, answer = (
            v.strip() if v else "" for v in (forwarded_to, reason, answer)
        )
        if target is S.FORWARDED:
            if not forwarded_to:
                raise TransitionError(f"{pakn.code}: forwarding needs the competent body's name")
            pakn.forwarded_to = forwarded_to[:300]
            if pakn.forward_due_at and now > pakn.forward_due_at:
                note = ((note or "") + " [forwarded after the 5-working-day limit]").strip()
        elif target is S.REJECTED:
            if not reason:
                raise TransitionError(f"{pakn.code}: rejecting needs a reason for the citizen")
            pakn.reject_reason = reason
        elif target is S.ANSWERED:
            if not answer:
                raise TransitionError(f"{pakn.code}: answering needs the answer text")
            pakn.answer, pakn.answered_at = answer, now
        elif target is S.CLOSED:
            pakn.closed_at = now
        if assignee is not None:
            pakn.assignee = assignee[:128] or None
        pakn.state, pakn.updated_at = target.value, now
        await store.add_event(
            sess, pakn, actor=actor.name, from_state=current, to_state=target, now=now, note=note
        )
        reply = self.texts(pakn.unit).transition_reply(pakn)
        await queue_for_contact(sess, pakn, reply, now)
        return pakn

    async def receive(
        self, sess: AsyncSession, pakn: Pakn, actor: Actor, now: dt.datetime
    ) -> Pakn:
        return await self.transition(sess, pakn, S.RECEIVED, actor, now)

    async def start(self, sess: AsyncSession, pakn: Pakn, actor: Actor, now: dt.datetime) -> Pakn:
        return await self.transition(sess, pakn, S.IN_PROGRESS, actor, now, assignee=actor.name)

    async def forward(
        self, sess: AsyncSession, pakn: Pakn, actor: Actor, now: dt.datetime, to_body: str
    ) -> Pakn:
        return await self.transition(sess, pakn, S.FORWARDED, actor, now, forwarded_to=to_body)

    async def reject(
        self, sess: AsyncSession, pakn: Pakn, actor: Actor, now: dt.datetime, reason: str
    ) -> Pakn:
        return await self.transition(sess, pakn, S.REJECTED, actor, now, reason=reason)

    async def answer(
        self, sess: AsyncSession, pakn: Pakn, actor: Actor, now: dt.datetime, text: str
    ) -> Pakn:
        return await self.transition(sess, pakn, S.ANSWERED, actor, now, answer=text)

    async def close(self, sess: AsyncSession, pakn: Pakn, actor: Actor, now: dt.datetime) -> Pakn:
        return await self.transition(sess, pakn, S.CLOSED, actor, now)

    # --- deadlines --------------------------------------------------------------------------
    async def due_alerts(
        self,
        sess: AsyncSession,
        now: dt.datetime,
        *,
        unit: str | None = None,
        only_changed: bool = False,
    ) -> list[DueAlert]:
        """Open PAKNs whose current deadline is due soon or passed, most urgent first.

        new: receive (log and classify); received: forward (the ≤ 5 working-day window to pass
        it on when outside our competence — mark it in_progress to say it is ours);
        in_progress / forwarded: answer. With `only_changed`, PAKNs already reported in the same
        stage and due state (see `mark_alerted`) are left out.
        """
        alerts: list[DueAlert] = []
        for pakn in await store.open_with_deadlines(sess, [s.value for s in OPEN_STATES], unit):
            stage, due_at = _current_deadline(pakn)
            if due_at is None or pakn.unit not in self.units:
                continue
            policy = self.policies.policy(pakn.unit)
            state = due_state(due_at, now, self.policies.calendar(pakn.unit), policy)
            if state == "ok":
                continue
            alert = DueAlert(pakn.id, pakn.unit, pakn.code, pakn.state, stage, due_at, state)
            if only_changed and pakn.alerted == alert.marker:
                continue
            alerts.append(alert)
        alerts.sort(key=lambda a: (a.due_state != "overdue", a.due_at, a.pakn_id))
        return alerts

    async def mark_alerted(
        self, sess: AsyncSession, alerts: list[DueAlert], now: dt.datetime
    ) -> None:
        await store.mark_alerted(sess, {a.pakn_id: a.marker for a in alerts}, now)


def _current_deadline(pakn: Pakn) -> tuple[str, dt.datetime | None]:
    if pakn.state == S.NEW:
        return "receive", pakn.receive_due_at or pakn.due_at
    if pakn.state == S.RECEIVED:
        return "forward", pakn.forward_due_at or pakn.due_at
    return "answer", pakn.due_at
