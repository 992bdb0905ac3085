"""The learned second opinion on intents (faq/intent_model.py): when it may overrule the cue
rules and the FAQ, on a small hand-made model; the shipped model on phrasings of our own that
no cue knows; and the fitting script on a toy set."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import replace
from pathlib import Path

import pytest

from bot.faq_service import FaqService, load_intent_model
from faq.intent_model import MODEL_ROUTES, IntentModel, features, second_opinion

ROOT = Path(__file__).resolve().parents[2]


def _toy(faq_prior: float = 0.0) -> IntentModel:
    """A few words, each pointing at one intent; ``faq_prior``: the bias of "faq"."""
    classes = ["contact", "emergency", "faq", "oos", "subscribe"]
    rows = {
        "chay": [1.0, 0, 9, 0, 0, 0],
        "nhan tin": [1.0, 0, 0, 0, 0, 9],
        "goi": [1.0, 3, 0, 0, 0, 0],
        "bong da": [1.0, 0, 0, 0, 9, 0],
        "tro cap": [1.0, 0, 0, 0, 0, 9],
    }
    bias = [0, 0, faq_prior, 0, 0]
    return IntentModel.from_dict({"classes": classes, "bias": bias, "features": rows})


def test_features_are_the_folded_words_and_their_pairs() -> None:
    found = features("Cho tôi xin SĐT của xã")
    assert found["xa"] == 1
    assert found["cua xa"] == 1
    assert all(f == f.lower() for f in found)


def test_probabilities_are_a_distribution_for_any_input() -> None:
    model = load_intent_model()
    assert model is not None
    for text in ("", "😀😀😀", "x" * 4000, "Xin chào 你好 привет", "đ " * 2000):
        probs = model.probabilities(text)
        assert set(probs) == set(model.classes)
        assert math.isclose(sum(probs.values()), 1.0, abs_tol=1e-6)


def test_the_shipped_model_knows_every_intent_it_may_route_to() -> None:
    model = load_intent_model()
    assert model is not None
    assert MODEL_ROUTES | {"faq"} <= set(model.classes)


def test_a_sure_faq_answer_is_never_overruled_except_by_a_danger() -> None:
    toy = _toy()
    assert second_opinion(toy, "nhan tin", "faq", faq_decision="answer", emergency=True) is None
    danger = second_opinion(toy, "chay", "faq", faq_decision="answer", emergency=True)
    assert danger is not None and danger.intent == "emergency"


def test_the_danger_is_left_alone_once_handled() -> None:
    assert second_opinion(_toy(), "chay", "faq", faq_decision="fallback", emergency=False) is None


def test_without_a_sure_answer_the_model_routes() -> None:
    opinion = second_opinion(_toy(), "nhan tin", "faq", faq_decision="fallback", emergency=True)
    assert opinion is not None and opinion.intent == "subscribe"
    assert opinion.cue.startswith("model subscribe")


def test_offered_entries_need_a_surer_model() -> None:
    # "goi": contact at e^3 / (e^3 + e^2.5 + 3) ≈ 0.57 once the FAQ's prior is raised.
    weak = _toy(faq_prior=2.5)
    assert second_opinion(weak, "goi", "faq", faq_decision="fallback", emergency=True)
    assert not second_opinion(weak, "goi", "faq", faq_decision="clarify", emergency=True)


def test_a_named_procedure_keeps_the_message_with_the_faq() -> None:
    # "tro cap" points at subscribe in the toy, yet a procedure is named.
    assert (
        second_opinion(_toy(), "tro cap", "faq", faq_decision="fallback", emergency=True) is None
    )


def test_a_cue_is_overruled_only_by_a_sure_model_and_never_for_status() -> None:
    toy = _toy()
    over = second_opinion(toy, "nhan tin", "contact", faq_decision="", emergency=True)
    assert over is not None and over.intent == "subscribe"  # ~0.99
    weak = _toy(faq_prior=2.5)  # contact ≈ 0.57 for "goi"
    assert second_opinion(weak, "goi", "subscribe", faq_decision="", emergency=True) is None
    assert second_opinion(toy, "chay", "status", faq_decision="", emergency=True) is None
    # Out of scope never overrules a cue ("bong da" is oos in the toy).
    assert second_opinion(toy, "bong da", "contact", faq_decision="", emergency=True) is None


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("bão sắp vô thì báo tui một tiếng", "subscribe"),  # news wished, no cue word
        ("lịch chích ngừa tháng sau có thì nhắn tui nha", "subscribe"),
        ("khi nào có đợt phát gạo cứu trợ nhớ báo tui", "subscribe"),
        ("tính mạng ông bà tôi đang nguy hiểm vì nước lên", "emergency"),
    ],
)
def test_phrasings_no_cue_knows_reach_their_feature(
    service: FaqService, text: str, intent: str
) -> None:
    assert service.understand(text).intent == intent
    without = replace(service, intent_model=None)
    assert without.understand(text).intent != intent  # the cue rules alone miss it


def test_the_fitting_script_learns_a_toy_set() -> None:
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("fit", ROOT / "bench/fit_intent_model.py")
    assert spec is not None and spec.loader is not None
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    data = [
        *((f"cho tôi nhận tin {w}", "subscribe") for w in ("bão", "lũ", "họp", "tiêm")),
        *((f"số điện thoại {w} là gì", "contact") for w in ("xã", "phường", "ủy ban", "công an")),
    ]
    model = IntentModel.from_dict(fit.fit(data))
    probs = model.probabilities("nhận tin mưa")
    assert max(probs, key=probs.__getitem__) == "subscribe"


@pytest.mark.parametrize("text", ["thứ bảy xã có nhận hồ sơ không", "số tổng đài vneid"])
def test_an_answer_from_a_contact_entry_says_contact_is_wanted(
    service: FaqService, text: str
) -> None:
    u = service.understand(text)
    assert (u.intent, u.decision) == ("contact", "answer")
    assert u.answered is not None and u.answered.topic in ("hotline", "lien_he_trung_tam")
