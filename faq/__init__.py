"""Vietnamese normalisation and FAQ matching. Pure: no I/O, no channel imports."""

from faq.evaluate import compute_metrics
from faq.lexicon import CompiledLexicon, lexicon_from_mapping
from faq.matcher import MatcherIndex, Thresholds
from faq.smalltalk import classify as classify_smalltalk
from faq.types import Candidate, Decision, FaqDoc, Lexicon, Match

__all__ = [
    "Candidate",
    "CompiledLexicon",
    "Decision",
    "FaqDoc",
    "Lexicon",
    "Match",
    "MatcherIndex",
    "Thresholds",
    "classify_smalltalk",
    "compute_metrics",
    "lexicon_from_mapping",
]
