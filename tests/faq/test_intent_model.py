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
from faq.intent_model import (
    MODEL_ROUTES,
    IntentModel,
    Opinion,
    danger,
    features,
    second_opinion,
)
from faq.matcher import MatcherIndex
from faq.understand import understand

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
    assert MODEL_ROUTES | {"faq", "emergency"} <= set(model.classes)


def _opinion(model: IntentModel, text: str, cue: str, decision: str = "") -> Opinion | None:
    return second_opinion(model.probabilities(text), text, cue, faq_decision=decision)


def test_an_faq_answer_is_overruled_only_by_a_sure_feature_never_an_exact_phrase() -> None:
    # faq_prior 8: "nhan tin" is subscribe at e^9 / (e^9 + e^8 + 3) ≈ 0.73, under 0.85.
    assert _opinion(_toy(faq_prior=8.0), "nhan tin", "faq", "answer") is None
    sure = _opinion(_toy(), "nhan tin", "faq", "answer")  # ≈ 0.999
    assert sure is not None and sure.intent == "subscribe"
    assert _opinion(_toy(), "nhan tin", "faq", "exact") is None  # an entry's own phrase
    assert _opinion(_toy(), "bong da", "faq", "answer") is None  # out of scope: not a feature


def test_a_danger_is_flagged_whatever_else_was_found_unless_handled() -> None:
    probs = _toy().probabilities("chay")
    alarm = danger(probs)
    assert alarm is not None and alarm.intent == "emergency"
    assert danger(probs, emergency=False) is None
    assert danger(_toy().probabilities("nhan tin")) is None
    assert danger(None) is None  # no model


def test_without_a_sure_answer_the_model_routes() -> None:
    opinion = _opinion(_toy(), "nhan tin", "faq", "fallback")
    assert opinion is not None and opinion.intent == "subscribe"
    assert opinion.cue.startswith("model subscribe")


def test_offered_entries_need_a_surer_model() -> None:
    # "goi": contact at e^3 / (e^3 + e^2.5 + 3) ≈ 0.57 once the FAQ's prior is raised.
    weak = _toy(faq_prior=2.5)
    assert _opinion(weak, "goi", "faq", "fallback")
    assert not _opinion(weak, "goi", "faq", "clarify")


def test_a_named_procedure_keeps_the_message_with_the_faq_unless_the_model_is_sure() -> None:
    # "tro cap" points at subscribe in the toy, yet a procedure is named: ≈ 0.73 is not
    # enough; ≈ 0.999 is ("có đợt chi trả trợ cấp thì nhắn tui").
    assert _opinion(_toy(faq_prior=8.0), "tro cap", "faq", "fallback") is None
    sure = _opinion(_toy(), "tro cap", "faq", "fallback")
    assert sure is not None and sure.intent == "subscribe"


def test_a_cue_is_overruled_only_by_a_sure_model_and_never_for_status() -> None:
    toy = _toy()
    over = _opinion(toy, "nhan tin", "contact")
    assert over is not None and over.intent == "subscribe"  # ~0.99
    assert _opinion(_toy(faq_prior=2.5), "goi", "subscribe") is None  # contact ≈ 0.57
    assert _opinion(toy, "nhan tin", "status") is None
    # Out of scope never overrules a cue ("bong da" is oos in the toy).
    assert _opinion(toy, "bong da", "contact") is None


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


def test_a_danger_the_model_sees_comes_first_even_after_a_greeting_cue(
    index: MatcherIndex,
) -> None:
    """The wiring in understand(): the danger check runs before any cue's route or the
    greeting, abuse and by-example checks (a toy model that hears danger in "chao")."""
    classes = ["emergency", "faq"]
    alarmed = IntentModel.from_dict(
        {"classes": classes, "bias": [0, 0], "features": {"chao": [1.0, 9, 0]}}
    )
    assert understand("xin chào", index).intent == "greeting"
    assert understand("xin chào", index, model=alarmed).intent == "emergency"
    assert understand("xin chào", index, model=alarmed, emergency=False).intent == "greeting"
