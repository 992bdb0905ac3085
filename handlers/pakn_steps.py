"""Shared pieces of the PAKN conversations: text folding, the service, step validation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from bot.core.flow import Context
from bot.core.messages import MAX_TEXT, Button
from bot.pakn.notify import Texts
from bot.pakn.phone import display_vn_phone
from bot.pakn.service import MAX_CONTENT, PaknService
from faq.normalize import fold

START_PHRASES = frozenset(
    {"phan anh", "gui phan anh", "kien nghi", "gui kien nghi", "phan anh kien nghi", "/pakn"}
    | {"gui phan anh kien nghi", "toi muon phan anh", "toi muon gui phan anh", "gop y"}
)
COMPLAINT_PHRASES = frozenset(
    {"khieu nai", "to cao", "to giac", "toi muon khieu nai", "toi muon to cao", "gui don to cao"}
    | {"gui don khieu nai", "gui khieu nai", "gui to cao"}
)


YES_WORDS = frozenset({"dung", "dung roi", "ok", "tiep tuc", "dong y", "co", "vang", "u"})
# "Is this right?" answered no: the citizen rewrites the content.
NO_WORDS = frozenset(
    {"khong", "ko", "k", "hong", "sai", "sai roi", "khong phai", "ko phai", "khong dung"}
    | {"chua dung", "chua", "khong dung roi", "ko dung"}
)


class Step(StrEnum):
    REVIEW = "review"
    CATEGORY = "category"
    CONTENT = "content"
    COMPLAINT = "complaint"
    ATTACH = "attach"
    AREA = "area"
    NAME = "name"
    PHONE = "phone"
    ADDRESS = "address"
    CONFIRM = "confirm"
    EDIT = "edit"


# Steps that take one field the citizen types (REVIEW hands requests back instead).
FIELD_STEPS = frozenset({Step.NAME, Step.PHONE, Step.ADDRESS})


EDIT_TARGETS = {
    "category": Step.CATEGORY,
    "content": Step.CONTENT,
    "attachments": Step.ATTACH,
    "area": Step.AREA,
    "name": Step.NAME,
    "contact": Step.PHONE,
}


MIN_CHARS = 20
MIN_WORDS = 4
MAX_ATTACHMENTS = 5  # files per PAKN (bot/media/images.py limits each one)
_PUNCT = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
# Khiếu nại / tố cáo are not PAKN (Nghị định 20/2008/NĐ-CP, Điều 1); matched on folded text.
_COMPLAINT = re.compile(r"\b(khieu nai|to cao|to giac)\b")
BACK_WORDS = frozenset({"quay lai", "tro lai", "lui lai", "back", "/back"})
SKIP_WORDS = frozenset({"bo qua", "xong", "khong", "khong co", "ko", "ko co", "tiep", "skip"})
NO_PHONE_WORDS = frozenset(
    {"khong co", "khong", "ko", "ko co", "khong co so", "khong co so dien thoai", "khong co sdt"}
)


def folded(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces: for matching commands."""
    text = fold(text.lower()).replace("_", " ")
    return _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip()


def is_complaint(text: str) -> bool:
    return bool(_COMPLAINT.search(folded(text)))


def is_back(ctx: Context) -> bool:
    return ctx.msg.kind == "text" and folded(ctx.text) in BACK_WORDS


def service(ctx: Context) -> PaknService:
    svc = ctx.services.pakn
    if svc is None:
        raise RuntimeError("Services.pakn is not configured (see bot/app.py build_services)")
    return svc


def texts(ctx: Context) -> Texts:
    return service(ctx).texts(ctx.unit.key)


def offered_categories(ctx: Context) -> tuple[str, ...]:
    """The unit's categories for the form, in order: the console's list, else content/pakn.yaml
    (units.<key>.categories, or the default list)."""
    policy = service(ctx).policies.policy(ctx.unit.key)
    edited = tuple(k for k in ctx.unit.pakn_categories if k in policy.choosable)
    return edited or policy.offered


def category_button(ctx: Context, key: str) -> str:
    """A category button: its message (with an emoji), or for a unit's own key its label."""
    message = f"pakn.btn.cat.{key}"
    return ctx.t(message) if ctx.services.messages.has(message) else texts(ctx).category(key)


def content_problem(text: str) -> str | None:
    """Why `text` cannot be the content of a PAKN: "short", "long" or None."""
    # The engine cuts messages at MAX_TEXT characters: a cut message is "too long" here.
    if len(text) > MAX_CONTENT or len(text) >= MAX_TEXT:
        return "long"
    if len(text) < MIN_CHARS or len(text.split()) < MIN_WORDS:
        return "short"
    return None


def valid_name(text: str) -> str | None:
    name = _SPACES.sub(" ", text).strip()
    letters = sum(ch.isalpha() for ch in name)
    if 2 <= len(name) <= 100 and letters >= 2 and not any(ch.isdigit() for ch in name):
        return name
    return None


def nav(ctx: Context, *, back: bool = True) -> list[Button]:
    buttons = [Button.reply(ctx.t("pakn.btn.back"), "pakn:back", compact=True)] if back else []
    buttons.append(Button.reply(ctx.t("pakn.btn.cancel"), "pakn:cancel", compact=True))
    return buttons


def menu_button(ctx: Context) -> Button:
    return Button.reply(ctx.t("menu.btn.menu"), "menu", compact=True)


def with_menu(ctx: Context, buttons: Sequence[Button]) -> list[Button]:
    return [*buttons, menu_button(ctx)]


def check_content(ctx: Context, text: str) -> bool:
    problem = content_problem(text)
    if problem == "long":
        ctx.say_key(
            "pakn.content_too_long", nav(ctx), max_chars=f"{MAX_CONTENT:,}".replace(",", ".")
        )
    elif problem == "short":
        ctx.say_key(
            "pakn.content_too_short",
            nav(ctx),
            count=len(text),
            min_chars=MIN_CHARS,
            min_words=MIN_WORDS,
        )
    return problem is None


def say_complaint(ctx: Context, *, in_form: bool) -> None:
    buttons = [Button.reply(ctx.t("pakn.btn.continue"), "pakn:continue" if in_form else "pakn")]
    if ctx.unit.hotline_tel:
        buttons.append(Button.call(ctx.t("menu.btn.hotline"), ctx.unit.hotline_tel))
    buttons.append(Button.reply(ctx.t("pakn.btn.cancel"), "pakn:cancel" if in_form else "menu"))
    ctx.say_key("pakn.complaint", buttons)


def add_attachments(ctx: Context) -> int:
    items: list[dict[str, Any]] = list(ctx.state.data.get("attachments") or [])
    for a in ctx.msg.attachments:
        if len(items) < MAX_ATTACHMENTS:
            # "id": the media_files row; the caption stays there, with the file.
            items.append({"id": a.stored_id, "kind": a.kind, "name": a.name, "mime": a.mime})
    ctx.state.data["attachments"] = items
    return len(items)


def keep_location(ctx: Context, args: list[str]) -> str:
    """Keep a shared place (Telegram/Zalo location, the browser's "share my location") with
    the draft; "pakn:loc:del" drops it, "pakn:loc:off" = the browser gave none. Returns the
    message key that tells the citizen (with the consent wording)."""
    data = ctx.state.data
    if ctx.msg.kind == "location" and ctx.msg.location is not None:
        lat, lon = ctx.msg.location
        accuracy = ctx.msg.location_accuracy
        data["location"] = {
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "accuracy": round(accuracy) if accuracy is not None else None,
        }
        return "pakn.location_received"
    if args[:1] == ["del"]:
        data.pop("location", None)
        return "pakn.location_removed"
    if args[:1] == ["off"]:
        return "pakn.location_denied"
    return "pakn.location_how"  # "pakn:loc" from a page that cannot share one


def location_buttons(ctx: Context) -> list[Button]:
    """ "📍 Gửi vị trí" where the page can ask the browser (web chat); "Bỏ vị trí" once sent.
    Telegram and Zalo send a location from their own attach menu (the question says how)."""
    if ctx.state.data.get("location"):
        return [Button.reply(ctx.t("pakn.btn.location_remove"), "pakn:loc:del", compact=True)]
    if ctx.msg.channel == "web":
        return [Button.reply(ctx.t("pakn.btn.location"), "pakn:loc")]
    return []


def say_confirm(ctx: Context) -> None:
    data = ctx.state.data
    data.pop("editing", None)
    content = str(data.get("content", ""))
    if len(content) > 700:
        content = content[:700].rstrip() + " …"
    phone = data.get("phone")
    ctx.say_key(
        "pakn.confirm",
        [
            Button.reply(ctx.t("pakn.btn.send"), f"pakn:send:{data.get('nonce', '')}"),
            Button.reply(ctx.t("pakn.btn.edit"), "pakn:edit"),
            Button.reply(ctx.t("pakn.btn.cancel"), "pakn:cancel"),
        ],
        category=texts(ctx).category(str(data.get("category", ""))),
        content=content,
        attachments=len(data.get("attachments") or []),
        area=data.get("area") or "",
        located=bool(data.get("location")),
        name=data.get("name", ""),
        contact=display_vn_phone(phone) if phone else data.get("address", ""),
    )
