"""Classifier words ("cái", "chiếc") inside a phrase the lexicon knows do not break it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq_service import FaqService

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


def test_a_classifier_inside_a_known_phrase_is_read_through(service: FaqService) -> None:
    with_classifier = service.match("tui muốn cất cái nhà tôn có cần xin phép hông")
    without = service.match("tui muốn cất nhà tôn có cần xin phép hông")
    assert with_classifier.candidates[0].entry == "giay-phep-xay-dung"
    assert with_classifier.confidence == pytest.approx(without.confidence, abs=0.02)


def test_cai_typed_without_marks_may_be_cai_chinh(service: FaqService) -> None:
    for text in ("cai chinh ten trong giay khai sinh", "cải chính tên trong giấy khai sinh"):
        assert service.match(text).candidates[0].entry == "thay-doi-cai-chinh-ho-tich"
