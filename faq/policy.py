"""The answer policy: answer, clarify or fall back, from how sure the matcher is (pure).

Calibrated on labelled data of our own (bench/calibrate.py; the reliability table is in
docs/faq.md). faq/understand.py applies it after the intents, and re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from faq.types import Candidate, Match

__all__ = ["DEFAULT_POLICY", "Policy", "decide", "is_redirect", "is_vague", "margin_of"]


@dataclass(frozen=True)
class Policy:
    """Answer when candidates[0] is right with high probability; clarify when a few
    candidates are close and plausible; fall back when nothing fits. See bench/calibrate.py."""

    # Answer when (confidence >= c and lead over the best entry of another topic >= m) for
    # one of these (c, m): a clear lead matters more than the score itself.
    answer_rules: tuple[tuple[float, float], ...] = ((0.88, 0.08), (0.85, 0.12), (0.75, 0.25))
    clarify_conf: float = 0.55  # below this nothing fits: fall back
    # A long story dilutes every score with words about the family, the trip, …: a lower
    # bar to offer the closest entries.
    clarify_conf_long: float = 0.45
    long_words: int = 30
    # A long story the policy would clarify is answered when its question clause, asked
    # alone, is answered by the same entry; tried only from this confidence and lead (a
    # second match costs time, and below them the clause rarely agrees).
    clause_conf: float = 0.7
    clause_lead: float = 0.05
    # … or when its clause's first candidate is of the same topic and the whole message is
    # at least this sure: the question and the story point the same way.
    clause_topic_conf: float = 0.75
    clarify_window: float = 0.25  # clarify only with options within this of the first
    oos_answer_conf: float = 0.93  # an out-of-scope cue: answer only when this sure
    # The first candidate is a redirect entry (a topic outside faq/topics.yaml, e.g. "ly hôn
    # is the court's"): saying where to go is honest, so a lower bar.
    redirect_conf: float = 0.65
    redirect_margin: float = 0.05
    # Every word generic (in more than ~1 entry in 5: BM25 IDF below this): too vague to
    # answer or to offer entries; ask for the procedure's name instead.
    vague_idf: float = 1.6
    # Intents by example (content/intents.yaml): (confidence, lead over the FAQ's best) pairs,
    # and a lead over the example of another intent.
    example_rules: tuple[tuple[float, float], ...] = ((0.8, 0.05), (0.55, 0.2))
    example_margin: float = 0.1
    # Also answer when faq/answer_model.py puts the first candidate's chance of being right at
    # least this high and the confidence is at least model_conf.
    model_p: float = 0.93
    model_conf: float = 0.55


DEFAULT_POLICY = Policy()


def margin_of(match: Match) -> float:
    """How far candidates[0] leads the best candidate of another topic."""
    if not match.candidates:
        return 0.0
    top = match.candidates[0]
    other = [c.score for c in match.candidates[1:] if c.topic != top.topic]
    return top.score - (other[0] if other else 0.0)


def decide(
    match: Match,
    policy: Policy,
    *,
    oos_cue: bool = False,
    listed: frozenset[str] | None = None,
    words: int = 0,
    no_clarify: bool = False,
    margin: float | None = None,
    p_right: float | None = None,
) -> str:
    if not match.candidates:
        return "fallback"
    if is_vague(match, policy):  # even an exact phrase: "cấp lại" alone says nothing
        return "fallback"
    if match.exact:
        return "answer"
    conf = match.confidence
    margin = margin_of(match) if margin is None else margin
    if (
        is_redirect(match.candidates[0], listed)
        and conf >= policy.redirect_conf
        and margin >= policy.redirect_margin
    ):
        return "answer"
    floor = policy.oos_answer_conf if oos_cue else 0.0
    if any(conf >= max(c, floor) and margin >= m for c, m in policy.answer_rules):
        return "answer"
    by_model = p_right is not None and p_right >= policy.model_p
    if by_model and conf >= max(policy.model_conf, floor):
        return "answer"
    bar = policy.clarify_conf_long if words > policy.long_words else policy.clarify_conf
    if oos_cue or no_clarify or conf < bar:
        return "fallback"
    return "clarify"


def is_vague(match: Match, policy: Policy) -> bool:
    return match.specificity < policy.vague_idf


def is_redirect(candidate: Candidate, listed: frozenset[str] | None) -> bool:
    """An entry that says where else to go: its topic is outside faq/topics.yaml (``listed``)."""
    return listed is not None and candidate.topic not in listed
