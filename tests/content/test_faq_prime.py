"""Understanding ahead of the transaction (FaqService.prime): the flow's understand() takes the
primed result once; the memo stays small, and a rebuilt FAQ starts without one."""

from __future__ import annotations

from bot import faq_service
from bot.core.services import Services

UNIT = "xa-binh-minh"


def test_a_primed_text_is_taken_once(services: Services) -> None:
    faq = services.faq
    faq.prime("lam lai can cuoc o dau", UNIT)
    primed = faq.understand("lam lai can cuoc o dau", UNIT)
    again = faq.understand("lam lai can cuoc o dau", UNIT)
    assert primed == again  # the same answer as understanding it in place
    assert primed is not again  # the second call understood it anew: taken once
    assert ("lam lai can cuoc o dau", UNIT) not in {(t, u) for u, t in faq._primed}


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
