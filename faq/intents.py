"""What a citizen wants, before any FAQ matching (pure, no I/O).

``classify(text)`` returns an :class:`IntentGuess`: the intent label of CONTRACTS.md (plus
``emergency``), the tracking code found anywhere in the message, and the cue that decided it
(for logs and tests). Cues are phrases on the folded, teencode-expanded text
(faq/intent_cues.py); the FAQ matcher decides between ``faq``, ``oos`` and ``gibberish`` later
(faq/understand.py), because only it knows what the FAQ covers.

Order matters, most urgent and most specific first:
emergency > status (a code, or "my petition … where is it") > complaint > privacy >
unsubscribe > subscribe > pakn > contact > abuse > greeting > faq.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from faq import emergency_cues as danger
from faq import intent_cues as cues
from faq import pakn_cues
from faq.chat_words import chat_word, repair
from faq.normalize import canonical, fold

__all__ = [
    "IntentGuess",
    "asks_for_help",
    "classify",
    "extract_code",
    "oos_message_key",
    "prepare",
    "wants_deletion",
]

MAX_CHARS = 4000


@dataclass(frozen=True)
class IntentGuess:
    intent: str  # faq | pakn | complaint | status | subscribe | unsubscribe | privacy |
    #              contact | greeting | abuse | emergency (gibberish/oos: see understand.py)
    code: str | None = None  # canonical PA-XXX-XXX-XXX
    cue: str = ""  # the rule that fired (debugging, tests)
    category: str | None = None  # pakn: a guessed category key


# "PA" + 9 symbols, in any case, with or without separators: "pa9hc3xvm7e", "PA 2YK 8TF W6D".
_SEP = r"[\s\-_.:#/·]*"
_CODE = re.compile(
    rf"(?<![a-z0-9])pa(?:kn)?{_SEP}([a-z0-9]{{3}}){_SEP}([a-z0-9]{{3}}){_SEP}([a-z0-9]{{3}})(?![a-z0-9])"
)
_SEP_RUN = re.compile(r"[\s\-_.:#/·]+")
# Without the prefix only right after "mã" (code): "mã 7KM-Q9X-DA3".
_BARE_CODE = re.compile(
    rf"\bma(?: so)?(?: phan anh)?(?: la)?{_SEP}"
    rf"([a-z0-9]{{3}}){_SEP}([a-z0-9]{{3}}){_SEP}([a-z0-9]{{3}})(?![a-z0-9])"
)


def extract_code(text: str) -> str | None:
    """The first tracking code in ``text``, canonical (``PA-7KM-Q9X-DA3``), or None.

    The check symbol is not judged here (the status lookup says when it is wrong)."""
    low = fold(unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower())
    for pattern in (_CODE, _BARE_CODE):
        for m in pattern.finditer(low):
            body = "".join(m.groups())
            if pattern is _BARE_CODE and (body.isalpha() or body.isdigit()):
                continue  # "mã số điện thoại" is not a code
            # No digit: only when typed in groups ("PA-ACD-EHK-MNP"), never a word
            # ("paracetamol", "passport cho con").
            no_digit = not any(ch.isdigit() for ch in body)
            if pattern is _CODE and no_digit and len(_SEP_RUN.findall(m.group(0))) < 3:
                continue
            body = body.upper()
            return f"PA-{body[:3]}-{body[3:6]}-{body[6:]}"
    return None


@lru_cache(maxsize=256)  # one message is prepared by the intent rules, the policy, the reply
def prepare(text: str) -> str:
    """Folded words with chat spellings expanded, padded with spaces: " toi muon phan anh "."""
    out = [chat_word(word) for word in canonical(text[:MAX_CHARS]).split()]
    return f" {' '.join(out)} "


def _hit(patterns: re.Pattern[str], text: str) -> str | None:
    m = patterns.search(text)
    return m.group(0).strip() if m else None


# Commands of Telegram's menu (bot/channels/telegram_runtime.COMMANDS) and their Vietnamese
# spellings; "/help@LoaXaBot" is how Telegram sends them from a group.
COMMANDS = {
    "start": "greeting",
    "menu": "greeting",
    "help": "greeting",
    "batdau": "greeting",
    "pakn": "pakn",
    "phananh": "pakn",
    "tracuu": "status",
    "status": "status",
    "nhantin": "subscribe",
    "sub": "subscribe",
    "subscribe": "subscribe",
    "stop": "unsubscribe",
    "unsubscribe": "unsubscribe",
    "dulieu": "privacy",
    "privacy": "privacy",
    "lienhe": "contact",
    "contact": "contact",
}
_COMMAND = re.compile(r"^/([a-z]+)(?:@\w+)?$")


def classify(text: str, *, emergency: bool = True) -> IntentGuess:
    """The intent of one message (see module doc). Never raises. ``emergency=False``: what
    the message wants besides the danger it reports (the chat says 114/115/113 first)."""
    if not isinstance(text, str):
        return IntentGuess("faq")
    command = _COMMAND.match(text.strip().lower())
    if command and command.group(1) in COMMANDS:
        return IntentGuess(COMMANDS[command.group(1)], None, command.group(0))
    code = extract_code(text)
    t = prepare(text)
    repaired = f" {_repaired(text)} "  # with its marks: "cháy" is not "chạy"
    marked = _sentence_marked(text, t)
    if emergency and (hit := _emergency(t, marked, repaired) or _sos(text)):
        return IntentGuess("emergency", code, hit)
    if code is not None:
        return IntentGuess("status", code, "code")
    if hit := _recurring_hazard(t, marked):  # "tối nào cũng đua xe": a petition about a hazard
        return IntentGuess("pakn", None, f"recurring {hit}", guess_category(t))
    if hit := _hit(cues.PRIVACY_FIRST, t):
        return IntentGuess("privacy", None, hit)
    if hit := _hit(cues.STATUS, t):
        return IntentGuess("status", None, hit)
    if hit := _hit(cues.COMPLAINT, t):
        return IntentGuess("complaint", None, hit)
    procedure = cues.PROCEDURE.search(t)
    # "xóa tên tôi khỏi danh sách nhận tin": leaving the news, not erasing my data
    unsub = None if procedure else _hit(cues.UNSUBSCRIBE, t)
    if unsub and not _DATA_WORDS.search(t):
        return IntentGuess("unsubscribe", None, unsub)
    if (hit := _hit(cues.PRIVACY, t)) and not (cues.PRIVACY_GUARD.search(t) or procedure):
        return IntentGuess("privacy", None, hit)
    if unsub:
        return IntentGuess("unsubscribe", None, unsub)
    if (hit := _hit(cues.SUBSCRIBE, t)) and not procedure:
        return IntentGuess("subscribe", None, hit)
    if (hit := _hit(cues.WANT_NEWS, t)) and cues.NEWS.search(t) and not procedure:
        return IntentGuess("subscribe", None, hit)
    elsewhere = other_organisation(t)
    if (hit := _hit(cues.CONTACT_HOURS, t)) and not elsewhere:
        return IntentGuess("contact", None, hit)
    contact = (
        _hit(cues.CONTACT_ASK, t) or _hit(cues.CONTACT_SELF, t) or _hit(cues.CONTACT_WHERE, t)
    )
    if contact and not (procedure or elsewhere):
        return IntentGuess("contact", None, contact)
    if (hit := _hit(cues.ABUSE, repaired)) and cues.AT_BOT.search(repaired):
        return IntentGuess("abuse", None, hit)
    if hit := _pakn_cue(t):
        return IntentGuess("pakn", None, hit, guess_category(t))
    hit = None if procedure or elsewhere else _hit(cues.CONTACT, t)  # not "tổng đài Mobifone"
    if hit and cues.CONTACT_WHO.search(t):
        return IntentGuess("contact", None, hit)
    if hit := _hit(cues.ABUSE, repaired):
        return IntentGuess("abuse", None, hit)
    if (hit := _hit(cues.WELL_WISH, t)) and not cues.ASKS.search(t):
        return IntentGuess("greeting", None, hit)
    if hit := _hit(cues.HELP, t) or _hit(cues.HELP_ANY, t):
        return IntentGuess("greeting", None, hit)
    return IntentGuess("faq")


def other_organisation(t: str) -> bool:
    """``t`` (prepared) asks about another organisation, not the unit's office."""
    return bool(cues.OTHER_ORG.search(t)) and not cues.OWN_OFFICE.search(t)


_HELP_CRY = re.compile(r"(?<!cap )\bcuu\b")  # "cứu", not "cấp cứu"
_DATA_WORDS = re.compile(r"\b(?:tin nhan|du lieu|ca nhan|lich su|so dien thoai|sdt|dia chi)\b")


def _sos(text: str) -> str | None:
    """ "SOS" in a short message (a longer one names its danger; "Làng trẻ SOS" is a place)."""
    return _hit(danger.SOS, text[:200]) if len(text[:200].split()) <= 5 else None


def _recurring_hazard(t: str, marked: str) -> str | None:
    """A danger's scene that comes back every day and is not happening now."""
    if not danger.HABIT.search(t) or danger.NOW.search(t):
        return None
    return _hit(danger.EMERGENCY, marked) or _hit(danger.SCENE, marked)


_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+")


def _sentence_marked(text: str, t: str) -> str:
    """``t`` with " | " between sentences, so that a danger's phrase is not read across a full
    stop ("bãi rác tự phát. Nó ghi mã" is no "phát nổ"); windows (".{0,40}") still span it."""
    parts = [p for p in _SENTENCE_END.split(text[:MAX_CHARS]) if p.strip()]
    if len(parts) < 2:
        return t
    return " " + " | ".join(prepare(p).strip() for p in parts) + " "


def _repaired(text: str) -> str:
    """Lower-case words with their diacritics and keyboard slips undone ("vô dụg" -> "vô dụng");
    "c*t" keeps its star."""
    words = canonical(text[:MAX_CHARS].replace("*", "xstarx")).split()
    return " ".join(repair(w) for w in words).replace("xstarx", "*")


def _emergency(t: str, marked: str, repaired: str) -> str | None:
    if danger.ALONE.search(t):
        return t.strip()
    body = _hit(danger.BODY, marked)
    hit = (
        _hit(danger.EMERGENCY, marked)
        or _hit(danger.SCENE, marked)
        or body
        or _hit(danger.FIRE_ACCENTED, repaired)
    )
    if hit and danger.HARMLESS_MARKED.get(hit, "\0") in repaired:
        return None  # "từ từ" typed with its marks is no "tự tử"
    if not hit or danger.NOW.search(t):
        return hit
    if not body and danger.HABIT.search(t):
        return None
    # Past ("năm ngoái"), a procedure ("khai tử cho người chết đuối", "hồ sơ thất nghiệp") or
    # calm knowledge ("cách sơ cứu rắn cắn"): told about a danger, not calling for help.
    if danger.PAST.search(t) or danger.CALM.search(t) or pakn_cues.ENTITLEMENT.search(t):
        return None
    procedure = cues.PROCEDURE.search(t) or danger.PAPERWORK.search(t)
    return None if procedure and not _HELP_CRY.search(t) else hit


def _pakn_cue(t: str) -> str | None:
    """A petition: said so ("phản ánh", "kiến nghị", "đề nghị xã xử lý"), or a local problem
    reported with a request to act. A question about *how* to send one stays with the FAQ."""
    if pakn_cues.PAKN_HOWTO.search(t):
        return None
    if hit := _hit(pakn_cues.PAKN_SAID, t):
        return hit
    problem = _hit(pakn_cues.PROBLEM, t)
    if problem and pakn_cues.ENTITLEMENT.search(t):
        return None
    if problem and (
        pakn_cues.BROKEN.search(t)
        or pakn_cues.REQUEST.search(t)
        or pakn_cues.DAMAGE.search(t)
        or pakn_cues.PLACE.search(t)
        or len(pakn_cues.PROBLEM.findall(t)) >= 2
    ):
        return problem
    return None


def guess_category(t: str) -> str:
    """A PAKN category key of bot/pakn/deadlines.CATEGORIES from the prepared text."""
    for key, pattern in pakn_cues.CATEGORY_CUES:
        if pattern.search(t):
            return key
    return "khac"


_BARE_PAKN_WORDS = frozenset(
    [
        "toi",
        "em",
        "minh",
        "chau",
        "con",
        "bac",
        "chung",
        "muon",
        "can",
        "xin",
        "gui",
        "phan",
        "anh",
        "kien",
        "nghi",
        "gop",
        "y",
        "cho",
        "hoi",
        "ve",
        "viec",
        "a",
        "ad",
        "oi",
        "nhe",
        "nha",
        "voi",
        "duoc",
        "khong",
        "lam",
        "sao",
        "the",
        "nao",
        "de",
        "o",
        "dau",
        "mot",
        "chut",
        "can",
        "bo",
        "xa",
        "phuong",
        "uy",
        "ban",
        "chinh",
        "quyen",
        "dia",
        "phuong",
        "vay",
        "roi",
        "giup",
        "gium",
        "dum",
        "nay",
        "ay",
        "di",
        "thi",
        "la",
        "co",
        "moi",
        "nguoi",
        "anh",
        "chi",
    ]
)


def pakn_content(text: str) -> str | None:
    """The petition itself when a pakn message carries one ("đèn đường hỏng, nhờ xã sửa"),
    None for a bare wish ("tôi muốn gửi phản ánh")."""
    words = [w for w in prepare(text).split() if w not in _BARE_PAKN_WORDS]
    return " ".join(text.split()) if len(words) >= 2 else None


def asks_for_help(text: str) -> bool:
    """/help, "bạn làm được gì": the bot says what it can do (else a greeting gets the menu)."""
    t = prepare(text)
    return bool(cues.HELP.search(t) or cues.HELP_ANY.search(t)) or text.lower().startswith("/help")


def wants_deletion(text: str) -> bool:
    """A privacy message that asks to delete (else it asks to see the data)."""
    return " xoa " in prepare(text)


def oos_message_key(text: str) -> str:
    """An unknown procedure gets the portal's search; anything else "outside what we do"."""
    return "intent.oos_procedure" if cues.ADMIN.search(prepare(text)) else "intent.oos"
