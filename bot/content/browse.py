"""content/browse.yaml: the groups a citizen browses after "Hỏi về thủ tục" (no typing needed).

A group names topic keys of content/topics.yaml, or whole topic groups of it (civil_status);
entries whose topic no group names fall into OTHER, and out-of-remit topics are never browsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.errors import ContentError
from bot.content.faq import FaqEntry
from bot.content.faq_topics import TopicInfo

OTHER_KEY, OTHER_LABEL = "khac", "Thủ tục khác"
MAX_LABEL = 40  # a button label on a phone
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,23}$")


@dataclass(frozen=True)
class BrowseGroup:
    key: str
    label: str
    topics: frozenset[str]


def load_browse(path: Path, topics: Mapping[str, TopicInfo]) -> list[BrowseGroup]:
    """Read and check the file; a missing file means one group per topic group is not wanted:
    every entry is then in OTHER."""
    if not path.exists():
        return []
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{where}: cannot read: {exc}") from exc
    raw = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise ContentError(f"{where}: expected 'groups:' with a list of groups")
    group_names = {t.group for t in topics.values()}
    errors: list[str] = []
    groups: list[BrowseGroup] = []
    for i, item in enumerate(raw):
        loc = f"{where}: groups[{i}]"
        if not isinstance(item, dict) or set(item) != {"key", "label", "topics"}:
            errors.append(f"{loc}: needs exactly key, label and topics")
            continue
        key, label, names = item["key"], item["label"], item["topics"]
        if not isinstance(key, str) or not _KEY.match(key) or key == OTHER_KEY:
            errors.append(f"{loc}.key: snake_case ASCII, at most 24 characters, not {OTHER_KEY!r}")
        elif any(g.key == key for g in groups):
            errors.append(f"{loc}.key: duplicate {key!r}")
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
            errors.append(f"{loc}.label: 1 to {MAX_LABEL} characters")
        elif not unicodedata.is_normalized("NFC", label):
            errors.append(f"{loc}.label: not Unicode NFC")
        if not isinstance(names, list) or not names:
            errors.append(f"{loc}.topics: a list of topic keys or topic groups")
            continue
        keys: set[str] = set()
        for name in names:
            if name in group_names:
                keys |= {k for k, t in topics.items() if t.group == name}
            elif name in topics:
                keys.add(name)
            else:
                errors.append(f"{loc}.topics: unknown topic or group {name!r}")
        groups.append(BrowseGroup(str(key), str(label).strip(), frozenset(keys)))
    if errors:
        raise ContentError(errors)
    return groups


def browse_entries(
    groups: Iterable[BrowseGroup], entries: Iterable[FaqEntry], topics: Mapping[str, TopicInfo]
) -> list[tuple[BrowseGroup, list[FaqEntry]]]:
    """The non-empty groups with their entries (in content order), OTHER last if needed."""
    listed = [e for e in entries if topics.get(e.topic) is None or topics[e.topic].listed]
    out: list[tuple[BrowseGroup, list[FaqEntry]]] = []
    placed: set[str] = set()
    for group in groups:
        members = [e for e in listed if e.topic in group.topics and e.id not in placed]
        placed |= {e.id for e in members}
        if members:
            out.append((group, members))
    rest = [e for e in listed if e.id not in placed]
    if rest:
        out.append((BrowseGroup(OTHER_KEY, OTHER_LABEL, frozenset()), rest))
    return out
