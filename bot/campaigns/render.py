"""Campaign texts: the jinja2 template (sandboxed, StrictUndefined) rendered with the unit's
fields, cut into the messages each channel will show, and the per-channel preview.

The worker sends exactly `message_parts(channel, text, buttons)`; the preview renders the same
parts through each adapter's own `render()`, so staff see what citizens will see.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bot.channels.base import split_text
from bot.content.units import Unit
from bot.core.messages import Button, Reply

DRAFT_MARKER = "BẢN NHÁP — cần biên tập"
LIMITS = {"telegram": 4096, "zalo": 2000, "zalobot": 2000, "web": 4000}
# Room left for buttons written into the text (Zalo Bot shows reply buttons as numbered lines).
RESERVE = {"zalobot": 300}
DEFAULT_LIMIT = 2000
_ENV = SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined)


class RenderError(ValueError):
    """The template cannot be rendered; the message says why (shown to staff)."""


def render_template(template: str, unit: Unit) -> str:
    try:
        text = _ENV.from_string(template).render(unit=unit)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"lỗi cú pháp mẫu tin ở dòng {exc.lineno}: {exc.message}") from exc
    except jinja2.UndefinedError as exc:
        raise RenderError(f"mẫu tin dùng biến không có: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise RenderError(f"mẫu tin không hiển thị được: {exc}") from exc
    except Exception as exc:  # e.g. a filter on a wrong type; never crash the caller
        raise RenderError(f"mẫu tin không hiển thị được: {type(exc).__name__}: {exc}") from exc
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise RenderError("mẫu tin không có nội dung")
    return text


def raw_block(text: str) -> str:
    """Plan text put into a template verbatim (its braces are not template syntax)."""
    return "{% raw %}" + text.replace("{% endraw %}", "") + "{% endraw %}"


def message_parts(channel: str, text: str, buttons: Sequence[Button]) -> list[Reply]:
    """The messages one recipient gets on `channel`: text parts, buttons on the last one."""
    limit = LIMITS.get(channel, DEFAULT_LIMIT) - RESERVE.get(channel, 0)
    parts = split_text(text, limit)
    return [
        Reply(part, tuple(buttons) if i == len(parts) - 1 else ()) for i, part in enumerate(parts)
    ]


def _display(channel: str, reply: Reply) -> tuple[list[str], list[str]]:
    """(texts, button labels) as the adapter renders this message."""
    if channel == "telegram":
        from bot.channels.telegram import TelegramChannel

        texts, keyboard = TelegramChannel.render(reply)
        labels = [b.text for row in keyboard.inline_keyboard for b in row] if keyboard else []
        return texts, labels
    if channel == "zalo":
        from bot.channels.zalo import ZaloChannel

        texts, labels = [], []
        for message in ZaloChannel.render(reply):
            if "text" in message:
                texts.append(message["text"])
            payload = (message.get("attachment") or {}).get("payload") or {}
            labels += [b["title"] for b in payload.get("buttons", [])]
        return texts, labels
    if channel == "zalobot":
        from bot.channels.zalo_bot import ZaloBotChannel

        texts, _payloads = ZaloBotChannel.render(reply)
        return texts, []
    return [reply.text], [b.label for b in reply.buttons]


ZALO_OA_WARNING = (
    "Zalo OA: người đã nhắn cho OA trong 7 ngày qua nhận tin tư vấn; những người khác nhận tin "
    "truyền thông, trong hạn mức (quota) của OA và của từng người. Tin truyền thông là một tin "
    "duy nhất (tiêu đề là tên đơn vị, tối đa 4 nút); người đã từ chối loại tin này hoặc không "
    "còn quan tâm OA sẽ được bỏ qua và ghi lý do trong báo cáo."
)
ZALO_BOT_WARNING = (
    "Zalo Bot: chỉ gửi được cho người đã nhắn với bot; người không còn liên lạc được sẽ bị "
    "bỏ qua và ghi trong báo cáo."
)


def preview_channel(channel: str, text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    shown: list[str] = []
    labels: list[str] = []
    for reply in message_parts(channel, text, buttons):
        texts, button_labels = _display(channel, reply)
        shown += texts
        labels += button_labels
    warnings: list[str] = []
    if len(shown) > 1:
        limit = LIMITS.get(channel, DEFAULT_LIMIT)
        warnings.append(
            f"Tin dài: người nhận sẽ thấy {len(shown)} tin nhắn (mỗi tin tối đa {limit} ký tự)."
        )
    if channel == "zalo":
        warnings.append(ZALO_OA_WARNING)
    elif channel == "zalobot":
        warnings.append(ZALO_BOT_WARNING)
    if DRAFT_MARKER in text:
        warnings.append(f'Mẫu tin còn dấu "{DRAFT_MARKER}": cần biên tập trước khi duyệt.')
    return {"parts": shown, "buttons": labels, "chars": len(text), "warnings": warnings}
