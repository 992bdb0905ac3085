"""Small talk detection (greetings, thanks, goodbyes, praise...) before FAQ matching. Pure.

A message is small talk only when *every* word is covered by a small-talk phrase or a filler
("ạ", "nhé", "bot", "mình"...). "chào anh, cho hỏi làm căn cước ở đâu" contains a question, so
it is not small talk (``classify`` returns None and the FAQ matcher takes it).
Matching is on the folded form (no diacritics), so "cam on nhieu" = "cảm ơn nhiều".
"""

from __future__ import annotations

from faq.normalize import fold, tokens

__all__ = ["KINDS", "classify"]

# kind -> phrases (folded, lower case). Longest phrases are tried first.
_PHRASES: dict[str, tuple[str, ...]] = {
    "thanks": (
        "cam on",
        "camon",
        "cam onn",
        "cám ơn",
        "thanks",
        "thank",
        "thank you",
        "thanks you",
        "thankyou",
        "tks",
        "thks",
        "thx",
        "ty",
        "tk",
        "cmon",
        "da tam",
        "biet on",
    ),
    "bye": (
        "tam biet",
        "bye",
        "bye bye",
        "bai",
        "bb",
        "goodbye",
        "good bye",
        "hen gap lai",
        "chao tam biet",
        "di day",
        "off",
    ),
    "greeting": (
        "xin chao",
        "chao",
        "hi",
        "hello",
        "helo",
        "hallo",
        "alo",
        "a lo",
        "allo",
        "hey",
        "chao buoi sang",
        "chao buoi chieu",
        "chao buoi toi",
        "buoi sang",
        "buoi toi",
        "co ai khong",
        "co ai o do khong",
        "co ai o day khong",
        "co ai ko",
        "oi",
    ),
    "praise": (
        "gioi qua",
        "gioi",
        "hay qua",
        "hay",
        "tuyet",
        "tuyet voi",
        "tot qua",
        "xuat sac",
        "de thuong",
        "dang yeu",
        "nhanh qua",
        "huu ich",
        "co ich",
    ),
    "insult": ("ngu", "ngu qua", "do", "te", "chan", "vo dung", "do te", "kem"),
    "ack": (
        "ok",
        "oke",
        "okay",
        "okie",
        "oki",
        "uh",
        "u",
        "uk",
        "um",
        "vang",
        "da",
        "duoc roi",
        "hieu roi",
        "ro roi",
        "biet roi",
        "dong y",
        "yes",
        "roi",
        "duoc",
        "nhe",
        "hieu",
    ),
    "laugh": ("hihi", "haha", "hehe", "hi hi", "ha ha", "he he", "kaka", "keke", "lol"),
}
KINDS = tuple(_PHRASES)
# Priority when several kinds are present ("ok cảm ơn" is thanks, "chào, cảm ơn" too).
_PRIORITY = ("thanks", "bye", "insult", "praise", "greeting", "laugh", "ack")

# Words that may accompany small talk without making it a question.
_FILLER_WORDS = (
    "a ah ak nhe nha nhen nhieu lam ne oi bot ban ad admin minh em anh chi co chu bac "
    "toi tui to moi nguoi mn mng nhiu that ve qua ghe vay the luon roi"
)
_FILLERS = frozenset(_FILLER_WORDS.split())
_MAX_TOKENS = 14

_INDEX: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _kind, _phrases in _PHRASES.items():
    for _p in _phrases:
        _words = tuple(fold(_p).split())
        _INDEX.setdefault(_words[0], []).append((_words, _kind))
for _rules in _INDEX.values():
    _rules.sort(key=lambda r: -len(r[0]))


def classify(text: str) -> str | None:
    """``"greeting" | "thanks" | "bye" | "praise" | "insult" | "ack" | "laugh"`` or None."""
    if not isinstance(text, str):
        return None
    words = [t.fold for t in tokens(text[:300])]
    if not words or len(words) > _MAX_TOKENS:
        return None
    found: set[str] = set()
    i = 0
    while i < len(words):
        for phrase, kind in _INDEX.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.add(kind)
                i += len(phrase)
                break
        else:
            if words[i] not in _FILLERS:
                return None
            i += 1
    if not found:
        # Only fillers: a call such as "bot ơi" is a greeting; "ạ" alone is not small talk.
        return "greeting" if {"bot", "ad", "admin", "oi"} & set(words) else None
    return next(k for k in _PRIORITY if k in found)
