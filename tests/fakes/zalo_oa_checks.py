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
# Promotion template (v3.0): elements banner (optional, first, image_url or attachment_id),
# header (1-100 characters), text and table; at most 4 buttons. Read from redai-zalo-sdk
# docs/PROMOTION_API_V3_MIGRATION.md and dist/types/promotion.d.ts (unpkg); the text limit
# (2,000) and the button count are unverified against Zalo's own page (docs/zalo-setup.md).
PROMOTION_ELEMENTS = {"banner", "header", "text", "table"}
PROMOTION_MAX_BUTTONS = 4
PROMOTION_HEADER = 100
PROMOTION_TEXT = 2000


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


def promotion_problem(body: Any) -> str | None:
    """Why a promotion send body is invalid, or None."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    recipient = body.get("recipient")
    if not isinstance(recipient, dict) or set(recipient) != {"user_id"}:
        return "a promotion goes to a recipient {user_id}"
    if not isinstance(recipient["user_id"], str) or not recipient["user_id"]:
        return "empty recipient id"
    message = body.get("message")
    if not isinstance(message, dict) or set(message) != {"attachment"}:
        return "a promotion message is one attachment"
    attachment = message["attachment"]
    if not isinstance(attachment, dict) or attachment.get("type") != "template":
        return "a promotion attachment is a template"
    payload = attachment.get("payload")
    if not isinstance(payload, dict) or payload.get("template_type") != "promotion":
        return "template_type must be promotion"
    elements = payload.get("elements")
    if not isinstance(elements, list) or not elements:
        return "elements must be a non-empty list"
    kinds = [e.get("type") if isinstance(e, dict) else None for e in elements]
    if any(k not in PROMOTION_ELEMENTS for k in kinds):
        return f"unknown element types {kinds}"
    if kinds.count("banner") > 1 or ("banner" in kinds and kinds[0] != "banner"):
        return "at most one banner, and it comes first"
    if kinds.count("header") != 1:
        return "a promotion has exactly one header"
    if "text" not in kinds:
        return "a promotion needs a text element"
    for element in elements:
        reason = _element_problem(element)
        if reason is not None:
            return reason
    if "buttons" in payload:
        buttons = payload["buttons"]
        if isinstance(buttons, list) and len(buttons) > PROMOTION_MAX_BUTTONS:
            return f"at most {PROMOTION_MAX_BUTTONS} buttons in a promotion"
        return _buttons_problem(buttons)
    return None


def _element_problem(element: dict[str, Any]) -> str | None:
    kind, content = element.get("type"), element.get("content")
    if kind == "banner":
        if not (element.get("image_url") or element.get("attachment_id")):
            return "a banner needs image_url or attachment_id"
        return None
    if kind == "table":
        ok = isinstance(content, list) and all(
            isinstance(r, dict) and r.get("key") and r.get("value") for r in content
        )
        return None if ok else "a table is a list of {key, value}"
    limit = PROMOTION_HEADER if kind == "header" else PROMOTION_TEXT
    if not isinstance(content, str) or not 0 < len(content) <= limit:
        return f"{kind} content must be 1-{limit} characters"
    if element.get("align", "left") not in ("left", "center", "right"):
        return "align must be left, center or right"
    return None
