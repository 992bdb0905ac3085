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

__all__ = ["OFFERED", "TOPIC_P", "pick"]

TOPIC_P = 0.6  # cross-validated: bench/fit_topic_model.py; the table is in docs/faq.md
OFFERED = 3  # the candidates a clarify shows


def pick(
    probs: Mapping[str, float],
    candidates: tuple[Candidate, ...],
    *,
    threshold: float = TOPIC_P,
) -> tuple[Candidate, ...] | None:
    """The candidates with the model's topic first (its best-scoring entry), when the model
    gives that topic at least ``threshold`` and a clarify would offer it; else None."""
    if not probs or not candidates:
        return None
    topic = max(probs, key=probs.__getitem__)
    if probs[topic] < threshold:
        return None
    offered = candidates[:OFFERED]
    chosen = next((c for c in offered if c.topic == topic), None)
    if chosen is None:
        return None
    return (chosen, *(c for c in candidates if c is not chosen))
