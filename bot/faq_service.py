"""The FAQ as the bot uses it: content + lexicon loaded once, the matcher index built once.

Used by the ask conversation, `loaxa ask` and `loaxa eval` alike, so they cannot disagree.
Staff edits from the console (`faq_edits`, see bot/faq_edits.py) are layered over the files:
`FaqService.load(content_dir, overrides=[FaqLayer, ...])`, or `service.with_layers(...)` to
rebuild from the already-read files. A layer with `unit=None` replaces (or adds) an entry for
every unit; a per-unit layer only for that unit, which then gets its own index.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot.content.browse import BrowseGroup, browse_entries, load_browse
from bot.content.errors import ContentError
from bot.content.faq import (
    FaqContent,
    FaqEntry,
    check_entry,
    load_faq_dir,
    render_answer,
)
from bot.content.units import Unit
from faq import intent_model
from faq.intent_index import EXAMPLE_INTENTS, build_intent_index
from faq.intent_model import IntentModel
from faq.lexicon import lexicon_from_mapping
from faq.matcher import MatcherIndex
from faq.types import Lexicon, Match
from faq.understand import Understanding, understand

log = logging.getLogger(__name__)
LAYER_FILE = "faq_edits"  # FaqEntry.file of an entry that comes from the database
INTENT_MODEL = Path(intent_model.__file__).parent / "models" / "intents.json.gz"
TOPIC_MODEL = INTENT_MODEL.with_name("topics.json.gz")  # faq/topic_model.py
PRIMED_MAX = 256  # texts understood ahead (at least one per update in flight)


@dataclass(frozen=True)
class FaqLayer:
    """The latest staff version of one entry: for every unit (unit None) or for one unit."""

    entry_id: str
    unit: str | None
    data: Mapping[str, Any]  # the whole entry, as in a content file
    version: int = 0


def load_intent_model(path: Path = INTENT_MODEL) -> IntentModel | None:
    """A learned model: of intents (bench/fit_intent_model.py) or of FAQ topics
    (bench/fit_topic_model.py, the same kind); None when the file is missing, so that the
    rules alone decide."""
    if not path.exists():
        log.warning("model %s not found: rules only", path.name)
        return None
    try:
        return IntentModel.from_dict(json.loads(gzip.decompress(path.read_bytes())))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ContentError(f"{path}: cannot read the model: {exc}") from exc


def load_intent_examples(path: Path) -> dict[str, list[str]]:
    """content/intents.yaml: intent -> phrasings; an error names the file and the heading."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected headings ({', '.join(EXAMPLE_INTENTS)})")
    out: dict[str, list[str]] = {}
    for intent, phrases in data.items():
        if intent not in EXAMPLE_INTENTS:
            raise ContentError(f"{path}: {intent}: unknown heading ({', '.join(EXAMPLE_INTENTS)})")
        if not isinstance(phrases, list) or not all(
            isinstance(p, str) and p.strip() for p in phrases
        ):
            raise ContentError(f"{path}: {intent}: expected a list of phrasings")
        bad = [p for p in phrases if not unicodedata.is_normalized("NFC", p)]
        if bad:
            raise ContentError(f"{path}: {intent}: not Unicode NFC: {bad[0]!r}")
        out[intent] = [p.strip() for p in phrases]
    return out


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
    content: FaqContent  # the entries every unit sees (files + layers for all units)
    index: MatcherIndex
    entries: dict[str, FaqEntry]
    base: FaqContent | None = None  # the files alone (None: same as content)
    lexicon: Lexicon | None = None
    layers: tuple[FaqLayer, ...] = ()
    unit_entries: dict[str, dict[str, FaqEntry]] = field(default_factory=dict)
    unit_index: dict[str, MatcherIndex] = field(default_factory=dict)
    layer_errors: list[str] = field(default_factory=list)  # layers skipped (invalid now)
    # unit → parent unit (a commune → its province): a unit sees its ancestors' edits, and its
    # own edits override theirs.
    parents: dict[str, str | None] = field(default_factory=dict)
    intent_index: MatcherIndex | None = None  # content/intents.yaml (faq/intent_index.py)
    intent_model: IntentModel | None = None  # faq/models/intents.json.gz (faq/intent_model.py)
    topic_model: IntentModel | None = None  # faq/models/topics.json.gz (faq/topic_model.py)
    browse: list[BrowseGroup] = field(default_factory=list)  # content/browse.yaml
    # The content files and the matching code it was built from (see `fingerprint`).
    source_digest: str = ""
    # (unit, text) → understood ahead of the transaction (see prime), read by understand().
    # Kept, not taken: understanding is a pure function of the text and this service's
    # index, and several updates in flight may ask the same ("xin chào"). The oldest go.
    _primed: dict[tuple[str | None, str], Understanding] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def load(
        cls,
        content_dir: Path,
        overrides: Iterable[FaqLayer] = (),
        parents: Mapping[str, str | None] | None = None,
    ) -> FaqService:
        content = load_faq_dir(content_dir / "faq", content_dir / "topics.yaml")
        lexicon = load_lexicon(content_dir / "lexicon.yaml")
        service = cls.build(content, lexicon, overrides, parents=parents)
        examples = load_intent_examples(content_dir / "intents.yaml")
        service.intent_index = build_intent_index(examples, lexicon)
        service.intent_model = load_intent_model()
        service.topic_model = load_intent_model(TOPIC_MODEL)
        service.browse = load_browse(content_dir / "browse.yaml", content.topics)
        service.source_digest = source_digest(content_dir)
        return service

    @classmethod
    def build(
        cls,
        base: FaqContent,
        lexicon: Lexicon | None,
        overrides: Iterable[FaqLayer] = (),
        *,
        today: date | None = None,
        parents: Mapping[str, str | None] | None = None,
    ) -> FaqService:
        """Files + layers (later layers of the same entry and unit win) -> indexes.

        A unit's view: the files, then the layers of its ancestors from the top (province),
        then its own layers.
        """
        layers = tuple(overrides)
        errors: list[str] = []
        entries = base.by_id()
        per_unit: dict[str, dict[str, FaqEntry]] = {}
        for layer in layers:
            entry = _layer_entry(layer, base, today, errors)
            if entry is None:
                continue
            if layer.unit is None:
                entries[entry.id] = entry
            else:
                per_unit.setdefault(layer.unit, {})[entry.id] = entry
        content = replace(base, entries=list(entries.values()))
        index = MatcherIndex.build([e.to_doc() for e in content.entries], lexicon)
        family = dict(parents or {})
        unit_entries = {}
        for unit in set(per_unit) | set(family):
            line = _lineage(unit, family)  # root first
            if not any(ancestor in per_unit for ancestor in line):
                continue  # nothing of its own or inherited: the shared index serves it
            merged = dict(entries)
            for ancestor in line:
                merged.update(per_unit.get(ancestor, {}))
            unit_entries[unit] = merged
        unit_index = {
            unit: MatcherIndex.build([e.to_doc() for e in own.values()], lexicon)
            for unit, own in unit_entries.items()
        }
        return cls(
            content=content,
            index=index,
            entries=entries,
            base=base,
            lexicon=lexicon,
            layers=layers,
            unit_entries=unit_entries,
            unit_index=unit_index,
            layer_errors=errors,
            parents=family,
        )

    def with_layers(self, overrides: Iterable[FaqLayer]) -> FaqService:
        """A new service from the same files with these layers (the old one is untouched)."""
        fresh = self.build(
            self.base or self.content, self.lexicon, overrides, parents=self.parents
        )
        fresh.intent_index = self.intent_index
        fresh.intent_model = self.intent_model
        fresh.topic_model = self.topic_model
        fresh.browse = self.browse
        fresh.source_digest = self.source_digest
        return fresh

    @cached_property
    def fingerprint(self) -> str:
        """Equal in two processes that understand every text alike: the same content files,
        matching code and staff layers. The worker takes the web process's understanding of
        a message only when their fingerprints agree (bot/core/ahead.py)."""
        digest = hashlib.blake2b(self.source_digest.encode(), digest_size=16)
        digest.update(repr(self.layers).encode())
        return digest.hexdigest()

    def browse_groups(self, unit: str | None) -> list[tuple[BrowseGroup, list[FaqEntry]]]:
        """The unit's entries in the groups of content/browse.yaml (for "Hỏi về thủ tục")."""
        entries = self.entries_for(unit).values()
        return browse_entries(self.browse, entries, (self.base or self.content).topics)

    def entries_for(self, unit: str | None) -> dict[str, FaqEntry]:
        """The entries a unit sees (None: those of every unit)."""
        return self.unit_entries.get(unit, self.entries) if unit else self.entries

    def entry(self, entry_id: str, unit: str | None = None) -> FaqEntry:
        found = self.entries_for(unit).get(entry_id)
        if found is not None:
            return found
        for own in self.unit_entries.values():  # a unit's own entry, asked without the unit
            if entry_id in own:
                return own[entry_id]
        raise KeyError(entry_id)

    @property
    def listed_topics(self) -> set[str]:
        return self.content.listed_topics

    @cached_property
    def listed(self) -> frozenset[str]:
        return frozenset(self.content.listed_topics)

    def match(self, text: str, unit: str | None = None) -> Match:
        index = self.unit_index.get(unit, self.index) if unit else self.index
        return index.match(unicodedata.normalize("NFC", text))

    def understand(
        self, text: str, unit: str | None = None, *, emergency: bool = True
    ) -> Understanding:
        """Intent first, then the FAQ (faq/understand.py): what the chat does with `text`."""
        text = unicodedata.normalize("NFC", text)
        if emergency:
            primed = self._primed.get((unit, text))
            if primed is not None:
                return primed
        return self._understand(text, unit, emergency)

    def prime(self, text: str, unit: str | None = None) -> None:
        """Understand `text` now, for the understand() call that its message's flow makes
        later. The pipeline calls this before the message's transaction, so that the write
        lock is not held while the text is matched (bot/core/ahead.py). A curation edit
        builds a new service, so a primed result never outlives the index it came from."""
        text = unicodedata.normalize("NFC", text)
        if (unit, text) not in self._primed:
            self.seed(text, unit, self._understand(text, unit, True))

    def ahead(self, text: str, unit: str | None = None) -> Understanding:
        """What understand() would answer, understood now (not from the memo)."""
        return self._understand(unicodedata.normalize("NFC", text), unit, True)

    def seed(self, text: str, unit: str | None, understood: Understanding) -> None:
        """Keep `understood` for understand(text, unit): computed by prime, or by another
        process with the same fingerprint (bot/core/ahead.py)."""
        key = (unit, unicodedata.normalize("NFC", text))
        self._primed.pop(key, None)  # re-inserted as the newest
        while len(self._primed) >= PRIMED_MAX:
            del self._primed[next(iter(self._primed))]
        self._primed[key] = understood

    def _understand(self, text: str, unit: str | None, emergency: bool) -> Understanding:
        index = self.unit_index.get(unit, self.index) if unit else self.index
        return understand(
            text,
            index,
            listed=self.listed,
            emergency=emergency,
            intents=self.intent_index,
            model=self.intent_model,
            topics=self.topic_model,
        )

    def has(self, entry_id: str, unit: str | None = None) -> bool:
        try:
            self.entry(entry_id, unit)
        except KeyError:
            return False
        return True

    def title(self, entry_id: str, unit: str | None = None) -> str:
        return self.entry(entry_id, unit).title

    def url(self, entry_id: str, unit: str | None = None) -> str | None:
        return self.entry(entry_id, unit).url

    def answer(self, entry_id: str, unit: Unit, today: date | None = None) -> str:
        entry = self.entry(entry_id, unit.key)
        return unicodedata.normalize("NFC", render_answer(entry, unit, today))

    def reply_text(self, match: Match, unit: Unit, messages: Any) -> str:
        """The text the citizen sees for this match (used by `loaxa ask`)."""
        if match.decision == "answer" and match.best is not None:
            return self.answer(match.best.entry, unit)
        if match.decision == "clarify":
            options = "\n".join(
                f"{i}. {self.title(c.entry, unit.key)}"
                for i, c in enumerate(match.candidates[:3], 1)
            )
            return f"{messages.render('ask.clarify', unit=unit)}\n{options}"
        return str(messages.render("ask.fallback", unit=unit))


def _lineage(unit: str, parents: Mapping[str, str | None]) -> list[str]:
    """The unit and its ancestors, root first (a cycle in the unit files is cut)."""
    line: list[str] = []
    current: str | None = unit
    while current is not None and current not in line:
        line.append(current)
        current = parents.get(current)
    return list(reversed(line))


def _layer_entry(
    layer: FaqLayer, base: FaqContent, today: date | None, errors: list[str]
) -> FaqEntry | None:
    """The entry of a layer, validated like a content file; None (and logged) when invalid."""
    entry, problems = check_entry(layer.data, base.topics, today or date.max)
    if entry is None or entry.id != layer.entry_id:
        where = f"faq_edits {layer.entry_id} ({layer.unit or 'all units'}) v{layer.version}"
        problems = problems or [("id", f"does not match {layer.entry_id!r}")]
        errors.extend(f"{where}.{name}: {msg}" for name, msg in problems)
        log.warning("faq: a staff edit is invalid now and is not used: %s", where)
        return None
    return replace(entry, file=LAYER_FILE)


def source_digest(content_dir: Path) -> str:
    """A digest of the content files and of the matching code (faq/)."""
    digest = hashlib.blake2b(digest_size=16)
    faq_code = Path(__file__).resolve().parent.parent / "faq"
    code = [*sorted(faq_code.glob("*.py")), *sorted(faq_code.glob("models/*"))]
    for path in [*sorted(content_dir.rglob("*.yaml")), *code]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
