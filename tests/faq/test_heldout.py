"""Our own held-out set (tests/faq/heldout_own.yaml) against the real content in content/.

The set was written from the topic list alone, before tuning, and is not used to write content
or the lexicon; this test guards its shape and catches regressions of the real FAQ on it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.faq_service import FaqService
from faq.evaluate import compute_metrics

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ITEMS: list[dict[str, Any]] = yaml.safe_load((HERE / "heldout_own.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(ROOT / "content")


def test_heldout_shape(listed_topics: set[str]) -> None:
    assert len(ITEMS) >= 150
    assert all(set(i) == {"q", "topic", "style"} for i in ITEMS)
    per_topic = Counter(i["topic"] for i in ITEMS if i["topic"])
    assert set(per_topic) == listed_topics
    assert min(per_topic.values()) >= 3
    assert sum(1 for i in ITEMS if i["topic"] is None) >= 30
    assert {i["style"] for i in ITEMS if i["topic"]} == {1, 2, 3, 4, 5, 6}
    assert len({i["q"] for i in ITEMS}) == len(ITEMS)


def test_heldout_metrics_on_real_content(service: FaqService, listed_topics: set[str]) -> None:
    results = [service.understand(i["q"]) for i in ITEMS]  # the bot's own path
    r = compute_metrics(ITEMS, results, [0.0] * len(ITEMS), listed_topics)
    assert r["useful"] >= 0.95
    assert r["confident_wrong"] <= 0.01
    assert r["oos_rejected"] >= 0.95
    assert r["oos_honest"] >= 0.8
    for style, s in r["by_style"].items():
        if s["useful"] is not None:
            assert s["useful"] >= 0.9, style
