"""Words only their marks tell apart (faq/accents.py and its use in faq/matcher.py)."""

from __future__ import annotations

from faq.accents import AccentIndex, typed_spellings
from faq.matcher import MatcherIndex
from faq.normalize import tokens
from faq.types import FaqDoc

DOCS = [
    FaqDoc(
        "muc-huong",
        "bhxh",
        "Mức hưởng bảo hiểm xã hội một lần",
        ("Được hưởng bao nhiêu tiền?", "Mức hưởng tính thế nào?"),
    ),
    FaqDoc(
        "huong-dan",
        "ho_tro",
        "Hướng dẫn làm hồ sơ trực tuyến",
        ("Ai hướng dẫn người già làm hồ sơ?", "Có người chỉ cách làm không?"),
    ),
]


def test_a_word_spelled_otherwise_clashes() -> None:
    index = AccentIndex([tokens(" ".join((d.title, *d.questions))) for d in DOCS])
    typed = typed_spellings(tokens("ai hướng dẫn tôi"))
    assert index.clashes(typed, 0) == ["huong"]  # the entry says "hưởng"
    assert index.clashes(typed, 1) == []
    assert index.clashes(typed_spellings(tokens("ai huong dan toi")), 0) == []  # no marks
    assert index.clashes(typed_spellings(tokens("ai hương dẫn")), 0) == []  # a slip of the marks


def test_a_query_typed_with_marks_loses_the_credit_of_a_clashing_word() -> None:
    index = MatcherIndex.build(DOCS)
    marked = {c.entry: c.score for c in index.match("hướng bao nhiêu").candidates}
    bare = {c.entry: c.score for c in index.match("huong bao nhieu").candidates}
    assert marked["muc-huong"] < bare["muc-huong"]
    assert index.match("ai hướng dẫn tôi làm").candidates[0].entry == "huong-dan"
    assert index.match("được hưởng bao nhiêu").candidates[0].entry == "muc-huong"
