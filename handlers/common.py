"""Replies shared by several conversations."""

from __future__ import annotations

from bot.core.flow import Context
from faq.intents import classify

# Requests another conversation serves: a step waiting for free text (a comment, a reviewed
# petition) hands them back instead of taking them as its answer.
HANDED_BACK = frozenset({"status", "subscribe", "unsubscribe", "privacy"})


def say_unsupported(ctx: Context) -> None:
    """Polite reply to input the current step cannot use (sticker, voice, photo …), + menu."""
    kind = ctx.msg.kind
    if kind == "attachment":
        ctx.say_key("input.attachment_outside_form", ctx.menu_buttons())
    elif kind == "location":
        ctx.say_key("input.location_outside_form", ctx.menu_buttons())
    elif kind == "text" and not ctx.text:
        ctx.say_key("input.empty", ctx.menu_buttons())
    else:
        ctx.say_key("input.unsupported", ctx.menu_buttons())


def has_words(text: str) -> bool:
    """True if the text has at least one letter or digit (not only emoji or punctuation)."""
    return any(ch.isalnum() for ch in text)


def is_request(text: str) -> bool:
    """A command or a request another conversation serves, rather than an answer."""
    return text.startswith("/") or classify(text).intent in HANDED_BACK


def is_abuse(text: str) -> bool:
    """An insult that asks nothing ("bot ngu vl"): no answer to a step waiting for text."""
    return classify(text).intent == "abuse"
