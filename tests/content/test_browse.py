"""content/browse.yaml: the groups of "Hỏi về thủ tục" — every browsable entry in one group,
nothing out of remit, errors that name the group and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.browse import OTHER_KEY, load_browse
from bot.content.errors import ContentError
from bot.content.faq import load_faq_dir
from bot.content.faq_topics import load_topics
from bot.faq_service import FaqService

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_every_listed_entry_is_in_exactly_one_group() -> None:
    faq = FaqService.load(CONTENT)
    groups = faq.browse_groups("xa-binh-minh")
    ids = [e.id for _, entries in groups for e in entries]
    content = load_faq_dir(CONTENT / "faq", CONTENT / "topics.yaml")
    listed = {e.id for e in content.entries if content.topics[e.topic].listed}
    assert sorted(ids) == sorted(listed)  # once each, out-of-remit entries never browsed
    assert OTHER_KEY not in [g.key for g, _ in groups]  # the file places every topic
    assert all(len(g.label) <= 40 for g, _ in groups)


def test_bad_groups_are_named(tmp_path: Path) -> None:
    topics = load_topics(CONTENT / "topics.yaml")
    bad = tmp_path / "browse.yaml"
    bad.write_text(
        "groups:\n"
        "  - {key: ho_tich, label: Hộ tịch, topics: [civil_status, khong_co]}\n"
        "  - {key: ho_tich, label: Lặp, topics: [khai_sinh]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        load_browse(bad, topics)
    text = str(err.value)
    assert "groups[0].topics: unknown topic or group 'khong_co'" in text
    assert "groups[1].key: duplicate 'ho_tich'" in text
