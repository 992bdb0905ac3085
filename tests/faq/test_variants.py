"""Near misses (faq/variants.py and its use in faq/understand.py) on the real content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.faq_service import FaqService
from faq.variants import (
    card_unnamed,
    contradicts,
    contradicts_or_unconfirmed,
    fits,
    same_procedure,
)

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


@pytest.mark.parametrize(
    ("title", "query", "siblings", "expected"),
    [
        ("lam the can cuoc cho tre tu 6 den duoi 14 tuoi", "can cuoc cho con 14 tuoi", [], True),
        ("lam the can cuoc cho tre tu 6 den duoi 14 tuoi", "can cuoc cho con 10 tuoi", [], False),
        ("lam the can cuoc cho tre tu 6 den duoi 14 tuoi", "can cuoc cho con", [], False),
        ("dang ky khai sinh cho tre trong 60 ngay", "con 3 thang chua khai sinh", [], True),
        ("dang ky khai sinh cho tre trong 60 ngay", "be 20 ngay tuoi", [], False),
        ("cap lai so do bi mat", "so do can lam gi", ["cap so do lan dau"], True),
        ("cap lai so do bi mat", "mat so do can lam gi", ["cap so do lan dau"], False),
        ("cap lai so do bi mat", "so do can lam gi", [], False),  # no sibling: nothing to mix up
        ("khai sinh qua han (sau 60 ngay)", "toi 40 tuoi chua co khai sinh", ["khai sinh"], False),
        ("khai sinh qua han (sau 60 ngay)", "be 20 ngay chua co khai sinh", ["khai sinh"], True),
        ("lam the can cuoc lan dau tu 14 tuoi", "lam lai cccd o dau", [], True),  # "again"
        ("lam the can cuoc lan dau tu 14 tuoi", "doi can cuoc o dau", [], True),
        ("lam the can cuoc lan dau tu 14 tuoi", "lam cccd lan dau o dau", [], False),
        ("lam the can cuoc lan dau tu 14 tuoi", "lam cccd o dau", [], False),
        # "mất tiền", "mất bao lâu": a cost, not a lost card
        ("lam the can cuoc lan dau tu 14 tuoi", "lam can cuoc co mat tien khong", [], False),
        ("lam the can cuoc lan dau tu 14 tuoi", "lam can cuoc mat bao lau", [], False),
        ("lam the can cuoc lan dau tu 14 tuoi", "mat can cuoc lam sao", [], True),
    ],
)
def test_variant_must_be_stated(
    title: str, query: str, siblings: list[str], expected: bool
) -> None:
    assert contradicts_or_unconfirmed(title, query, siblings) is expected


def test_a_stated_variant_fits_best() -> None:
    assert fits("cap lai so do bi mat", "mat so do thi lam sao") == 2
    assert fits("cap lai so do bi mat", "so do cap lan dau mat bao lau") == 1  # a cost
    assert fits("khai sinh qua han sau 60 ngay", "con 3 thang chua khai sinh") == 2
    assert fits("khai sinh khi khong co giay chung sinh", "con 3 thang chua khai sinh") == 1
    assert fits("dang ky khai sinh trong 60 ngay", "con 3 thang chua khai sinh") == 0
    # the damage the message names is in the title itself
    assert fits("cap doi so do cu, rach, hu hong", "so do bi rach") == 2
    assert fits("cap doi so do cu, rach, hu hong", "so do bi mat") == 1


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("con 3 tháng chưa làm khai sinh", "khai-sinh-qua-han"),
        ("căn cước cho con 14 tuổi", "can-cuoc-lan-dau"),
        ("làm căn cước cho con 10 tuổi", "can-cuoc-duoi-14"),
        ("đăng ký khai sinh cho con", "khai-sinh-dung-han"),
        ("xe tui bị rớt mất cái biển số, xin cấp lại ở đâu", "dang-ky-xe-cap-lai"),
        ("đăng ký biển số cho xe mới mua ở đâu", "dang-ky-xe-lan-dau"),
        ("sổ đỏ tui bị rách", "cap-doi-so-do"),  # not "bị mất", not the first time
        (
            "toi 40 tuoi roi ma chua tung co giay khai sinh",
            "khai-sinh-qua-han",
        ),  # an age states it
    ],
)
def test_the_stated_variant_is_answered(service: FaqService, text: str, entry: str) -> None:
    u = service.understand(text)
    assert u.decision == "answer" and u.answered is not None and u.answered.entry == entry


def test_a_lost_certificate_is_not_answered_with_the_first_time_one(service: FaqService) -> None:
    u = service.understand("mất sổ đỏ thì làm sao")
    assert u.answered is None or u.answered.entry != "so-do-lan-dau"
    assert u.candidates[0].entry == "cap-lai-so-do-bi-mat"


@pytest.mark.parametrize("text", ["lam lai cccd o dau", "làm lại căn cước ở đâu"])
def test_making_it_again_is_never_the_first_time(service: FaqService, text: str) -> None:
    """ "làm lại": lost (cấp lại) or expired (cấp đổi), not the first card; ask which."""
    u = service.understand(text)
    assert u.answered is None or u.answered.entry != "can-cuoc-lan-dau"
    assert "can-cuoc-lan-dau" not in [c.entry for c in u.candidates[:2]]


@pytest.mark.parametrize(
    ("title", "query", "expected"),
    [
        # "dưới 14 tuổi" in a message names a range, not a child of 14
        ("lam the can cuoc cho tre duoi 6 tuoi", "tre duoi 14 tuoi lam can cuoc", False),
        ("lam the can cuoc cho tre duoi 6 tuoi", "be nha em 8 tuoi lam can cuoc", True),
        ("dang ky khai sinh cho tre trong 60 ngay", "con 3 thang chua khai sinh", True),
        ("cap so do lan dau", "so do bi chuot can rach", True),  # a torn paper was had before
    ],
)
def test_what_a_message_contradicts(title: str, query: str, expected: bool) -> None:
    assert contradicts(title, query) is expected


@pytest.mark.parametrize(
    "text", ["so do bi mat cap lai can gi", "Làm mất sổ đỏ thì xin cấp lại thế nào?"]
)
def test_a_lost_certificate_said_so_is_answered(service: FaqService, text: str) -> None:
    """The message states the loss: the first-time entry, which it contradicts, is no rival."""
    u = service.understand(text)
    assert u.decision == "answer" and u.answered is not None
    assert u.answered.entry == "cap-lai-so-do-bi-mat"


def test_a_question_offers_the_sibling_that_fits_not_the_ruled_out_variant(
    service: FaqService,
) -> None:
    """The rules alone are not sure enough to answer, but "2 tháng" rules out "trong 60 ngày":
    they offer "quá hạn". With the topic model sure of birth registration, the variant that
    fits is answered."""
    text = "bé nhà mk đc 2 tháng r chưa đk khai sinh có bị phạt k"
    u = replace(service, topic_model=None).understand(text)
    assert u.decision == "clarify"
    offered = [c.entry for c in u.options]
    assert offered[0] == "khai-sinh-qua-han" and "khai-sinh-dung-han" not in offered
    answered = service.understand(text).answered
    assert answered is not None and answered.entry == "khai-sinh-qua-han"


def test_land_certificates_are_one_procedure_but_dossiers_are_not() -> None:
    assert same_procedure("cap so do lan dau", "cap lai so do bi mat")
    assert not same_procedure("cach nop ho so truc tuyen", "tra cuu tinh trang ho so")


def test_how_long_the_first_certificate_takes_is_answered(service: FaqService) -> None:
    """A cost ("mất bao lâu"): the lost-certificate entry is no rival of the first one."""
    u = service.understand("so do cap lan dau mat bao lau")
    assert u.decision == "answer" and u.answered is not None
    assert u.answered.entry == "so-do-lan-dau"


def test_each_option_shows_the_variant_the_message_states(service: FaqService) -> None:
    u = service.understand(
        "tôi bị mất ví, trong đó có cccd, bằng lái và thẻ bhyt, giờ làm lại hết thì bắt đầu từ đâu"
    )
    assert u.decision == "clarify"
    offered = [c.entry for c in u.options]
    assert "gplx-cap-lai" in offered and "gplx-cap-doi" not in offered


@pytest.mark.parametrize(
    ("title", "query", "unnamed"),
    [
        ("cap cap lai the bao hiem y te", "lam lai the o dau", True),  # which card?
        ("cap cap lai the bao hiem y te", "mat the can cuoc lam lai the thi ra dau", True),
        ("cap cap lai the bao hiem y te", "mat the bao hiem y te lam lai o dau", False),
        ("cap lai the can cuoc bi mat hong", "lam lai the can cuoc o dau", False),
        ("cap lai the can cuoc bi mat hong", "cap lai can cuoc nhu the nao", False),  # thế nào
        ("cap lai the can cuoc bi mat hong", "co the lam lai can cuoc o xa khac", False),  # có thể
        ("khai sinh dung han", "lam lai the o dau", False),  # not a card entry
    ],
)
def test_a_card_of_another_kind_is_not_confirmed(title: str, query: str, unnamed: bool) -> None:
    assert card_unnamed(title, query) is unnamed


def test_a_card_not_named_is_asked_about(service: FaqService) -> None:
    """ "làm lại thẻ" fits the health-insurance card and the identity card alike; a story of a
    lost identity card that asks "làm lại thẻ" is not answered with the insurance card."""
    u = service.understand("mất thẻ rồi làm lại ở đâu")
    assert u.decision == "clarify"
    story = service.understand(
        "Tôi bị giật túi mất cái thẻ căn cước với mấy thẻ ngân hàng, đã trình báo công an rồi. "
        "Tuần sau tôi phải đi công chứng giấy tờ nhà đất mà cần tới thẻ. Làm lại thẻ thì ra "
        "đâu, mấy ngày thì có?"
    )
    assert not (story.decision == "answer" and story.candidates[0].topic == "bhyt")
    assert service.understand("mất thẻ bảo hiểm y tế làm lại ở đâu").decision == "answer"
