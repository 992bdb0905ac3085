"""One citizen message -> what the bot does with it (pure, no I/O).

    text ─▶ intents.classify ─┬─ emergency/status/complaint/privacy/(un)subscribe/pakn/contact
                              │      └▶ decision "route" (the feature starts)
                              └─ faq ─▶ matcher ─▶ greeting? gibberish? out of scope?
                                                  └▶ Policy: answer / clarify / fallback

The same function serves the chat (handlers/router.py), `loaxa ask` and `loaxa eval`, so they
cannot disagree. The answer policy is calibrated on labelled data of our own
(bench/calibrate.py; the reliability table is in docs/faq.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from faq import answer_model, topic_model
from faq import intent_cues as cues
from faq.intent_index import intent_of_topic
from faq.intent_model import IntentModel, danger, second_opinion
from faq.intents import IntentGuess, classify, other_organisation, prepare
from faq.matcher import MatcherIndex
from faq.national import entry_knows, national_matter
from faq.normalize import is_syllable, question_clause, tokens
from faq.policy import DEFAULT_POLICY, Policy, decide, is_redirect, is_vague, margin_of
from faq.siblings import (
    folded_query,
    lead_over_fitting_rivals,
    names_other_card,
    ruled_out,
    stated_siblings,
    unconfirmed_variant,
    with_fitting_sibling,
)
from faq.smalltalk import classify as smalltalk
from faq.types import Candidate, Match

__all__ = [
    "DEFAULT_POLICY",
    "REDIRECT",
    "ROUTED",
    "Policy",
    "Understanding",
    "decide",
    "margin_of",
    "understand",
]

ROUTED = frozenset(
    {"emergency", "status", "complaint", "privacy", "unsubscribe", "subscribe", "pakn", "contact"}
)
_COMMAND_GREETING = ("/start", "/menu", "/help", "/batdau")
_COMPLAINT = "ngoai_pham_vi_khieu_nai_to_cao"  # content/faq/ngoai_tham_quyen.yaml
# CONTRACTS.md: the contact topics; and the entry of where to file a complaint.
_ANSWER_INTENTS = {"hotline": "contact", "lien_he_trung_tam": "contact", _COMPLAINT: "complaint"}
REDIRECT = "redirect"  # Understanding.cue of an out-of-remit entry's answer
_SHORT = 10  # words: a greeting longer than this carries something else
_SHORT_ABUSE = 5  # words: an insult this short carries no question


@dataclass(frozen=True)
class Understanding:
    intent: str
    decision: str  # answer | clarify | fallback | route
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    code: str | None = None
    category: str | None = None  # pakn: guessed category
    cue: str = ""
    match: Match | None = None
    floor: float = 0.0  # clarify: only candidates scoring at least this are offered

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def answered(self) -> Candidate | None:
        return self.best if self.decision == "answer" else None

    @property
    def options(self) -> tuple[Candidate, ...]:
        """What a clarify offers: at most 3 candidates, only those close to the first."""
        if self.decision != "clarify":
            return ()
        return tuple(c for c in self.candidates[:3] if c.score >= self.floor)


def _looks_like_words(text: str) -> bool:
    """At least half of the words (digits aside) are Vietnamese syllables (not "asdkjh qwe zzz",
    nor "zxcvbnm 123")."""
    words = [t.fold for t in tokens(text[:400]) if not t.fold.isdigit()]  # digits: neutral
    ok = sum(1 for w in words if len(w) > 1 and is_syllable(w))
    return ok > 0 and ok * 2 >= len(words)


def understand(
    text: str,
    index: MatcherIndex,
    policy: Policy = DEFAULT_POLICY,
    listed: frozenset[str] | None = None,
    *,
    emergency: bool = True,
    intents: MatcherIndex | None = None,
    model: IntentModel | None = None,
    topics: IntentModel | None = None,
) -> Understanding:
    """``listed``: the topics of faq/topics.yaml (others are redirect entries).
    ``emergency=False``: what the message wants besides a danger it reports.
    ``intents``: the phrasings of content/intents.yaml (faq/intent_index.py).
    ``model``: the learned second opinion (faq/intent_model.py).
    ``topics``: the learned reading of the FAQ topic (faq/topic_model.py)."""
    text = text if isinstance(text, str) else ""
    if not any(ch.isalnum() for ch in text):
        return Understanding("gibberish", "route", 0.0, cue="no words")
    guess: IntentGuess = classify(text, emergency=emergency)
    if guess.intent == "status" and guess.code is not None:
        return Understanding("status", "route", 1.0, code=guess.code, cue=guess.cue)
    if guess.intent == "greeting" and guess.cue.startswith(_COMMAND_GREETING):
        return Understanding("greeting", "route", 1.0, cue=guess.cue)
    if guess.intent == "contact" and _background_contact(text, policy, emergency):
        guess = IntentGuess("faq")
    match = index.match(text)
    cands = match.candidates
    probs = model.probabilities(text) if model is not None else None
    elsewhere = other_organisation(prepare(text))
    if elsewhere and probs is not None:  # "nhà thuốc mấy giờ đóng cửa": not our hours
        probs = {**probs, "contact": 0.0}
    if guess.intent != "emergency" and (alarm := danger(probs, emergency=emergency)):
        return _routed("emergency", match, alarm.cue)  # whatever else the cues found
    if guess.intent in ROUTED and (
        opinion := second_opinion(probs, text, guess.intent, faq_decision="")
    ):
        return _routed(opinion.intent, match, opinion.cue)
    if guess.intent in ROUTED:
        return Understanding(
            guess.intent, "route", 1.0, cands, guess.code, guess.category, guess.cue, match
        )
    prepared = prepare(text)
    words = len(prepared.split())
    # A long story's question, read once: the cues and the second reading use it.
    clause = question_clause(text) if words > policy.long_words else None
    asked = prepared if clause is None else prepare(clause)
    # An unrelated matter told as background ("bé trai với người yêu cũ") is not what is asked.
    accented = " ".join((clause or text)[:2000].lower().split())
    oos_cue = bool(cues.OOS.search(asked) or cues.OOS_ACCENTED.search(accented))
    national_cue = national_matter(prepared, asked)
    national = national_cue is not None
    query = folded_query(index, text)  # once: the variant checks below all read it
    lead, rival = lead_over_fitting_rivals(index, match, query)
    p_right = None  # a matter of a national agency: only the fixed rules may answer it
    if cands and not match.exact and not national:
        p_right = answer_model.probability(answer_model.evidence(index, match, rival, lead))
    decision = decide(
        match,
        policy,
        oos_cue=oos_cue,
        listed=listed,
        words=words,
        no_clarify=national,
        margin=lead,
        p_right=p_right,
    )
    if (
        national_cue
        and decision == "answer"
        and not entry_knows(index, cands[0], national_cue, listed)
    ):
        decision = "fallback"  # "hộ chiếu công vụ": the ordinary passport entry is not it
    if (
        decision == "clarify"
        and words > policy.long_words
        and match.confidence >= policy.clause_conf
        and lead >= policy.clause_lead
        and _clause_agrees(index, clause, match, policy, listed)
    ):
        decision = "answer"
    vetoed = None  # an exact phrase is answered by its entry whatever a model reads
    if (
        not match.exact
        and topics is not None
        and guess.intent == "faq"
        and decision in ("answer", "clarify")
    ):
        decision, cands, match, vetoed = _read_topic(
            topics.probabilities(text), decision, match, listed, guess, probs, oos_cue or national
        )
    if decision == "answer" and not match.exact and names_other_card(index, cands[0], query):
        decision = "clarify" if len(cands) > 1 else "fallback"  # "làm lại thẻ": which card?
    if decision != "answer" and guess.intent == "faq" and intents is not None:
        by_example = _intent_by_example(intents, text, match.confidence, policy)
        if by_example is not None:
            return Understanding(by_example, "route", 1.0, cands, cue="example", match=match)
    # A short insult, or one aimed at the bot that asks nothing, is not a question even when its
    # words match one ("ngu quá" ~ "ngủ qua", "đồ chết tiệt, bot ngu" ~ the death entry).
    if guess.intent == "abuse" and (
        decision != "answer"
        or (words <= _SHORT_ABUSE and not match.exact)
        or (cues.AT_BOT.search(f" {text.lower()} ") and not cues.ASKS.search(prepared))
    ):
        return Understanding("abuse", "route", 1.0, cands, cue=guess.cue, match=match)
    # Small talk only ("helo bot ơi") is never an entry's question, whatever a typo matched.
    chat_only = decision == "answer" and not match.exact and smalltalk(text) is not None
    if (decision != "answer" or chat_only) and _is_greeting(text, prepared, decision):
        return Understanding("greeting", "route", 1.0, cands, cue="greeting", match=match)
    if guess.intent == "greeting" and decision != "answer":  # /help, "bắt đầu"
        return Understanding("greeting", "route", 1.0, cands, cue=guess.cue, match=match)
    if guess.intent == "faq" and (
        opinion := second_opinion(
            probs, text, "faq", faq_decision="exact" if match.exact else decision
        )
    ):
        return _routed(opinion.intent, match, opinion.cue)
    if decision == "fallback" and cues.TESTING.search(prepared):
        return Understanding("gibberish", "route", 0.0, cands, cue="testing", match=match)
    if decision == "fallback" and not oos_cue and not _looks_like_words(text):
        return Understanding("gibberish", "route", 0.0, cands, cue="not words", match=match)
    if decision == "answer" and not match.exact and unconfirmed_variant(index, match, query):
        cands, confirmed = with_fitting_sibling(index, cands, query)
        # The sibling the message states ("3 tháng" → quá hạn) is answered; else ask.
        decision = "answer" if confirmed else "clarify" if len(cands) > 1 else "fallback"
    elif decision == "clarify" and cands and ruled_out(index, cands[0], query):
        # Offer the sibling that fits ("2 tháng" → quá hạn), not the variant ruled out.
        top = cands[0].entry
        cands = tuple(c for c in with_fitting_sibling(index, cands, query)[0] if c.entry != top)
        decision = "clarify" if cands else "fallback"
    if decision == "clarify":
        cands = stated_siblings(index, cands, query)
    if decision == "fallback" and is_vague(match, policy) and not oos_cue:
        return Understanding("faq", "fallback", match.confidence, cands, cue="vague", match=match)
    if decision == "fallback":
        outside = oos_cue or national or vetoed == topic_model.NONE
        outside = outside or match.confidence < policy.clarify_conf_long
        intent = "oos" if outside else "faq"
        return Understanding(intent, "fallback", match.confidence, cands, match=match)
    if decision == "answer" and is_redirect(cands[0], listed) and cands[0].topic != _COMPLAINT:
        # An entry that says where else to go ("ly hôn: Tòa án"): outside the remit, said
        # honestly with the way there, which is what CONTRACTS.md calls a fallback. The chat
        # shows the entry (handlers/ask.py).
        return Understanding("oos", "fallback", match.confidence, cands, cue=REDIRECT, match=match)
    floor = match.confidence - policy.clarify_window if decision == "clarify" else 0.0
    # Answered by the entry of the hotline or the office's address and hours: contact is wanted;
    # by the entry of complaints and denunciations (where to file them): a complaint.
    intent = "faq"
    if decision == "answer":
        intent = _ANSWER_INTENTS.get(cands[0].topic, "faq")
    if intent == "contact" and elsewhere:  # "grab gọi số nào": not the unit's hotline
        return Understanding("oos", "fallback", match.confidence, cands, match=match)
    return Understanding(intent, decision, match.confidence, cands, match=match, floor=floor)


def _read_topic(
    tprobs: dict[str, float],
    decision: str,
    match: Match,
    listed: frozenset[str] | None,
    guess: IntentGuess,
    probs: dict[str, float] | None,
    outside: bool,
) -> tuple[str, tuple[Candidate, ...], Match, str | None]:
    """What the learned reading of the topic (faq/topic_model.py) makes of the policy's
    decision: (decision, candidates, match, the topic or NONE it read instead of an answer)."""
    cands = match.candidates
    if decision == "clarify" and _faq_meant(guess, probs, outside):
        picked = topic_model.pick(tprobs, cands)
        if picked is not None and picked[0] is not cands[0] and is_redirect(cands[0], listed):
            picked = None  # "ly hôn … chồng Đài Loan": the court's, whatever else it evokes
        if picked is not None:  # a lay phrasing the model reads surely: answered, not offered
            match = replace(match, confidence=picked[0].score, candidates=picked)
            return "answer", picked, match, None
    elif decision == "answer" and guess.intent == "faq" and not is_redirect(cands[0], listed):
        other = topic_model.veto(tprobs, cands[0])
        if other is not None:  # "trường mầm non mấy giờ đón trẻ" is no child's identity card
            ask = other != topic_model.NONE and len(cands) > 1
            return ("clarify" if ask else "fallback"), cands, match, other
    return decision, cands, match, None


def _faq_meant(guess: IntentGuess, probs: dict[str, float] | None, outside: bool) -> bool:
    """A procedure question by every other reading: no cue, the intent model's first class is
    ``faq``, not outside the remit. The topic model knows FAQ topics only, so it reads one into
    anything ("nhắn tôi lịch tiêm" is about vaccination news, not a procedure)."""
    if guess.intent != "faq" or outside:
        return False
    return probs is None or max(probs, key=probs.__getitem__) == "faq"


def _routed(intent: str, match: Match, cue: str) -> Understanding:
    """Where the learned model sends a message (faq/intent_model.py)."""
    if intent == "oos":
        return Understanding(
            "oos", "fallback", match.confidence, match.candidates, cue=cue, match=match
        )
    return Understanding(intent, "route", 1.0, match.candidates, cue=cue, match=match)


def _background_contact(text: str, policy: Policy, emergency: bool) -> bool:
    """A long story's office words ("tôi làm giờ hành chính", "trụ sở dời đi chỗ khác") are
    background when its question clause asks something else."""
    if len(prepare(text).split()) <= policy.long_words:
        return False
    clause = question_clause(text)
    return clause is not None and classify(clause, emergency=emergency).intent != "contact"


def _clause_agrees(
    index: MatcherIndex,
    clause: str | None,
    match: Match,
    policy: Policy,
    listed: frozenset[str] | None,
) -> bool:
    """A long story whose question, asked alone, is answered by the same entry as the whole
    message, or names the same topic while the whole message is sure enough: two readings
    agree, so the entry is answered instead of offered."""
    if not clause or len(clause.split()) < 4:
        return False
    alone = index.match(clause)
    if not alone.candidates or alone.candidates[0].topic != match.candidates[0].topic:
        return False
    if match.confidence >= policy.clause_topic_conf:
        return True
    if alone.candidates[0].entry != match.candidates[0].entry:
        return False
    top = alone.candidates[0]
    rival = next((c for c in alone.candidates[1:] if c.topic != top.topic), None)
    lead = margin_of(alone)
    p_right = answer_model.probability(answer_model.evidence(index, alone, rival, lead))
    return decide(alone, policy, listed=listed, p_right=p_right) == "answer"


def _intent_by_example(
    intents: MatcherIndex, text: str, faq_conf: float, policy: Policy
) -> str | None:
    """An intent whose phrasings the message matches clearly better than any FAQ entry."""
    m = intents.match(text)
    if not m.candidates or margin_of(m) < policy.example_margin:
        return None
    conf = m.confidence
    if any(conf >= c and conf >= faq_conf + lead for c, lead in policy.example_rules):
        intent = intent_of_topic(m.candidates[0].topic)
        if intent == "unsubscribe" and not cues.STOPPING.search(prepare(text)):
            return None  # no stop word: "gửi tin cho tôi …" is not "bớt gửi tin cho tôi"
        return intent
    return None


def _is_greeting(text: str, prepared: str, decision: str) -> bool:
    """Small talk only, or a greeting with nothing the FAQ knows ("xin chào, rất vui …")."""
    kind = smalltalk(text)
    if kind is not None:
        return kind != "insult"
    limit = _SHORT if decision == "clarify" else 2 * _SHORT
    if len(prepared.split()) <= limit and cues.GREETING.search(prepared):
        return True
    # A longer greeting or thank-you that asks nothing ("Cảm ơn các anh chị, nhờ hướng dẫn mà
    # tôi đã làm xong giấy tờ … Chúc …"): the greeting opens it, no question follows.
    opening = " " + " ".join(prepared.split()[:4]) + " "
    return (
        len(prepared.split()) <= 6 * _SHORT
        and bool(cues.GREETING.search(opening) or cues.OPENING.search(opening))
        and "?" not in text
        and not cues.ASKS.search(prepared)
    )
