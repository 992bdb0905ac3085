"""faq/wire.py: an Understanding survives JSON unchanged; anything else is refused."""

from __future__ import annotations

import json

import pytest

from faq import wire
from faq.types import Candidate, Match
from faq.understand import Understanding

MATCH = Match(
    decision="clarify",
    confidence=0.9395,
    candidates=(Candidate("can-cuoc-cap-doi", "can_cuoc", 0.9395), Candidate("b", "t", 0.1)),
    normalized="lam lai can cuoc o dau",
    exact=False,
    specificity=2.25,
    terms=(3, 17, 42),
    unknown_share=0.125,
)
SAMPLES = [
    Understanding("faq", "clarify", 0.9395, MATCH.candidates, match=MATCH, floor=0.7),
    Understanding("status", "route", 1.0, code="PA-4N7-QMR-PCD", cue="tra cứu"),
    Understanding("pakn", "route", 0.8, category="giao_thong"),
    Understanding("oos", "fallback", 0.0),
]


@pytest.mark.parametrize("understood", SAMPLES)
def test_an_understanding_comes_back_equal(understood: Understanding) -> None:
    assert wire.load(json.loads(json.dumps(wire.dump(understood)))) == understood


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"v": 2},
        {**wire.dump(SAMPLES[0]), "v": 99},
        {**wire.dump(SAMPLES[0]), "candidates": [["a", "t"]]},
        {**wire.dump(SAMPLES[0]), "confidence": "many"},
        {**wire.dump(SAMPLES[0]), "match": {"decision": "answer"}},
        {**wire.dump(SAMPLES[0]), "candidates": 5},
    ],
)
def test_anything_else_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        wire.load(data)
