"""Understanding ahead of the transaction (FaqService.prime): the flow's understand() reads the
primed result; the memo stays small, and a rebuilt FAQ starts without one."""

from __future__ import annotations

from bot import faq_service
from bot.core.services import Services

UNIT = "xa-binh-minh"


def test_a_primed_text_is_read_by_every_message_that_asks_it(services: Services) -> None:
    faq = services.faq
    faq.prime("lam lai can cuoc o dau", UNIT)
    first = faq.understand("lam lai can cuoc o dau", UNIT)
    second = faq.understand("lam lai can cuoc o dau", UNIT)  # another citizen, same words
    assert first is second  # both from the memo, not matched again
    assert first == faq.ahead("lam lai can cuoc o dau", UNIT)  # the same as understood anew


def test_only_the_full_understanding_is_primed(services: Services) -> None:
    faq = services.faq
    faq.prime("cháy nhà, cứu với", UNIT)
    rest = faq.understand("cháy nhà, cứu với", UNIT, emergency=False)  # not the primed one
    assert rest.intent != "emergency"
    assert faq.understand("cháy nhà, cứu với", UNIT).intent == "emergency"


def test_the_memo_is_bounded_and_a_rebuilt_faq_has_its_own(services: Services) -> None:
    faq = services.faq
    for i in range(faq_service.PRIMED_MAX + 20):
        faq.prime(f"câu hỏi số {i}", UNIT)
    assert len(faq._primed) <= faq_service.PRIMED_MAX
    fresh = faq.with_layers([])
    assert fresh._primed == {}  # a staff edit builds a new service: no answer of the old index
    faq._primed.clear()
