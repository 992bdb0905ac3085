"""Long stories (faq/understand.py): the question pulled out of the story, asked alone, is a
second reading; when it names the same entry as the whole message, the entry is answered
instead of offered. Stories of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq_service import FaqService
from faq.understand import Understanding

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


def _offered_topics(u: Understanding) -> list[str]:
    """The topics the citizen sees: the answer, or the options of the question."""
    return [c.topic for c in (u.options if u.decision == "clarify" else u.candidates[:1])]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Nhà tôi ở thôn Bắc, vợ tôi vừa sinh cháu thứ hai ở trạm y tế xã được hơn một tuần. "
            "Tôi đi làm thợ hồ xa nhà nên bây giờ mới về được. Hai vợ chồng đã có đăng ký kết hôn "
            "đầy đủ. Cho tôi hỏi làm giấy khai sinh cho cháu thì cần mang theo những giấy tờ gì?",
            "khai_sinh",
        ),
        (
            "Gia đình tôi có ba anh em, bố mẹ mất sớm, mảnh đất hương hỏa do anh cả đứng tên trên "
            "sổ đỏ. Nay anh cả đồng ý cho tôi một phần để làm nhà, các anh em đã thống nhất. Xin "
            "hỏi thủ tục tách thửa đất để sang tên phần đó cho tôi làm như thế nào?",
            "tach_hop_thua",
        ),
    ],
)
def test_a_long_story_whose_question_agrees_is_answered(
    service: FaqService, text: str, topic: str
) -> None:
    u = service.understand(text)
    assert u.decision == "answer" and u.answered is not None and u.answered.topic == topic


def test_a_sure_story_whose_question_names_the_same_topic_is_answered(
    service: FaqService,
) -> None:
    """The clause alone is too short to be sure ("đổi bằng thì làm ở đâu"), but it names the
    topic the whole story does, and the story is sure enough (tests/faq/heldout_own.yaml)."""
    text = (
        "Tôi chạy xe ôm đã hơn hai mươi năm, cái bằng lái xe máy cũ bằng giấy bìa đã rách mép, "
        "chữ mờ gần hết. Hôm trước công an giao thông kiểm tra có nhắc nên đổi sang thẻ mới. "
        "Tôi muốn hỏi đổi bằng thì làm ở đâu, có phải thi lại không?"
    )
    u = service.understand(text)
    assert u.decision == "answer" and u.answered is not None and u.answered.topic == "gplx"


def test_a_long_story_with_a_vague_question_is_still_offered(service: FaqService) -> None:
    text = (
        "Ông bà tôi để lại mảnh đất, bố tôi mất năm ngoái, mẹ tôi đang ở với em út. Các cô chú "
        "bên nội cũng có ý kiến, anh em chưa thống nhất được. Giờ tôi phải làm thủ tục gì?"
    )
    assert service.understand(text).decision != "answer"


def test_a_national_matter_told_as_background_does_not_block_the_question(
    service: FaqService,
) -> None:
    """The national cue "khu công nghiệp" here is only where the son works."""
    text = (
        "Con tôi đi xin việc ở một nhà máy trong khu công nghiệp, phòng nhân sự đòi bản sao "
        "bằng tốt nghiệp, học bạ và giấy khai sinh có đóng dấu. Bản chính thì có đủ cả rồi. "
        "Cho hỏi mang lên xã làm bản sao có dấu đỏ được không, mất phí bao nhiêu một trang?"
    )
    u = service.understand(text)
    assert u.decision == "answer" and u.answered is not None
    assert u.answered.topic == "chung_thuc"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Mẹ tôi vừa mất, bà có lương hưu, tiền mai táng phí nhận ở đâu?", "lien_thong_khai_tu"),
        (
            "Bố tôi 60 tuổi, làm ruộng. Giờ bắt đầu đóng bảo hiểm tự nguyện thì sau này có lãnh "
            "lương hưu không?",
            "bhxh_tu_nguyen",
        ),
        ("mẹ tôi không lương hưu, có được trợ cấp hằng tháng không", "tro_cap_xa_hoi"),
        # Where someone lives is no industrial-zone matter, nor is a birth an exam ("đẻ thì").
        ("tôi ở trọ sát khu công nghiệp, đăng ký tạm trú qua mạng được không", "tam_tru"),
        ("vợ tôi mới đẻ thì đi làm giấy khai sanh ở chỗ nào", "khai_sinh"),
    ],
)
def test_a_pension_told_as_a_state_does_not_make_the_question_national(
    service: FaqService, text: str, topic: str
) -> None:
    u = service.understand(text)
    assert u.intent == "faq" and u.decision in ("answer", "clarify")
    offered = _offered_topics(u)
    assert topic in offered


def test_an_unrelated_matter_told_as_background_does_not_make_a_story_out_of_scope(
    service: FaqService,
) -> None:
    """ "người yêu" (dating, out of scope) is only who the child's mother was."""
    text = (
        "Em trai tôi có một bé gái 4 tuổi với người yêu hồi trước, hai đứa không cưới. Lúc đó "
        "làm khai sinh cho bé chỉ có tên mẹ, phần cha để trống. Giờ mẹ bé đi làm xa, gửi bé "
        "về cho em tôi nuôi. Em tôi muốn làm giấy nhận con để bé có tên bố thì làm ở đâu?"
    )
    u = service.understand(text)
    assert u.intent == "faq" and u.decision in ("answer", "clarify")
    offered = _offered_topics(u)
    assert "nhan_cha_me_con" in offered


def test_an_unrelated_matter_asked_at_the_end_of_a_story_is_still_out_of_scope(
    service: FaqService,
) -> None:
    text = (
        "Tôi mới làm xong giấy tờ nhà đất ở xã, cán bộ hướng dẫn rất tận tình, cảm ơn các anh "
        "chị nhiều. Nhân tiện cho tôi hỏi thời tiết ngày mai ở đây có mưa không, tôi định "
        "phơi lúa mà sợ mưa?"
    )
    u = service.understand(text)
    assert (u.intent, u.decision) == ("oos", "fallback")


@pytest.mark.parametrize(
    "text",
    [
        "thủ tục nhận lương hưu làm ở đâu",
        "lương hưu của tôi tính theo công thức nào",
        "đề thi vào lớp 10 năm nay có khó không",
    ],
)
def test_a_pension_asked_about_is_national(service: FaqService, text: str) -> None:
    u = service.understand(text)
    assert (u.intent, u.decision) == ("oos", "fallback")


def test_a_national_matter_asked_in_a_story_is_still_national(service: FaqService) -> None:
    text = (
        "Tôi làm công nhân trong khu công nghiệp hơn hai mươi năm, đóng bảo hiểm đầy đủ, năm "
        "nay vừa đủ tuổi nghỉ. Công ty bảo tự lo giấy tờ. Cho hỏi thủ tục nhận lương hưu làm "
        "ở đâu, cần giấy gì?"
    )
    u = service.understand(text)
    assert u.intent == "oos" and u.decision == "fallback"
