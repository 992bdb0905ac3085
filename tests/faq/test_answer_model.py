"""The answer model (faq/answer_model.py): rare words that only the first candidate, or only its
rival, knows move the chance that the first candidate is right. Messages of our own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.faq_service import FaqService
from faq import answer_model
from faq.answer_model import Evidence, probability
from faq.understand import DEFAULT_POLICY, understand

ROOT = Path(__file__).resolve().parent.parent.parent
RULES_ONLY = replace(DEFAULT_POLICY, model_p=2.0)  # the model never reaches this


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


def test_words_only_the_rival_knows_lower_the_chance() -> None:
    base = Evidence(confidence=0.84, lead=0.1, top_only=8.0, rival_only=0.0)
    assert probability(replace(base, rival_only=12.0)) < probability(base)
    assert probability(replace(base, top_only=16.0)) > probability(base)
    assert probability(replace(base, lead=0.2)) > probability(base)


def test_exclusive_weight_counts_rare_terms_of_one_entry_only(service: FaqService) -> None:
    index = service.index
    match = index.match("làm hộ chiếu cho trẻ em dưới 14 tuổi")
    card, passport = "can-cuoc-duoi-14", "ho-chieu"
    only_passport = index.exclusive_weight(match.terms, passport, card, answer_model.RARE_IDF)
    assert only_passport >= 3.0  # "hộ chiếu" is the passport entry's, not the identity card's
    assert index.exclusive_weight(match.terms, card, card, answer_model.RARE_IDF) == 0.0


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("bà con cho hỏi xin cấp phép xây nhà 3 tầng mất mấy ngày", "giay-phep-xay-dung"),
    ],
)
def test_a_clear_question_the_fixed_rules_would_only_offer_is_answered(
    service: FaqService, text: str, entry: str
) -> None:
    by_rules = understand(text, service.index, RULES_ONLY, service.listed)
    assert by_rules.decision == "clarify"
    u = service.understand(text)
    assert u.decision == "answer" and u.answered is not None and u.answered.entry == entry


@pytest.mark.parametrize(
    ("text", "not_entry"),
    [
        ("hộ chiếu cho trẻ dưới 14 tuổi làm ở đâu", "can-cuoc-duoi-14"),
        ("làm căn cước cho người già nằm một chỗ thì sao", "ho-tro-nguoi-cao-tuoi"),
    ],
)
def test_a_near_miss_is_not_answered_with_the_wrong_entry(
    service: FaqService, text: str, not_entry: str
) -> None:
    u = service.understand(text)
    assert u.answered is None or u.answered.entry != not_entry
