"""The first text a citizen would see for an understanding, without a database: what
`loaxa ask` prints as `reply`. The chat builds the same texts in handlers/ (ask.py,
intents.py and the flows they start); keep the message keys in step with them."""

from __future__ import annotations

from typing import Any

from bot.pakn.deadlines import CATEGORY_LABELS
from faq.intents import asks_for_help, oos_message_key, pakn_content, wants_deletion
from faq.understand import REDIRECT, Understanding

_ROUTE_KEYS = {
    "emergency": "intent.emergency",
    "complaint": "pakn.complaint",
    "subscribe": "sub.intro",
    "unsubscribe": "sub.stopped",
    "contact": "intent.contact",
    "abuse": "intent.abuse",
    "gibberish": "intent.gibberish",
}


def reply_text(u: Understanding, text: str, unit: Any, faq: Any, messages: Any) -> str:
    def t(key: str, **context: Any) -> str:
        return str(messages.render(key, unit=unit, **context))

    if u.decision == "answer" and u.answered is not None:
        return str(faq.answer(u.answered.entry, unit))
    if u.decision == "clarify":
        options = "\n".join(
            f"{i}. {faq.title(c.entry, unit.key)}" for i, c in enumerate(u.options, 1)
        )
        return f"{t('ask.clarify')}\n{options}"
    if u.decision == "fallback":
        if u.cue == REDIRECT and u.best is not None:  # "ly hôn: Tòa án", as the chat says it
            return str(faq.answer(u.best.entry, unit))
        if u.cue == "vague":
            return t("ask.vague")
        if u.intent == "oos":
            return t(oos_message_key(text))
        return t("ask.fallback")
    if u.intent == "pakn":
        content = pakn_content(text)
        if content is None:
            return t("pakn.intro")
        label = CATEGORY_LABELS.get(u.category or "khac", CATEGORY_LABELS["khac"])
        return t("intent.pakn_prefilled", content=content, category=label)
    if u.intent == "status":
        return t("status.ask_phone") if u.code else t("status.ask_code")
    if u.intent == "privacy":
        if wants_deletion(text):
            return t("privacy.confirm_delete")
        return t("privacy.view", messages=0, count=0, pakn_list="", phone="", subscriptions=0)
    if u.intent == "greeting":
        return t("intent.help" if asks_for_help(text) else "menu.welcome")
    return t(_ROUTE_KEYS.get(u.intent, "intent.gibberish"))
