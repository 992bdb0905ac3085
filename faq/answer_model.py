"""How likely the first candidate is right: a small logistic model over lexical evidence.

The fixed rules of faq/understand.Policy look at the confidence and the lead over the best
entry of another topic. They miss what the words say: in "làm hộ chiếu cho trẻ em dưới 14
tuổi" the under-14 identity-card entry scores well, yet "hộ chiếu", a rare term, is known only
to its rival. The model adds, for the first candidate and that rival, the weight of rare query
terms each knows and the other does not.

Coefficients are fitted by ``bench/calibrate.py --fit`` on labelled data of our own (leave-one-
out paraphrases of the FAQ's questions and tests/faq/*_own.yaml), never on evaluation sets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from faq.matcher import MatcherIndex
from faq.types import Candidate, Match

__all__ = ["Evidence", "evidence", "probability"]

RARE_IDF = 3.0  # a term in at most ~5 % of the entries
CAP = 20.0  # exclusive weight beyond this adds nothing (a long story repeats itself)

# bench/fit_answer_model.py (2026-12-05): intercept, confidence, lead, top-only, rival-only;
# the two exclusive weights in units of 10 IDF.
COEF = (-4.19, 5.0, 11.5, 1.14, -1.07)


@dataclass(frozen=True)
class Evidence:
    confidence: float
    lead: float
    top_only: float  # rare query terms the first candidate knows and the rival does not
    rival_only: float  # … and the other way round

    def vector(self) -> tuple[float, ...]:
        return (
            1.0,
            self.confidence,
            self.lead,
            min(self.top_only, CAP) / 10.0,
            min(self.rival_only, CAP) / 10.0,
        )


def evidence(index: MatcherIndex, match: Match, rival: Candidate | None, lead: float) -> Evidence:
    top = match.candidates[0]
    if rival is None:  # no entry of another topic: everything the query knows is the top's
        top_only = index.exclusive_weight(match.terms, top.entry, "", RARE_IDF)
        rival_only = 0.0
    else:
        top_only = index.exclusive_weight(match.terms, top.entry, rival.entry, RARE_IDF)
        rival_only = index.exclusive_weight(match.terms, rival.entry, top.entry, RARE_IDF)
    return Evidence(match.confidence, lead, top_only, rival_only)


def probability(ev: Evidence, coef: tuple[float, ...] = COEF) -> float:
    z = sum(c * x for c, x in zip(coef, ev.vector(), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
