"""What the fake Zalo OA refuses with -201 ("Parameters are invalid"), as Zalo does.

`problem(body)` returns why a send body is invalid, or None. The limits, and where they come from:
- recipient: {"user_id"} or, in an anonymous chat, {"conversation_id", "anonymous_id"}
  (zaloplatform/zalo-java-sdk src/test/java/v3/SendTextCSMessage.java and
  SendFileAnonymousMessage.java).
- message: "text" (1-2,000 characters) and/or "attachment"; a reply may quote a message
  ("quote_message_id"; the SDK's SendQuoteCSMessage.java names it "react_message_id").
  2,000: zalo-mcp "zalo_send_text_message" (text max 2000 chars) and eSMS's OA consultation
  docs ("Giới hạn tối đa là 2.000 ký tự").
- attachment.type "template" with payload.template_type "media" (one image element:
  SendImageCSMessage.java), "request_user_info", "list", or no template_type with "buttons"
  (the consultation message with buttons); attachment.type "file" with payload.token
  (SendFileCSMessage.java). Anything else is refused.
- buttons: at most 5 (the limit Zalo's docs give for a consultation message with buttons, as
  read in issue 20); type one of oa.open.url, oa.query.show, oa.query.hide, oa.open.sms,
  oa.open.phone; title 1-100 characters; a query payload is a string of 1-1,000 characters,
  a url payload {"url"}, a phone payload {"phone_code"}, an sms payload {"content",
  "phone_code"} (redai-zalo-sdk docs/BUTTON_TYPES_GUIDE.md,
  https://app.unpkg.com/@warriorteam/redai-zalo-sdk@1.32.17/files/docs/BUTTON_TYPES_GUIDE.md).
"""

from __future__ import annotations

from typing import Any

MAX_TEXT = 2000
MAX_BUTTONS = 5
MAX_TITLE = 100
MAX_QUERY_PAYLOAD = 1000
BUTTON_TYPES = {"oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.sms", "oa.open.phone"}
TEMPLATE_TYPES = {"media", "request_user_info", "list"}
MESSAGE_KEYS = {"text", "attachment", "quote_message_id", "react_message_id"}


def problem(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "body is not a JSON object"
    recipient = body.get("recipient")
    if not isinstance(recipient, dict):
        return "no recipient"
    if set(recipient) not in ({"user_id"}, {"conversation_id", "anonymous_id"}):
        return f"recipient must be user_id or conversation_id + anonymous_id: {sorted(recipient)}"
    if not all(isinstance(v, str) and v for v in recipient.values()):
        return "empty recipient id"
    message = body.get("message")
    if not isinstance(message, dict) or not message:
        return "no message"
    unknown = set(message) - MESSAGE_KEYS
    if unknown:
        return f"unknown message fields {sorted(unknown)}"
    if "text" not in message and "attachment" not in message:
        return "message has neither text nor attachment"
    if "text" in message:
        text = message["text"]
        if not isinstance(text, str) or not 0 < len(text) <= MAX_TEXT:
            return f"text must be 1-{MAX_TEXT} characters"
    if "attachment" in message:
        return _attachment_problem(message["attachment"])
    return None


def _attachment_problem(attachment: Any) -> str | None:
    if not isinstance(attachment, dict) or not isinstance(attachment.get("payload"), dict):
        return "attachment needs a type and a payload object"
    payload = attachment["payload"]
    kind = attachment.get("type")
    if kind == "file":
        return None if isinstance(payload.get("token"), str) else "file needs payload.token"
    if kind != "template":
        return f"unknown attachment type {kind!r}"
    template = payload.get("template_type")
    if template is None:
        return _buttons_problem(payload.get("buttons"))
    if template not in TEMPLATE_TYPES:
        return f"unknown template_type {template!r}"
    if template == "media":
        elements = payload.get("elements")
        if not isinstance(elements, list) or len(elements) != 1:
            return "a media template has exactly one element"
        element = elements[0]
        if not isinstance(element, dict) or element.get("media_type") not in ("image", "gif"):
            return "media element needs media_type image or gif"
        if not (element.get("url") or element.get("attachment_id")):
            return "media element needs url or attachment_id"
    if "buttons" in payload:
        return _buttons_problem(payload["buttons"])
    return None


def _buttons_problem(buttons: Any) -> str | None:
    if not isinstance(buttons, list) or not buttons:
        return "buttons must be a non-empty list"
    if len(buttons) > MAX_BUTTONS:
        return f"at most {MAX_BUTTONS} buttons, got {len(buttons)}"
    for button in buttons:
        if not isinstance(button, dict):
            return "a button is not an object"
        kind, title, payload = button.get("type"), button.get("title"), button.get("payload")
        if kind not in BUTTON_TYPES:
            return f"unknown button type {kind!r}"
        if not isinstance(title, str) or not 0 < len(title) <= MAX_TITLE:
            return f"button title must be 1-{MAX_TITLE} characters"
        if kind in ("oa.query.show", "oa.query.hide"):
            if not isinstance(payload, str) or not 0 < len(payload) <= MAX_QUERY_PAYLOAD:
                return f"query payload must be 1-{MAX_QUERY_PAYLOAD} characters"
        elif kind == "oa.open.url":
            if not isinstance(payload, dict) or not payload.get("url"):
                return "oa.open.url needs payload.url"
        elif kind == "oa.open.phone":
            if not isinstance(payload, dict) or not payload.get("phone_code"):
                return "oa.open.phone needs payload.phone_code"
        elif not isinstance(payload, dict) or not payload.get("phone_code"):
            return "oa.open.sms needs payload.phone_code and content"
    return None
