"""Request parsing and the Bot API's validation rules, as the fake Telegram server applies them.

python-telegram-bot 22 (``HTTPXRequest``) POSTs ``application/x-www-form-urlencoded`` bodies
(``multipart/form-data`` when it uploads a file) in which string parameters are sent as they are
and every other value is JSON-encoded (``chat_id=123``, ``reply_markup={"inline_keyboard": ...}``,
``disable_notification=true``). Other clients send JSON bodies or query strings; all three are
accepted and normalised to the same Python types here.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
_NUMBER_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "max_connections",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "has_spoiler",
        "show_caption_above_media",
        "disable_content_type_detection",
        "allow_paid_broadcast",
    }
)
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Inline buttons must carry exactly one action; these are the ones besides url/callback_data.
_OTHER_BUTTON_ACTIONS = frozenset(
    {
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


async def read_params(request: web.Request) -> JSON:
    """Query string plus JSON, urlencoded or multipart body, normalised (see module doc)."""
    raw: JSON = dict(request.query)
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad_request("JSON object expected")
            raw.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = {
                        "file_name": value.filename,
                        "mime_type": value.content_type,
                        "data": value.file.read(),
                    }
                else:
                    raw[key] = value
    # Files referenced as attach://<part name> (media groups, thumbnails).
    for key, value in list(raw.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            raw[key] = raw.get(value.removeprefix("attach://"), value)
    return {key: _coerce(key, value) for key, value in raw.items()}


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {key} JSON object") from None
    if key in _NUMBER_FIELDS and _NUMBER.fullmatch(value):
        number = float(value)
        return int(number) if number.is_integer() else number
    if key in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def check_reply_markup(markup: Any) -> None:
    """Raise the API's 400 for malformed keyboards; inline buttons are checked one by one."""
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "force_reply" in markup and markup["force_reply"] is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: Text must be a String")
            if "callback_data" in button:
                data = button["callback_data"]
                size = len(data.encode()) if isinstance(data, str) else 0
                if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not url.startswith(
                    ("http://", "https://", "tg://")
                ):
                    raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong URL")
            elif not _OTHER_BUTTON_ACTIONS.intersection(button):
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )


class _HtmlText(HTMLParser):
    """Checks Telegram's HTML subset and collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: list[str] = []
        self.parts: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.error = self.error or f'Unsupported start tag "{tag}"'

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'
            return
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text as the user sees it; HTML markup is validated like the API does."""
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    if parser.error is None and parser.open_tags:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.open_tags[-1]}"'
    if parser.error:
        raise bad_request(f"can't parse entities: {parser.error}")
    return "".join(parser.parts)


def check_text(text: Any, parse_mode: str | None, *, caption: bool = False) -> str:
    """Validate message text (or a caption) and return what the chat will show."""
    if text is None and caption:
        return ""
    shown = visible_text(text, parse_mode) if isinstance(text, str) else ""
    if caption:
        if len(shown) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return shown
    if not shown.strip():
        raise bad_request("message text is empty")
    if len(shown) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return shown
