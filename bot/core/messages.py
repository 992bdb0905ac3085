"""Channel-neutral value types: what a citizen sent (Inbound), what the bot answers (Reply) and
where a conversation stands (FlowState). Storage and conversations both build on this module;
it imports nothing of the project."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

InboundKind = Literal[
    "text", "button", "attachment", "location", "sticker", "voice", "follow", "unfollow", "other",
    "agent",  # a staff member wrote to the citizen in the channel's own app (Zalo OA chat)
]  # fmt: skip
ButtonKind = Literal["reply", "url", "call"]

MAX_TEXT = 4000  # characters of one inbound message; longer ones are cut and the citizen told


@dataclass(frozen=True)
class Attachment:
    kind: str  # photo | document | video | audio
    file_id: str
    name: str | None = None
    mime: str | None = None
    size: int | None = None
    url: str | None = None
    stored_id: int | None = None  # its media_files row (set by the engine or the upload)


@dataclass(frozen=True)
class Inbound:
    unit: str
    channel: str
    user_id: str
    kind: InboundKind = "text"
    text: str = ""
    payload: str | None = None
    attachments: tuple[Attachment, ...] = ()
    location: tuple[float, float] | None = None  # (latitude, longitude), WGS84 degrees
    location_accuracy: float | None = None  # metres, when the device said (Telegram, browser)
    display_name: str | None = None
    language: str | None = None
    message_id: str | None = None  # the channel's id of this message, for replies/edits
    # Staff group chats: user_id is the group (where replies go), sender_id the staff member.
    group: bool = False
    sender_id: str | None = None
    reply_to: str | None = None  # the channel's id of the message this one replies to
    # A button press: the channel's id of our message that carried the button (Telegram), so
    # a screen that only changes a little (subscription toggles) is edited in place.
    button_of: str | None = None


@dataclass(frozen=True)
class Button:
    kind: ButtonKind
    label: str
    payload: str = ""  # reply: sent back when pressed
    url: str = ""  # url: opened
    phone: str = ""  # call: digits to dial
    # A secondary action (👍/👎, ask staff, menu, back): channels show these small, several in
    # a row, after the primary ones; where buttons are few (Zalo OA) they are dropped first.
    compact: bool = False

    @classmethod
    def reply(cls, label: str, payload: str, *, compact: bool = False) -> Button:
        return cls("reply", label, payload=payload, compact=compact)

    @classmethod
    def link(cls, label: str, url: str, *, compact: bool = False) -> Button:
        return cls("url", label, url=url, compact=compact)

    @classmethod
    def call(cls, label: str, phone: str, *, compact: bool = False) -> Button:
        return cls("call", label, phone=phone, compact=compact)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "label": self.label}
        for name in ("payload", "url", "phone"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.compact:
            data["compact"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Button:
        return cls(
            data["kind"],
            data["label"],
            payload=data.get("payload", ""),
            url=data.get("url", ""),
            phone=data.get("phone", ""),
            compact=bool(data.get("compact", False)),
        )


def primary_first(buttons: tuple[Button, ...] | list[Button]) -> list[Button]:
    """The primary buttons, then the compact ones, each in their given order."""
    return [b for b in buttons if not b.compact] + [b for b in buttons if b.compact]


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    image_url: str | None = None
    # The channel's id of an earlier message of ours that this one replaces (an edit, e.g. a
    # staff-group card redacted at the citizen's request). Only the Telegram adapter edits;
    # the others would send the text as a new message.
    edit_of: str | None = None
    # Stored files to send with the text (staff group): {"sha256", "mime", "caption"} each;
    # the text is the first one's caption. Channels without file sending send the text only.
    media: tuple[dict[str, str], ...] = ()
    # With edit_of: change only the buttons (the text stays; Telegram editMessageReplyMarkup).
    buttons_only: bool = False
    # With edit_of: a screen refreshed in place; when the old message can't be edited (deleted,
    # unknown), send it as a new one rather than lose it.
    in_place: bool = False
    # The channel's id of the message this one answers (a threaded confirmation in a group).
    reply_to: str | None = None
    # Ask for the answer as a reply (Telegram ForceReply): a prompt whose reply is read.
    force_reply: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "buttons": [b.to_dict() for b in self.buttons]}
        if self.image_url:
            data["image_url"] = self.image_url
        if self.media:
            data["media"] = [dict(m) for m in self.media]
        if self.edit_of:
            data["edit_of"] = self.edit_of
        for name in ("buttons_only", "in_place", "reply_to", "force_reply"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data.get("text", ""),
            buttons=tuple(Button.from_dict(b) for b in data.get("buttons", [])),
            image_url=data.get("image_url"),
            edit_of=data.get("edit_of"),
            media=tuple(data.get("media") or ()),
            buttons_only=bool(data.get("buttons_only")),
            in_place=bool(data.get("in_place")),
            reply_to=data.get("reply_to"),
            force_reply=bool(data.get("force_reply")),
        )


@dataclass
class FlowState:
    """Which conversation a contact is in, at which step, with the answers so far."""

    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
