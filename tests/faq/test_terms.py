"""faq/terms.py: a filler typed without marks stays a word when the FAQ knows its pair."""

from __future__ import annotations

from faq.lexicon import CompiledLexicon, lexicon_from_mapping
from faq.normalize import tokens
from faq.terms import query_terms

LEX = CompiledLexicon(lexicon_from_mapping({"stopwords": ["hở", "tớ", "nha", "ạ"]}))
KNOWN = {"ho", "chieu", "ho_chieu", "giay", "to", "giay_to", "xay", "nha", "xay_nha"}


def uni(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[str]:
    return query_terms(tokens(text), LEX, known).uni


def test_a_known_pair_keeps_the_unmarked_filler() -> None:
    assert uni("lam ho chieu", KNOWN) == ["lam", "ho", "chieu"]
    assert uni("giay to", KNOWN) == ["giay", "to"]
    assert uni("xay nha", KNOWN) == ["xay", "nha"]


def test_without_a_known_pair_the_filler_is_dropped() -> None:
    assert uni("cam on nha", KNOWN) == ["cam", "on"]
    assert uni("ho chieu a", KNOWN) == ["ho", "chieu"]  # "a" (ạ) makes no known pair
    assert uni("lam ho chieu") == ["lam", "chieu"]  # no vocabulary given: as before


def test_a_filler_typed_with_its_marks_is_always_dropped() -> None:
    assert uni("hở chiếu", KNOWN) == ["chieu"]
    assert uni("giấy tớ", KNOWN) == ["giay"]
