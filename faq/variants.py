"""Near misses: an entry for a *variant* of a procedure (under 14, late, lost, with a foreign
element …) is answered only when the message says so. "căn cước cho con 14 tuổi" must not get
the under-14 entry; "mất sổ đỏ" must not get the first-time one (pure, no I/O).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

__all__ = [
    "card_unnamed",
    "contradicts",
    "contradicts_or_unconfirmed",
    "fits",
    "same_procedure",
    "unstated_qualifier",
]

# A qualifier in an entry's title (folded) -> words of which the message must contain one.
# Checked only against a sibling entry of the same topic that lacks the qualifier.
_MARKERS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bqua han\b"), ("qua han", "tre", "muon", "chua lam", "chua dang ky", "lau",
                                    "qua", "thang", "nam")),
    (re.compile(r"\bda lau\b"), ("lau", "nam", "khong co giay bao tu", "khong co giay")),
    (re.compile(r"\bbi mat\b"), ("mat", "that lac", "roi", "chay", "hong", "rach", "uot",
                                   "nat", "cuop", "trom", "gay", "vo", "hu", "nhoe", "mo")),
    (re.compile(r"\bnuoc ngoai\b"), ("nuoc ngoai", "viet kieu", "ngoai quoc", "tay", "quoc tich",
                                       "han quoc", "nhat", "trung quoc", "dai loan", "my", "uc")),
)  # fmt: skip
# "mất tiền", "mất bao lâu", "mất 3 ngày": a cost, not a lost paper
_COST = re.compile(r"\bmat (?=(?:tien|phi|bao|may|thoi|nhieu|cong|ca|\d+)\b)")
_UNIT_DAYS = {"tuoi": 365, "nam": 365, "t": 365, "thang": 30, "tuan": 7, "ngay": 1}
_TITLE_BOUND = re.compile(r"\b(duoi|tu|trong|sau) (\d+) (tuoi|thang|ngay)\b")
_QUERY_AGE = re.compile(r"\b(\d+)\s*(tuoi|nam|thang|tuan|ngay|t)\b")
_QUERY_RANGE = re.compile(r"\b(?:duoi|tren|tu|sau|truoc|trong|qua|hon|den) \d+")


def _inside_bound(title: str, query: str) -> bool | None:
    """The title bounds an age or a delay ("dưới 14 tuổi", "trong 60 ngày"): whether the
    message states the bound itself or an age / delay inside it (True), one outside it
    (False), or neither (None, as when the title has no bound)."""
    bound = _TITLE_BOUND.search(title)
    if bound is None:
        return None
    kind, limit, unit = bound.group(1), int(bound.group(2)), bound.group(3)
    if f"{kind} {limit}" in query:
        return True
    # "dưới 14 tuổi" in the message is a range it names, not a child's age
    found = _QUERY_AGE.findall(_QUERY_RANGE.sub(" ", query))
    if not found:
        return None
    days = int(found[0][0]) * _UNIT_DAYS[found[0][1]]
    limit_days = limit * _UNIT_DAYS[unit]
    return days < limit_days if kind in ("duoi", "trong") else days >= limit_days


def _bound_conflict(title: str, query: str) -> bool:
    return _inside_bound(title, query) is False


# "làm lại", "đổi thẻ", "mất", "rách" …: the person has had the paper before, so not a first-time
# entry. Folded "doi" is also "đội" (bộ đội) and "đợi": only "đổi" of a paper counts.
_NOT_FIRST = re.compile(
    r"\b(?:lai|mat|hong|rach|uot|nhoe|mo chu|bi chay|het han|lan hai|lan thu hai|lan 2"
    r"|(?:cap )?doi (?:lai|sang|moi|the|can cuoc|cccd|cmnd|bang|giay|so|gplx|ho chieu))\b"
)


def _first_time_conflict(title: str, query: str) -> bool:
    return (
        " lan dau " in f" {title} "
        and " lan dau " not in f" {query} "
        and _NOT_FIRST.search(query) is not None
    )


def contradicts(title: str, query: str) -> bool:
    """``title`` (folded) names a variant the folded ``query`` contradicts: an age or delay on
    the wrong side, "lần đầu" for a paper lost or made again."""
    return _contradicts(title, _COST.sub("", query))


def contradicts_or_unconfirmed(title: str, query: str, siblings: Iterable[str] = ()) -> bool:
    """True when ``title`` (folded) names a variant the folded ``query`` contradicts or does
    not confirm while a ``sibling`` title (same topic, folded) lacks that qualifier."""
    query = _COST.sub("", query)
    return _contradicts(title, query) or _unstated(title, query, siblings)


def unstated_qualifier(title: str, query: str, siblings: Iterable[str] = ()) -> bool:
    """``title`` has a qualifier ("người nước ngoài", "bị mất", "quá hạn") that a sibling
    title lacks and the query does not state."""
    return _unstated(title, _COST.sub("", query), siblings)


def fits(title: str, query: str) -> int:
    """How well a sibling's variant fits: 2 when the query states it (an age or delay inside
    the title's bound, the qualifier's words, or those words in the title itself), 1 when
    nothing contradicts it, 0 otherwise."""
    query = _COST.sub("", query)
    if _contradicts(title, query) or _unstated(title, query, ()):
        return 0
    bound = _TITLE_BOUND.search(title)
    if bound is not None and _QUERY_AGE.search(query):
        return 2
    padded = f" {' '.join(_words(title))} "  # titles keep their commas
    for pattern, words in _MARKERS:
        stated = [w for w in words if f" {w} " in f" {query} "]
        # the qualifier, or one of the stated words in the title itself ("Cấp đổi sổ đỏ rách")
        if stated and (pattern.search(title) or any(f" {w} " in padded for w in stated)):
            return 2
    return 1


# The checks below read a query whose costs ("mất tiền", "mất bao lâu") are already removed.
def _contradicts(title: str, query: str) -> bool:
    return _bound_conflict(title, query) or _first_time_conflict(title, query)


def _unstated(title: str, query: str, siblings: Iterable[str]) -> bool:
    if _inside_bound(title, query):  # "40 tuổi" states "quá hạn (sau 60 ngày)"
        return False
    others = list(siblings)
    return any(
        pattern.search(title)
        and any(not pattern.search(o) for o in others)
        and not any(f" {w} " in f" {query} " for w in words)
        for pattern, words in _MARKERS
    )


# Words of actions and papers in general: two titles sharing only these ("cấp lại thẻ …") are
# not the same procedure; sharing "khai sinh" or "kết hôn" they are.
_GENERIC_WORDS = (
    "cap lai doi lam dang ky ki xin giay the cho nguoi moi lan dau khi bi mat hong co va voi "
    "o tai ve cua tu den duoi tren thu tuc ho so"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
# … except in these pairs: "so" is "sơ" in "hồ sơ" but "sổ" in "sổ đỏ", "sổ hồng"
_SPECIFIC_PAIRS = frozenset({("so", "do"), ("so", "hong")})


def _words(title: str) -> list[str]:
    """A folded title's words, without its punctuation ("cu, rach," -> cu, rach)."""
    return re.findall(r"[a-z0-9]+", title)


def same_procedure(a: str, b: str) -> bool:
    """Two folded titles name the same procedure (a shared pair of specific words)."""

    def pairs(title: str) -> set[tuple[str, str]]:
        words = _words(title)
        return {
            (x, y)
            for x, y in pairwise(words)
            if (x not in _GENERIC and y not in _GENERIC) or (x, y) in _SPECIFIC_PAIRS
        }

    return bool(pairs(a) & pairs(b))


# "thẻ" folded is also "thế" (thế nào, như thế, có thể, cá thể)
_CARD_WORD = re.compile(r"(?<!\bnhu )(?<!\bco )(?<!\bca )(?<!\bvi )\bthe\b(?! (?:nao|la|ma)\b)")
_CARD_OF = re.compile(r"\bthe ([a-z0-9]+ [a-z0-9]+)")


def card_unnamed(title: str, query: str) -> bool:
    """The entry is about one kind of card ("thẻ bảo hiểm y tế") and the message speaks of a
    card without naming that kind ("làm lại thẻ ở đâu", or a story of a lost identity card
    asking "làm lại thẻ"): two cards fit, so the message does not say it is this one. Both
    texts folded with the lexicon's expansions."""
    kind = _CARD_OF.search(title)
    return bool(kind and f" {kind.group(1)} " not in f" {query} " and _CARD_WORD.search(query))
