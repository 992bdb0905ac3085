"""The learned reading of the FAQ topic (faq/topic_model.py): which candidate it lets the
policy answer instead of offering, on hand-made candidates and on the real content with
phrasings of our own; and how out-of-remit entries are reported (faq/understand.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.faq_service import TOPIC_MODEL, FaqService, load_intent_model
from faq.topic_model import NONE, pick, veto
from faq.types import Candidate

ROOT = Path(__file__).resolve().parents[2]
CANDS = (
    Candidate("khai-sinh-dung-han", "khai_sinh", 0.74),
    Candidate("thay-doi-ho-tich", "thay_doi_ho_tich", 0.72),
    Candidate("trich-luc", "trich_luc_ho_tich", 0.70),
    Candidate("khai-tu", "khai_tu", 0.69),
)


def test_a_sure_topic_of_the_first_candidate_keeps_the_order() -> None:
    assert pick({"khai_sinh": 0.8, "khai_tu": 0.2}, CANDS) == CANDS


def test_a_sure_topic_of_another_offered_candidate_puts_it_first() -> None:
    picked = pick({"trich_luc_ho_tich": 0.9, "khai_sinh": 0.1}, CANDS)
    assert picked is not None
    assert [c.entry for c in picked] == ["trich-luc", "khai-sinh-dung-han", "thay-doi-ho-tich",
                                         "khai-tu"]  # fmt: skip


def test_an_unsure_model_or_a_topic_not_offered_changes_nothing() -> None:
    assert pick({"khai_sinh": 0.45, "khai_tu": 0.45}, CANDS) is None
    # The first candidate's topic needs less than another's: two readings agree.
    assert pick({"khai_sinh": 0.55, "khai_tu": 0.45}, CANDS) == CANDS
    assert pick({"trich_luc_ho_tich": 0.55, "khai_sinh": 0.45}, CANDS) is None
    assert pick({"khai_tu": 0.95}, CANDS) is None  # fourth: a clarify would not offer it
    assert pick({}, CANDS) is None
    assert pick({"khai_sinh": 1.0}, ()) is None


def test_an_answer_the_model_all_but_rules_out_is_vetoed() -> None:
    answered = CANDS[0]
    assert veto({"khai_sinh": 0.01, NONE: 0.9}, answered) == NONE
    assert veto({"khai_sinh": 0.02, "khai_tu": 0.7}, answered) == "khai_tu"
    assert veto({"khai_sinh": 0.1, NONE: 0.9}, answered) is None  # not ruled out
    assert veto({"khai_sinh": 0.01, NONE: 0.4, "khai_tu": 0.4}, answered) is None  # unsure
    assert veto({NONE: 0.99}, answered) is None  # a topic it does not know: no say


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


def test_the_shipped_model_knows_every_listed_topic(service: FaqService) -> None:
    model = load_intent_model(TOPIC_MODEL)
    assert model is not None
    assert service.listed <= set(model.classes)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("tui muốn cất cái nhà trên miếng đất vườn có phải xin phép không", "giay-phep-xay-dung"),
        ("xin giấy độc thân để đi lấy chồng", "xac-nhan-tinh-trang-hon-nhan"),
        ("chồng mất rồi giờ muốn sang tên miếng đất cho con", "thua-ke-tang-cho-dat"),
    ],
)
def test_lay_phrasings_the_rules_would_offer_are_answered(
    service: FaqService, text: str, entry: str
) -> None:
    assert replace(service, topic_model=None).understand(text).decision == "clarify"
    u = service.understand(text)
    assert u.decision == "answer" and u.intent == "faq"
    assert u.answered is not None and u.answered.entry == entry
    assert u.confidence == u.answered.score  # CONTRACTS: the answered candidate's score


def test_a_wish_for_news_is_not_read_as_a_procedure(service: FaqService) -> None:
    u = service.understand("có đợt tiêm ngừa cho con nít thì nhắn tui hen")
    assert u.intent == "subscribe" and u.decision == "route"


def test_an_out_of_remit_entry_is_an_honest_fallback_with_its_way_there(
    service: FaqService,
) -> None:
    u = service.understand("vợ chồng tui muốn ly dị thì nộp đơn ở đâu")
    assert (u.intent, u.decision, u.cue) == ("oos", "fallback", "redirect")
    assert u.answered is None and u.best is not None
    assert u.best.entry == "ngoai-pham-vi-ly-hon"  # what the chat shows (handlers/ask.py)


def test_where_to_file_a_complaint_is_a_complaint(service: FaqService) -> None:
    u = service.understand("không đồng ý với quyết định của ủy ban thì gửi đơn ở đâu")
    assert u.intent == "complaint"


def test_a_word_shared_with_an_entry_does_not_answer_outside_the_remit(
    service: FaqService,
) -> None:
    # The rules alone answer the identity card for children ("trẻ"); the model reads NONE.
    text = "trường mầm non xã mấy giờ đón trẻ"
    assert replace(service, topic_model=None).understand(text).decision == "answer"
    u = service.understand(text)
    assert (u.intent, u.decision) == ("oos", "fallback")


@pytest.mark.parametrize(
    "text",
    [
        "số tổng đài mobifone là bao nhiêu",
        "quán phở đầu ngõ mấy giờ mở cửa",
        "ngân hàng agribank thứ bảy có làm việc không",
        "grab gọi số nào",
    ],
)
def test_another_organisations_contact_details_are_outside_the_remit(
    service: FaqService, text: str
) -> None:
    u = service.understand(text)
    assert u.intent != "contact" and u.decision == "fallback"


@pytest.mark.parametrize(
    "text",
    [
        "thứ bảy ủy ban có làm việc không",
        "số điện thoại xã để hỏi vay vốn ngân hàng chính sách",
        "cán bộ một cửa nghỉ trưa mấy giờ",
    ],
)
def test_the_units_own_contact_details_are_contact(service: FaqService, text: str) -> None:
    assert service.understand(text).intent == "contact"
