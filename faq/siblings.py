"""Which entry of a topic a message means (index-aware; the string rules are in
faq/variants.py): the lead over rivals that really compete, the sibling whose variant the
message states, and the options a question offers (pure, no I/O)."""

from __future__ import annotations

import re

from faq.matcher import MatcherIndex
from faq.types import Candidate, Match
from faq.variants import (
    card_unnamed,
    contradicts,
    contradicts_or_unconfirmed,
    fits,
    same_procedure,
    unstated_qualifier,
)

__all__ = [
    "folded_query",
    "lead_over_fitting_rivals",
    "names_other_card",
    "ruled_out",
    "stated_siblings",
    "unconfirmed_variant",
    "with_fitting_sibling",
]


_CARD_TITLE = re.compile(r"\bthe\b")  # "thẻ …" folded: the entry is about a card


def lead_over_fitting_rivals(
    index: MatcherIndex, match: Match, query: str
) -> tuple[float, Candidate | None]:
    """The lead of the first candidate over rivals of other topics, and that rival, leaving
    out a rival that is a variant the message does not state ("… người nước ngoài" when nobody
    foreign is mentioned), or that the message contradicts while it states the first's own
    variant ("lần đầu" for "mất sổ đỏ, cấp lại"): it is no real competitor."""
    if not match.candidates:
        return 0.0, None
    top = match.candidates[0]
    top_title = index.folded_title(top.entry)
    top_stated: bool | None = None  # does the message state the top's own variant? (lazy)
    for c in match.candidates[1:]:
        if c.topic == top.topic:
            continue
        title = index.folded_title(c.entry)
        if contradicts(title, query):
            if top_stated is None:
                top_stated = fits(top_title, query) == 2
            if top_stated:
                continue
        if same_procedure(title, top_title) and unstated_qualifier(title, query, [top_title]):
            continue
        return top.score - c.score, c
    return top.score, None


def folded_query(index: MatcherIndex, text: str) -> str:
    """The message as the variant checks read it: folded, with the lexicon's expansions."""
    return " ".join(t.fold for t in index.lex.expand_text(text[:2000], drop_stopwords=False))


def unconfirmed_variant(index: MatcherIndex, match: Match, query: str) -> bool:
    """The first candidate is a variant ("dưới 14 tuổi", "quá hạn") the message doesn't state."""
    top = match.candidates[0]
    title = index.folded_title(top.entry)
    if not title:
        return False
    siblings = [index.folded_title(d.id) for d in index.same_topic(top.topic) if d.id != top.entry]
    return contradicts_or_unconfirmed(title, query, siblings)


def names_other_card(index: MatcherIndex, cand: Candidate, query: str) -> bool:
    """The message speaks of a card but not of the kind the entry is about (faq/variants.py).
    Only a card entry's title is expanded: this runs for every answer."""
    title = index.folded_title(cand.entry)
    return bool(_CARD_TITLE.search(title)) and card_unnamed(folded_query(index, title), query)


def ruled_out(index: MatcherIndex, cand: Candidate, query: str) -> bool:
    return contradicts(index.folded_title(cand.entry), query)


def stated_siblings(
    index: MatcherIndex, cands: tuple[Candidate, ...], query: str
) -> tuple[Candidate, ...]:
    """Each option of a question shows the variant of its topic that the message states
    ("mất ví … bằng lái" offers "Cấp lại giấy phép lái xe bị mất", not "Đổi giấy phép")."""
    out: list[Candidate] = []
    for i, c in enumerate(cands):
        if i < 3 and fits(index.folded_title(c.entry), query) < 2:
            stated = [
                d
                for d in index.same_topic(c.topic)
                if d.id != c.entry and fits(index.folded_title(d.id), query) == 2
            ]
            if stated:
                c = Candidate(stated[0].id, c.topic, c.score)
        if all(c.entry != o.entry for o in out):
            out.append(c)
    return tuple(out)


def with_fitting_sibling(
    index: MatcherIndex, cands: tuple[Candidate, ...], query: str
) -> tuple[tuple[Candidate, ...], bool]:
    """The entry of the same topic whose variant fits ("3 tháng" → quá hạn) first, and
    whether the message states that variant."""
    top = cands[0]
    ranked = [
        (fits(index.folded_title(d.id), query), d)
        for d in index.same_topic(top.topic)
        if d.id != top.entry
    ]
    ranked = [r for r in ranked if r[0] > 0]
    if ranked:
        how, doc = max(ranked, key=lambda r: r[0])
        sibling = Candidate(doc.id, doc.topic, top.score)
        return (sibling, *(c for c in cands if c.entry != doc.id))[:5], how == 2
    return cands, False
