"""FAQ content: load ``content/faq/*.yaml`` and ``content/topics.yaml``, validate, render answers.

Every problem found is collected and raised at once as one :class:`ContentError`; each line names
the file, the entry (index and id) and the field, e.g.
``content/faq/ho_tich.yaml: entries[3] (khai-sinh-qua-han).source: missing``.
The schema is documented in ``content/faq/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2

from bot.content.errors import ContentError
from bot.content.faq_sample import sample_unit
from bot.content.faq_topics import (
    TopicInfo,
    load_topics,
    not_nfc,
)
from bot.content.yaml_file import display_path, read_yaml
from faq.types import FaqDoc

MAX_ANSWER_CHARS = 700  # one phone screen
MAX_TITLE_CHARS = 60  # shown on buttons
MIN_QUESTIONS, MAX_QUESTIONS = 4, 10
ONLINE_VALUES = ("toàn trình", "một phần", "không")
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^\d\.\d{6}$")
_REQUIRED = ("id", "topic", "title", "questions", "answer", "level", "source", "checked")
_OPTIONAL = ("keywords", "procedure_code", "url", "online", "dated")
EXPIRY_WARNING_DAYS = 30  # `loaxa content check` warns this long before a dated fact ends

_ENV = jinja2.Environment(
    autoescape=False,  # noqa: S701 - plain-text chat messages, never HTML
    undefined=jinja2.StrictUndefined,  # a typo in a template fails at load time
)

Err = Callable[[str, str], None]  # err(field, message)


@dataclass(frozen=True)
class DatedFact:
    """A sentence true only for a while (a fee waiver, a temporary cut): added to the answer
    from `valid_from` to `valid_until` inclusive, never after."""

    text: str
    valid_until: date
    source: str
    valid_from: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and day <= self.valid_until

    def to_data(self) -> dict[str, str]:
        """As in a content file (JSON-safe: ISO dates)."""
        since = {"valid_from": self.valid_from.isoformat()} if self.valid_from else {}
        return {"text": self.text, **since, "valid_until": self.valid_until.isoformat(),
                "source": self.source}  # fmt: skip


@dataclass(frozen=True)
class FaqEntry:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    answer: str  # jinja2 template; render with render_answer()
    level: str  # who handles it: UBND cấp xã, Công an cấp xã, BHXH ...
    source: tuple[str, ...]
    checked: date
    keywords: tuple[str, ...] = ()
    procedure_code: str | None = None
    url: str | None = None
    online: str | None = None  # one of ONLINE_VALUES
    file: str = ""  # the file it came from, for messages
    dated: tuple[DatedFact, ...] = ()  # sentences added to the answer while they hold

    def to_doc(self) -> FaqDoc:
        return FaqDoc(self.id, self.topic, self.title, self.questions, self.keywords)


@dataclass(frozen=True)
class FaqContent:
    entries: list[FaqEntry]
    topics: dict[str, TopicInfo]

    @property
    def listed_topics(self) -> set[str]:
        return {k for k, t in self.topics.items() if t.listed}

    def by_id(self) -> dict[str, FaqEntry]:
        return {e.id: e for e in self.entries}


@lru_cache(maxsize=1024)
def _compile(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def render_answer(
    entry: FaqEntry, unit_ctx: Mapping[str, Any] | object, today: date | None = None
) -> str:
    """Render an entry's answer for one unit (an object or mapping with the unit attributes),
    with the dated facts that hold today (an expired waiver is never stated)."""
    text = _compile(entry.answer).render(unit=unit_ctx).strip()
    day = today or local_today()
    extra = [fact.text for fact in entry.dated if fact.holds_on(day)]
    return "\n".join([text, *extra])


def dated_problems(entries: list[FaqEntry], today: date) -> tuple[list[str], list[str]]:
    """(warnings, errors) for `loaxa content check`: a dated fact ending within
    EXPIRY_WARNING_DAYS is a warning, one that has ended is an error (update or remove it)."""
    warnings, errors = [], []
    for entry in entries:
        for i, fact in enumerate(entry.dated):
            where = f"{entry.file}: {entry.id}: dated[{i}].valid_until"
            left = (fact.valid_until - today).days
            if left < 0:
                ended = fact.valid_until.isoformat()
                errors.append(f"{where}: ended on {ended}; update or remove it")
            elif left <= EXPIRY_WARNING_DAYS:
                warnings.append(f"{where}: ends on {fact.valid_until.isoformat()} ({left} days)")
    return warnings, errors


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _as_date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) and not isinstance(value, datetime) else None


def _text_list(value: Any, name: str, err: Err) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        err(name, "must be a list of text")
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            err(f"{name}[{i}]", f"must be non-empty text, got {item!r} (quote numbers)")
        else:
            out.append(item.strip())
    return out


def _is_https(url: Any) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return bool(parts and parts.scheme == "https" and parts.netloc and " " not in url)


def _check_template(answer: str, err: Err) -> None:
    try:
        template = _compile(answer)
    except jinja2.TemplateSyntaxError as exc:
        err("answer", f"template syntax error, line {exc.lineno}: {exc.message}")
        return
    for label, unit in (("full", sample_unit()), ("minimal", sample_unit(minimal=True))):
        try:
            text = template.render(unit=unit).strip()
        except Exception as exc:  # any render failure is a content error
            err("answer", f"fails to render ({label} sample unit): {type(exc).__name__}: {exc}")
            return
        if len(text) > MAX_ANSWER_CHARS or not text:
            size = f"too long ({len(text)} > {MAX_ANSWER_CHARS} characters)" if text else "empty"
            err("answer", f"{size} when rendered with the {label} sample unit")
            return


def _check_entry(
    raw: dict[Any, Any], loc: str, topics: Mapping[str, TopicInfo], today: date, errors: list[str]
) -> FaqEntry | None:
    """Validate one raw entry, appending to ``errors``; return the entry when it is valid."""
    entry, problems = check_entry(raw, topics, today)
    errors.extend(f"{loc}.{name}: {msg}" for name, msg in problems)
    return entry


def check_entry(
    raw: Mapping[Any, Any], topics: Mapping[str, TopicInfo], today: date
) -> tuple[FaqEntry | None, list[tuple[str, str]]]:
    """Validate one entry mapping exactly as in a content file (without cross-entry checks).

    Returns the entry (None when invalid) and the problems as ``(field, message)`` pairs, the
    field as in ``questions[2]``. Used by the loader and by the console's FAQ editor.
    """
    problems: list[tuple[str, str]] = []

    def err(name: str, msg: str) -> None:
        problems.append((name, msg))

    for name in _REQUIRED:
        if raw.get(name) in (None, "", []):
            err(name, "missing")
    for name, value in raw.items():
        if name not in _REQUIRED and name not in _OPTIONAL:
            err(str(name), "unknown field")
        if any(not_nfc(s) for s in _strings(value)):
            err(str(name), "text is not in Unicode NFC (retype or normalise it)")
    for name in ("id", "topic", "title", "answer", "level", "procedure_code", "url", "online"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            err(name, "must be text (quote it)")

    entry_id, topic, title = raw.get("id"), raw.get("topic"), raw.get("title")
    if isinstance(entry_id, str) and entry_id and not _ID_RE.match(entry_id):
        err("id", f"bad id {entry_id!r} (kebab-case ASCII: a-z, 0-9, '-')")
    if isinstance(topic, str) and topic and topic not in topics:
        err("topic", f"unknown topic {topic!r} (not in content/topics.yaml)")
    if isinstance(title, str) and len(title.strip()) > MAX_TITLE_CHARS:
        err("title", f"too long ({len(title.strip())} > {MAX_TITLE_CHARS} characters)")

    questions = _text_list(raw.get("questions"), "questions", err)
    if raw.get("questions") and not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        err("questions", f"need {MIN_QUESTIONS}–{MAX_QUESTIONS} questions, got {len(questions)}")
    if len({q.casefold() for q in questions}) != len(questions):
        err("questions", "duplicate question")
    keywords = _text_list(raw.get("keywords"), "keywords", err)
    sources = _text_list(raw.get("source"), "source", err)

    checked = _as_date(raw.get("checked"))
    if raw.get("checked") is not None and checked is None:
        err("checked", f"not a date {raw.get('checked')!r} (use YYYY-MM-DD)")
    elif checked is not None and checked > today:
        err("checked", f"{checked.isoformat()} is in the future")
    code, url, online = raw.get("procedure_code"), raw.get("url"), raw.get("online")
    if isinstance(code, str) and not _CODE_RE.match(code):
        err("procedure_code", f'bad code {code!r} (quoted text like "1.001193")')
    if url is not None and not _is_https(url):
        err("url", f"not an https URL: {url!r}")
    if isinstance(online, str) and online not in ONLINE_VALUES:
        err("online", f"{online!r} is not one of: {', '.join(ONLINE_VALUES)}")
    answer = raw.get("answer")
    if isinstance(answer, str) and answer.strip():
        _check_template(answer, err)
    dated = _dated(raw.get("dated"), err)

    if problems or checked is None:
        return None, problems
    entry = FaqEntry(
        id=str(entry_id),
        topic=str(topic),
        title=str(title).strip(),
        questions=tuple(questions),
        answer=str(answer),
        level=str(raw["level"]).strip(),
        source=tuple(sources),
        checked=checked,
        keywords=tuple(keywords),
        procedure_code=code,
        url=url,
        online=online,
        dated=dated,
    )
    return entry, problems


def _dated(value: Any, err: Any) -> tuple[DatedFact, ...]:
    """`dated:` — a list of {text, valid_until, source, valid_from?}."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        err("dated", "must be a list of {text, valid_from, valid_until, source}")
        return ()
    facts = []
    for i, item in enumerate(value):
        name = f"dated[{i}]"
        if not isinstance(item, dict):
            err(name, "must be a mapping with text, valid_until and source")
            continue
        if extra := sorted(str(k) for k in item if k not in _DATED_FIELDS):
            err(name, f"unknown field(s): {', '.join(extra)}")
        text, source = item.get("text"), item.get("source")
        until, since = _as_date(item.get("valid_until")), _as_date(item.get("valid_from"))
        if not isinstance(text, str) or not text.strip():
            err(f"{name}.text", "missing")
        if not isinstance(source, str) or not source.strip():
            err(f"{name}.source", "missing (the official text that sets the dates)")
        if until is None:
            err(f"{name}.valid_until", "missing or not a date (use YYYY-MM-DD)")
        if item.get("valid_from") is not None and since is None:
            err(f"{name}.valid_from", "not a date (use YYYY-MM-DD)")
        if until is not None and since is not None and since > until:
            err(f"{name}.valid_from", "is after valid_until")
        if isinstance(text, str) and isinstance(source, str) and until is not None:
            facts.append(DatedFact(text.strip(), until, source.strip(), since))
    return tuple(facts)


_DATED_FIELDS = ("text", "valid_from", "valid_until", "source")


def _load_file(
    path: Path, topics: Mapping[str, TopicInfo], day: date, errors: list[str], seen: dict[str, str]
) -> list[FaqEntry]:
    """The valid entries of one file; problems go to ``errors``."""
    where = display_path(path)
    data = read_yaml(path, errors)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        errors.append(f"{where}: expected a top-level 'entries:' list")
        return []
    if extra := sorted(str(k) for k in data if k != "entries"):
        errors.append(f"{where}: unknown top-level keys: {', '.join(extra)}")
    entries: list[FaqEntry] = []
    for i, raw in enumerate(data["entries"]):
        entry_id = raw.get("id") if isinstance(raw, dict) else None
        loc = f"{where}: entries[{i}]" + (f" ({entry_id})" if entry_id else "")
        if not isinstance(raw, dict):
            errors.append(f"{loc}: expected a mapping of fields")
            continue
        entry = _check_entry(raw, loc, topics, day, errors)
        if entry is None:
            continue
        if entry.id in seen:  # ids must be unique across files
            errors.append(f"{loc}.id: duplicate id (also in {seen[entry.id]})")
            continue
        seen[entry.id] = where
        for q in entry.questions:  # a question in two entries would confuse the matcher
            other = seen.setdefault("?" + q.casefold(), entry.id)
            if other != entry.id:
                errors.append(f"{loc}.questions: {q!r} is also a question of entry {other}")
        entries.append(replace(entry, file=where))
    return entries


def _collect(faq_dir: Path, topics_file: Path, today: date | None) -> tuple[FaqContent, list[str]]:
    errors: list[str] = []
    topics = load_topics(topics_file, errors)
    day = today or datetime.now(LOCAL_TZ).date()
    files = sorted([*faq_dir.glob("*.yaml"), *faq_dir.glob("*.yml")])
    if not files:
        errors.append(f"{display_path(faq_dir)}: no *.yaml files")
    entries: list[FaqEntry] = []
    seen: dict[str, str] = {}  # id -> file; "?" + casefolded question -> id
    for path in files:
        entries += _load_file(path, topics, day, errors, seen)
    return FaqContent(entries=entries, topics=topics), errors


def load_faq_dir(faq_dir: Path, topics_file: Path, *, today: date | None = None) -> FaqContent:
    """Load and validate every FAQ file; raise one ContentError listing all problems."""
    content, errors = _collect(Path(faq_dir), Path(topics_file), today)
    if errors:
        raise ContentError(errors)
    return content


def validate_faq_dir(
    faq_dir: Path, topics_file: Path, *, require_coverage: bool = True, today: date | None = None
) -> list[str]:
    """Every problem in the FAQ content, plus listed topics without an entry (coverage)."""
    content, errors = _collect(Path(faq_dir), Path(topics_file), today)
    if require_coverage:
        covered = {e.topic for e in content.entries}
        for key in sorted(content.listed_topics - covered):
            errors.append(
                f"{display_path(Path(topics_file))}: {key}: listed topic has no FAQ entry"
            )
    return errors
