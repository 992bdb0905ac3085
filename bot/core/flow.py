"""The contract between the conversation engine and the conversations in handlers/.

A conversation ("flow") is a module in handlers/ exposing an object with:
  name            -- unique key, also the prefix of its button payloads ("pakn:confirm")
  starts(ctx)     -- True if this message should start it when no flow claims the message
  handle(ctx)     -- react to the message: ctx.say(...), ctx.goto(step, ...) or ctx.end()
  takes_over(msg) -- optional: True if this message ends any other flow and goes here
Flows never import a channel; they read ctx.msg and write ctx.say(...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.messages import Button, FlowState, Inbound, Reply

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.content.units import Unit
    from bot.core.services import Services
    from bot.db.models import Contact, Message


class Flow(Protocol):
    name: str

    def starts(self, ctx: Context) -> bool: ...

    async def handle(self, ctx: Context) -> None: ...


class Context:
    """Everything a flow may use while handling one inbound message."""

    def __init__(
        self,
        *,
        msg: Inbound,
        unit: Unit,
        contact: Contact,
        session: AsyncSession,
        services: Services,
        state: FlowState,
        now: dt.datetime,
    ) -> None:
        self.msg = msg
        self.unit = unit
        self.contact = contact
        self.session = session
        self.services = services
        self.state = state
        self.now = now
        self.replies: list[Reply] = []
        # Coroutine functions run once the transaction has committed (e.g. notify staff).
        self.after_commit: list[Callable[[], Awaitable[None]]] = []
        # Outbound rows a flow queued itself (e.g. staff-group posts it must link to a PAKN);
        # delivered with the replies.
        self.queued: list[Message] = []
        # Set by hand_back(): the engine offers the message to the flows' starts() instead.
        self.handed_back = False
        # Set by the engine when it said 114/115/113 for this message inside a form.
        self.emergency_said = False
        # Set by the privacy flow when it erased the contact's data: the raw update that asked
        # for it is emptied too (the pipeline links it to the contact only when marking it).
        self.erased = False

    # --- text -------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.msg.text.strip()

    @property
    def payload(self) -> str | None:
        return self.msg.payload

    def t(self, key: str, **context: Any) -> str:
        return self.services.messages.render(key, unit=self.unit, **context)

    # --- replies ----------------------------------------------------------------------
    def say(self, text: str, buttons: Sequence[Button] = ()) -> None:
        self.replies.append(Reply(text=text, buttons=tuple(buttons)))

    def say_in_place(self, text: str, buttons: Sequence[Button] = ()) -> None:
        """Replace the message whose button was pressed where the channel can (Telegram);
        elsewhere a new message."""
        self.replies.append(
            Reply(text=text, buttons=tuple(buttons), edit_of=self.msg.button_of, in_place=True)
        )

    def say_key(self, key: str, buttons: Sequence[Button] = (), **context: Any) -> None:
        self.say(self.t(key, **context), buttons)

    def menu_buttons(self) -> list[Button]:
        return self.services.menu_buttons(self.unit)

    def say_menu(self, key: str = "menu.again", **context: Any) -> None:
        self.say_key(key, self.menu_buttons(), **context)

    # --- state ------------------------------------------------------------------------
    def goto(self, flow: str, step: str, **data: Any) -> None:
        """Enter `flow` at `step`; data given here is merged into the flow's data."""
        if self.state.flow != flow:
            self.state.data = {}
        self.state.flow = flow
        self.state.step = step
        self.state.data.update(data)

    def hand_back(self) -> None:
        """Leave the current flow without using this message: it is a command or a request
        for another flow ("tra cứu PA-…" while a comment is awaited), not an answer."""
        self.end()
        self.handed_back = True

    def end(self) -> None:
        self.state.flow = None
        self.state.step = None
        self.state.data = {}


def payload_parts(payload: str | None) -> list[str]:
    return payload.split(":") if payload else []


MAX_PAYLOAD_NUMBER = 2**63 - 1  # ids are 64-bit integers in the database


def payload_number(part: str | None, limit: int = MAX_PAYLOAD_NUMBER) -> int | None:
    """A number in a button payload or a typed choice, at most `limit`; None for anything else.

    Payloads come back from the citizen's device and can be forged: only ASCII digits count
    (str.isdigit accepts "²" and "٣", which int() refuses), and a number past `limit` would
    overflow a database column."""
    if not part or len(part) > 19 or not (part.isascii() and part.isdigit()):
        return None
    number = int(part)
    return number if number <= limit else None
