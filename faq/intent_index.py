"""Intents by example (pure): the phrasings of content/intents.yaml as a small matcher index,
used when the cue rules (faq/intents.py) found nothing and the FAQ is not sure. A message
like "bớt gửi tin giùm" shares words with "bớt gửi tin cho tôi" even when no cue fires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from faq.lexicon import CompiledLexicon
from faq.matcher import MatcherIndex
from faq.types import FaqDoc, Lexicon

__all__ = ["EXAMPLE_INTENTS", "build_intent_index", "intent_of_topic"]

EXAMPLE_INTENTS = ("subscribe", "unsubscribe", "privacy", "contact", "greeting", "abuse")
_PREFIX = "intent:"


def build_intent_index(
    examples: Mapping[str, Sequence[str]], lexicon: Lexicon | CompiledLexicon | None
) -> MatcherIndex | None:
    """One document per phrasing (its intent as the topic), so that coverage is judged
    against one way of saying it at a time."""
    docs = [
        FaqDoc(f"{_PREFIX}{intent}:{i}", f"{_PREFIX}{intent}", phrase)
        for intent, phrases in examples.items()
        for i, phrase in enumerate(phrases)
    ]
    return MatcherIndex.build(docs, lexicon) if docs else None


def intent_of_topic(topic: str) -> str | None:
    return topic[len(_PREFIX) :] if topic.startswith(_PREFIX) else None
