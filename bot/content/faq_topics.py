"""FAQ topics: ``content/topics.yaml`` (groups of ``key: title``), validated."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.yaml_file import display_path, read_yaml

OUT_OF_REMIT_GROUP = "out_of_remit"
OUT_OF_REMIT_PREFIX = "ngoai_pham_vi_"
TOPIC_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass(frozen=True)
class TopicInfo:
    key: str
    title: str
    group: str
    listed: bool  # True when the key is in the shared topic list (faq/topics.yaml)


def not_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) != text


def load_topics(topics_file: Path, errors: list[str] | None = None) -> dict[str, TopicInfo]:
    """Read ``group: {key: title}``; out_of_remit keys are unlisted. Errors: appended or raised."""
    own: list[str] = [] if errors is None else errors
    where = display_path(topics_file)
    data = read_yaml(topics_file, own)
    topics: dict[str, TopicInfo] = {}
    if not isinstance(data, dict):
        own.append(f"{where}: expected a mapping of groups to {{key: title}}")
        data = {}
    for group, items in data.items():
        if not isinstance(items, dict):
            own.append(f"{where}: {group}: expected a mapping of topic keys to titles")
            continue
        listed = group != OUT_OF_REMIT_GROUP
        for key, title in items.items():
            loc = f"{where}: {group}.{key}"
            if not isinstance(key, str) or not TOPIC_RE.match(key):
                own.append(f"{loc}: bad topic key (use snake_case ASCII)")
            elif key in topics:
                own.append(f"{loc}: duplicate topic key (also in {topics[key].group})")
            elif listed == key.startswith(OUT_OF_REMIT_PREFIX):
                own.append(f"{loc}: {OUT_OF_REMIT_PREFIX}* keys go in {OUT_OF_REMIT_GROUP}, only")
            elif not isinstance(title, str) or not title.strip():
                own.append(f"{loc}: title missing")
            elif not_nfc(title):
                own.append(f"{loc}: title is not in Unicode NFC")
            else:
                topics[key] = TopicInfo(key=key, title=title.strip(), group=group, listed=listed)
    if errors is None and own:
        raise ContentError(own)
    return topics
