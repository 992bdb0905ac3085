"""A learned second opinion on what a message wants (pure, no I/O).

The cue phrases of faq/intents.py are precise but know only the phrasings someone wrote down:
each new writer brings ways of asking for the hotline or the news that no cue knows. This
model, a multinomial logistic regression over the words and word pairs of the prepared text
(tf-idf, L2-normalised), is fitted by ``bench/fit_intent_model.py`` on labelled messages of
our own (bench/data, the FAQ's stored questions, content/intents.yaml) and shipped as
``faq/models/intents.json.gz``; bot/faq_service.py reads the file.

faq/understand.py asks it only where the cues are silent or weak (see :func:`second_opinion`):
the cues and the FAQ decide everything they are sure of.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from faq.intent_cues import PROCEDURE
from faq.intents import prepare

__all__ = ["IntentModel", "Opinion", "danger", "features", "second_opinion"]

MAX_WORDS = 400  # a long story's first words say what it is about; the rest adds time only

# When the FAQ has no sure answer and the cues found nothing: route to the model's intent
# from this probability (bench/fit_intent_model.py prints the table it was chosen from).
ROUTE_P = 0.5
# … from this one when the FAQ offers entries to choose from: a procedure is likely asked.
CLARIFY_P = 0.7
# A danger the cues missed: 114/115/113 first from this probability.
EMERGENCY_P = 0.6
# A cue's intent is overruled only when the model is this sure of another routed intent.
OVERRULE_P = 0.7
# From this probability a feature (news, data, contact) is what is asked even when a procedure
# is named or the FAQ answers: "có đợt làm căn cước lưu động thì nhắn tui". Chosen by leaving
# each training set out (no FAQ question lost from 0.8; docs/faq.md). An exact phrase of an
# entry still stands.
SURE_FEATURE_P = 0.85
# What the model may route to by itself: "faq" is the matcher's to decide, "gibberish" the
# cue rules' (the model's prior for words it never saw is keyboard mash: "thứ 7?"), and a
# danger is danger()'s, with its own threshold.
MODEL_ROUTES = frozenset(
    {
        "status",
        "complaint",
        "privacy",
        "unsubscribe",
        "subscribe",
        "pakn",
        "contact",
        "greeting",
        "abuse",
        "oos",
    }
)
# A procedure or a file named makes these the FAQ's, as in the cue rules: "không muốn nhận
# lương hưu qua bưu điện nữa" is no news to stop, "nhắn tin cho tôi khi có kết quả hồ sơ" no
# news to subscribe to.
_NOT_WITH_PROCEDURE = frozenset({"subscribe", "unsubscribe", "privacy", "contact"})
_PROCEDURE_NAMED = re.compile(rf"{PROCEDURE.pattern}|\b(?:ho so|thu tuc|giay to)\b")


def features(text: str) -> Counter[str]:
    """Words and adjacent word pairs of the folded, teencode-expanded text, with counts."""
    words = prepare(text).split()[:MAX_WORDS]
    found: Counter[str] = Counter(words)
    found.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return found


@dataclass(frozen=True)
class IntentModel:
    classes: tuple[str, ...]
    bias: np.ndarray  # (classes,)
    rows: Mapping[str, int]  # feature -> row of idf and weights
    idf: np.ndarray  # (features,)
    weights: np.ndarray  # (features, classes)
    digest: str = ""  # of the training data (bench/fit_intent_model.py)

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, values): the message's known features, sublinear tf-idf, L2-normalised."""
        known = [(self.rows[f], n) for f, n in features(text).items() if f in self.rows]
        if not known:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        idx = np.fromiter((r for r, _ in known), dtype=np.intp, count=len(known))
        tf = np.fromiter((1.0 + math.log(n) for _, n in known), dtype=float, count=len(known))
        values = tf * self.idf[idx]
        return idx, values / float(np.linalg.norm(values))

    def probabilities(self, text: str) -> dict[str, float]:
        idx, values = self.vector(text)
        scores = self.bias + values @ self.weights[idx] if len(idx) else self.bias.copy()
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IntentModel:
        """From the stored form: ``classes``, ``bias``, ``features`` {name: [idf, *weights]}."""
        classes = tuple(str(c) for c in data["classes"])
        names = list(data["features"])
        table = np.array([data["features"][n] for n in names], dtype=float).reshape(
            len(names), len(classes) + 1
        )
        return cls(
            classes=classes,
            bias=np.array(data["bias"], dtype=float),
            rows={n: i for i, n in enumerate(names)},
            idf=table[:, 0].copy(),
            weights=np.ascontiguousarray(table[:, 1:]),
            digest=str(data.get("digest", "")),
        )


@dataclass(frozen=True)
class Opinion:
    intent: str
    p: float

    @property
    def cue(self) -> str:
        return f"model {self.intent} {self.p:.2f}"


def danger(probs: Mapping[str, float] | None, *, emergency: bool = True) -> Opinion | None:
    """A danger the cue rules missed, whatever else they found: 114/115/113 first.
    ``emergency=False``: the danger was already handled."""
    p = probs.get("emergency", 0.0) if probs is not None and emergency else 0.0
    return Opinion("emergency", p) if p >= EMERGENCY_P else None


def second_opinion(
    probs: Mapping[str, float] | None, text: str, cue_intent: str, *, faq_decision: str
) -> Opinion | None:
    """The intent the model routes to instead of what the cues and the FAQ decided, or None.

    ``probs``: :meth:`IntentModel.probabilities` of ``text`` (None: no model).
    ``cue_intent``: what faq/intents.py found ("faq": no cue). ``faq_decision``: the FAQ's
    (answer, clarify or fallback; "exact" for an entry's own phrase; "" for a cue's route)."""
    if probs is None or cue_intent in ("emergency", "status"):
        return None
    top = max(probs, key=probs.__getitem__)
    p = probs[top]
    if top not in MODEL_ROUTES or top == cue_intent or faq_decision == "exact":
        return None
    if top in _NOT_WITH_PROCEDURE and p >= SURE_FEATURE_P:
        return Opinion(top, p)
    if top in _NOT_WITH_PROCEDURE and _PROCEDURE_NAMED.search(prepare(text)):
        return None
    if cue_intent == "faq":
        # An FAQ answer stands: letting the model overrule one gained nothing (docs/faq.md).
        bar = {"fallback": ROUTE_P, "clarify": CLARIFY_P}.get(faq_decision, 2.0)
        return Opinion(top, p) if p >= bar else None
    return Opinion(top, p) if p >= OVERRULE_P and top != "oos" else None
