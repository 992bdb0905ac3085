"""Types shared between the FAQ matcher (pure) and its callers (bot/, handlers/).

Owned jointly: change only in agreement with bot/faq_service.py and handlers/ask.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Decision = Literal["answer", "clarify", "fallback"]


@dataclass(frozen=True)
class FaqDoc:
    """What the matcher needs to know of one FAQ entry (no answer text, no I/O)."""

    id: str
    topic: str
    title: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    entry: str
    topic: str
    score: float  # in [0, 1]


@dataclass(frozen=True)
class Match:
    decision: Decision
    confidence: float  # in [0, 1]; equals candidates[0].score when there are candidates
    candidates: tuple[Candidate, ...] = ()  # best first, at most 5
    normalized: str = ""  # the normalised query, for the learning loop
    # The query is, once normalised, one of candidates[0]'s own phrases (a title, a question or
    # a keyword staff added): answered by that entry whatever the runner-up scores.
    exact: bool = False
    # The rarest known term of the query (its IDF): low when every word is generic
    # ("thủ tục", "giấy tờ"), so that a vague message is not answered with a random entry.
    specificity: float = 0.0
    # The index's ids of the query's known terms, and the share of its words the FAQ does not
    # know: what faq/answer_model.py compares between the first candidate and its rival.
    terms: tuple[int, ...] = ()
    unknown_share: float = 0.0

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class Lexicon:
    """Abbreviation/teencode expansions and lay/old-word synonyms, as loaded from content/.

    Keys and values are plain phrases (any case, with or without diacritics); the matcher
    normalises them itself.
    """

    abbreviations: dict[str, str] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    stopwords: tuple[str, ...] = ()
    # Synonyms that fire only when typed with these marks: "mướn" is "thuê", but an unmarked
    # "muon" is far more often "muốn".
    only_with_marks: dict[str, str] = field(default_factory=dict)
