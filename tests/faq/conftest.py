from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from faq.lexicon import CompiledLexicon, lexicon_from_mapping
from faq.matcher import MatcherIndex
from faq.types import FaqDoc, Lexicon

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return lexicon_from_mapping(_load(ROOT / "content/lexicon.yaml"))


@pytest.fixture(scope="session")
def compiled(lexicon: Lexicon) -> CompiledLexicon:
    return CompiledLexicon(lexicon)


@pytest.fixture(scope="session")
def docs() -> list[FaqDoc]:
    return [
        FaqDoc(
            id=e["id"],
            topic=e["topic"],
            title=e["title"],
            questions=tuple(str(q) for q in e.get("questions", ())),
            keywords=tuple(str(k) for k in e.get("keywords", ())),
        )
        for e in _load(HERE / "fixture_faq.yaml")["entries"]
    ]


@pytest.fixture(scope="session")
def index(docs: list[FaqDoc], lexicon: Lexicon) -> MatcherIndex:
    return MatcherIndex.build(docs, lexicon)


@pytest.fixture(scope="session")
def listed_topics() -> set[str]:
    data = _load(ROOT / "content/topics.yaml")
    return {k for group, keys in data.items() if group != "out_of_remit" for k in keys}
