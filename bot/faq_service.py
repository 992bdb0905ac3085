"""The FAQ as the bot uses it: content + lexicon loaded once, the matcher index built once.

Used by the ask conversation, `loaxa ask` and `loaxa eval` alike, so they cannot disagree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.errors import ContentError
from bot.content.faq import FaqContent, FaqEntry, load_faq_dir, render_answer
from bot.content.units import Unit
from faq.lexicon import lexicon_from_mapping
from faq.matcher import MatcherIndex
from faq.types import Lexicon, Match


def load_lexicon(path: Path) -> Lexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    try:
        return lexicon_from_mapping(data)
    except (ValueError, TypeError) as exc:
        raise ContentError(f"{path}: {exc}") from exc


@dataclass
class FaqService:
    content: FaqContent
    index: MatcherIndex
    entries: dict[str, FaqEntry]

    @classmethod
    def load(cls, content_dir: Path) -> FaqService:
        content = load_faq_dir(content_dir / "faq", content_dir / "topics.yaml")
        lexicon = load_lexicon(content_dir / "lexicon.yaml")
        index = MatcherIndex.build([e.to_doc() for e in content.entries], lexicon)
        return cls(content=content, index=index, entries=content.by_id())

    @property
    def listed_topics(self) -> set[str]:
        return self.content.listed_topics

    def match(self, text: str, unit: str | None = None) -> Match:
        return self.index.match(unicodedata.normalize("NFC", text))

    def has(self, entry_id: str) -> bool:
        return entry_id in self.entries

    def title(self, entry_id: str) -> str:
        return self.entries[entry_id].title

    def url(self, entry_id: str) -> str | None:
        return self.entries[entry_id].url

    def answer(self, entry_id: str, unit: Unit) -> str:
        return unicodedata.normalize("NFC", render_answer(self.entries[entry_id], unit))

    def reply_text(self, match: Match, unit: Unit, messages: Any) -> str:
        """The text the citizen sees for this match (used by `loaxa ask`)."""
        if match.decision == "answer" and match.best is not None:
            return self.answer(match.best.entry, unit)
        if match.decision == "clarify":
            options = "\n".join(
                f"{i}. {self.title(c.entry)}" for i, c in enumerate(match.candidates[:3], 1)
            )
            return f"{messages.render('ask.clarify', unit=unit)}\n{options}"
        return str(messages.render("ask.fallback", unit=unit))
