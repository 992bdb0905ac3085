"""Which FAQ topic a message is about, read by a learned model beside the matcher.

The matcher ranks entries by the words they share with the message. A lay, teencode or
dialect phrasing shares few, so its first candidate is often right yet too close to the others
to answer, and the citizen gets three buttons. This model reads the topic from the whole
message: a multinomial logistic regression over the same words and word pairs as
faq/intent_model.py, fitted by bench/fit_topic_model.py on the FAQ's questions and labelled
messages of our own. When the policy would clarify and the model is sure of a topic that one
of the offered candidates has, that candidate is answered (faq/understand.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from faq.types import Candidate

__all__ = ["AGREE_P", "NONE", "OFFERED", "TOPIC_P", "pick", "veto"]

TOPIC_P = 0.6  # cross-validated: bench/fit_topic_model.py; the table is in docs/faq.md
AGREE_P = 0.5  # … when the topic is the first candidate's: two readings agree
OFFERED = 3  # the candidates a clarify shows
NONE = "_none"  # the model's class for messages outside the remit
# An answer the model all but rules out (its topic under VETO_OWN) while it is fairly sure of
# another topic or of NONE (VETO_OTHER) is not given: cross-validated, such answers were
# wrong 7 times in 8.
VETO_OWN = 0.05
VETO_OTHER = 0.5


def pick(
    probs: Mapping[str, float],
    candidates: tuple[Candidate, ...],
    *,
    threshold: float = TOPIC_P,
    agree: float = AGREE_P,
) -> tuple[Candidate, ...] | None:
    """The candidates with the model's topic first (its best-scoring entry), when a clarify
    would offer it and the model gives that topic at least ``threshold`` (``agree`` when it
    is the first candidate's topic); else None."""
    if not probs or not candidates:
        return None
    topic = max(probs, key=probs.__getitem__)
    offered = candidates[:OFFERED]
    chosen = next((c for c in offered if c.topic == topic), None)
    bar = agree if chosen is not None and chosen.topic == candidates[0].topic else threshold
    if chosen is None or probs[topic] < bar:
        return None
    return (chosen, *(c for c in candidates if c is not chosen))


def veto(probs: Mapping[str, float], answered: Candidate) -> str | None:
    """The topic (or NONE) the model reads instead of ``answered``'s, when it all but rules
    that one out; None when it does not, or does not know the topic (a unit's own entry)."""
    own = probs.get(answered.topic)
    if own is None or own >= VETO_OWN:
        return None
    other = max(probs, key=probs.__getitem__)
    return other if probs[other] >= VETO_OTHER else None
