"""Staff edits of FAQ entries: versions in `faq_edits`, layered over content/faq (DB wins).

- `save` stores a new version (validated first with `validate`, exactly like a content file,
  plus the cross-entry rules of the loader: unique id, a question in one entry only);
- `latest_layers` reads the newest version of every (entry, unit) for `FaqService`;
- bot/faq_reload.py rebuilds the running bot's index after an edit;
- `to_yaml` / `export_dir` write entries back in the content file format.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.faq import LOCAL_TZ, FaqEntry, check_entry
from bot.db.models import FaqQuery
from bot.db.models_faq_edits import FaqEdit
from bot.db.notify import notify_faq
from bot.faq_service import LAYER_FILE, FaqLayer, FaqService

log = logging.getLogger(__name__)
FIELD_ORDER = (
    "id",
    "topic",
    "title",
    "questions",
    "keywords",
    "answer",
    "procedure_code",
    "url",
    "online",
    "dated",
    "level",
    "source",
    "checked",
)
NEW_FILE = "console.yaml"  # where `export_dir` puts entries that are not in any content file
Problems = list[tuple[str, str]]


def entry_data(entry: FaqEntry) -> dict[str, Any]:
    """The entry as a content file mapping (JSON-safe: `checked` is an ISO date)."""
    values: dict[str, Any] = {
        "id": entry.id,
        "topic": entry.topic,
        "title": entry.title,
        "questions": list(entry.questions),
        "keywords": list(entry.keywords),
        "answer": entry.answer,
        "procedure_code": entry.procedure_code,
        "url": entry.url,
        "online": entry.online,
        "dated": [fact.to_data() for fact in entry.dated],
        "level": entry.level,
        "source": list(entry.source),
        "checked": entry.checked.isoformat(),
    }
    return {k: values[k] for k in FIELD_ORDER if values[k] not in (None, [], "")}


def validate(
    service: FaqService,
    data: Mapping[str, Any],
    unit: str | None,
    *,
    new: bool,
    today: dt.date | None = None,
) -> tuple[FaqEntry | None, Problems]:
    """Check an entry as the content loader would, in the scope it is saved for."""
    day = today or dt.datetime.now(LOCAL_TZ).date()
    entry, problems = check_entry(data, service.content.topics, day)
    entry_id = data.get("id")
    scope = service.entries_for(unit)
    if new and isinstance(entry_id, str) and service.has(entry_id):
        problems.append(("id", f"duplicate id: entry {entry_id!r} already exists"))
        entry = None
    if entry is not None:
        own = {q.casefold() for q in entry.questions}
        for other in scope.values():
            if other.id == entry.id:
                continue
            for q in other.questions:
                if q.casefold() in own:
                    problems.append(("questions", f"{q!r} is also a question of entry {other.id}"))
    return (entry if not problems else None), problems


async def latest_layers(sess: AsyncSession) -> list[FaqLayer]:
    """The newest version of every (entry, unit), oldest entry first (stable build order)."""
    rows = (await sess.execute(select(FaqEdit).order_by(FaqEdit.id))).scalars()
    newest: dict[tuple[str, str | None], FaqEdit] = {}
    for row in rows:
        key = (row.entry_id, row.unit)
        if key not in newest or row.version > newest[key].version:
            newest[key] = row
    return [FaqLayer(r.entry_id, r.unit, r.data, r.version) for r in newest.values()]


async def history(sess: AsyncSession, entry_id: str, unit: str | None) -> list[FaqEdit]:
    """Every version of an entry in one scope, newest first."""
    query = select(FaqEdit).where(FaqEdit.entry_id == entry_id)
    query = query.where(FaqEdit.unit.is_(None) if unit is None else FaqEdit.unit == unit)
    return list((await sess.execute(query.order_by(FaqEdit.version.desc()))).scalars())


async def get_version(
    sess: AsyncSession, entry_id: str, unit: str | None, version: int
) -> FaqEdit | None:
    for row in await history(sess, entry_id, unit):
        if row.version == version:
            return row
    return None


async def edited_ids(sess: AsyncSession) -> dict[str, set[str | None]]:
    """entry id -> the scopes (None: every unit) that have staff versions."""
    rows = await sess.execute(select(FaqEdit.entry_id, FaqEdit.unit).distinct())
    out: dict[str, set[str | None]] = {}
    for entry_id, unit in rows.all():
        out.setdefault(entry_id, set()).add(unit)
    return out


async def save(
    sess: AsyncSession,
    *,
    entry: FaqEntry,
    unit: str | None,
    author: str,
    comment: str,
    now: dt.datetime,
) -> FaqEdit:
    """Store a new version (the caller validated it and owns the transaction)."""
    scope = FaqEdit.unit.is_(None) if unit is None else FaqEdit.unit == unit
    last = await sess.execute(
        select(func.max(FaqEdit.version)).where(FaqEdit.entry_id == entry.id, scope)
    )
    row = FaqEdit(
        entry_id=entry.id,
        unit=unit,
        version=int(last.scalar_one() or 0) + 1,
        data=entry_data(entry),
        author=author[:128],
        comment=comment.strip()[:1000],
        created_at=now,
    )
    sess.add(row)
    await sess.flush()
    await notify_faq(sess)  # a worker process rebuilds its index when this commits
    return row


def diff_lines(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A field-by-field diff as ("-"|"+"|" ", "field: value") lines (changed fields only)."""
    out: list[tuple[str, str]] = []
    for name in FIELD_ORDER:
        before, after = (old or {}).get(name), new.get(name)
        if before == after:
            continue
        for sign, value in (("-", before), ("+", after)):
            if value in (None, [], ""):
                continue
            items = value if isinstance(value, list) else str(value).splitlines() or [""]
            out += [(sign, f"{name}: {item}") for item in items]
    return out


# --- the learning loop: what the bot could not answer ------------------------------------


@dataclass
class Unanswered:
    normalized: str
    count: int
    fallback: int
    clarify: int
    thumbs_down: int
    last_at: dt.datetime
    text: str  # the latest wording a citizen used
    offered: list[str] = field(default_factory=list)  # entry ids the bot answered or proposed
    chosen: str | None = None  # the entry the citizen picked among the proposals: a label


async def unanswered(
    sess: AsyncSession, unit: str, since: dt.datetime, limit: int = 30
) -> list[Unanswered]:
    """Most frequent fallback / clarify / 👎 questions since `since`, with what was offered."""
    down = FaqQuery.feedback == -1
    query = (
        select(
            FaqQuery.normalized,
            func.count(),
            func.sum(case((FaqQuery.decision == "fallback", 1), else_=0)),
            func.sum(case((FaqQuery.decision == "clarify", 1), else_=0)),
            func.sum(case((down, 1), else_=0)),
            func.max(FaqQuery.created_at),
            func.max(FaqQuery.id),
        )
        .where(
            FaqQuery.unit == unit,
            FaqQuery.created_at >= since,
            FaqQuery.normalized != "",  # redacted at the citizen's request
            (FaqQuery.decision != "answer") | down,
        )
        .group_by(FaqQuery.normalized)
        .order_by(func.count().desc(), func.max(FaqQuery.id).desc())
        .limit(limit)
    )
    groups = (await sess.execute(query)).all()
    latest = {
        row.id: row
        for row in (
            await sess.execute(select(FaqQuery).where(FaqQuery.id.in_([g[6] for g in groups])))
        ).scalars()
    }
    out = []
    for normalized, count, fallback, clarify, thumbs, last_at, last_id in groups:
        row = latest[last_id]
        if row.decision == "answer" and row.entry_id:
            offered = [row.entry_id]
        else:
            offered = [str(c[0]) for c in (row.candidates or [])[:3]]
        chosen = row.chosen_entry if row.chosen_entry not in (None, "none") else None
        if chosen:
            offered = [chosen, *(o for o in offered if o != chosen)]
        out.append(
            Unanswered(
                normalized, int(count), int(fallback or 0), int(clarify or 0), int(thumbs or 0),
                last_at, row.text, offered, chosen,
            )
        )  # fmt: skip
    return out


# --- reload of the running bot -------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(entries: Sequence[Mapping[str, Any]], header: Iterable[str] = ()) -> str:
    """`entries:` list as a content file (answers as literal blocks, Unicode kept)."""
    data = [{k: _yaml_value(k, e[k]) for k in FIELD_ORDER if k in e} for e in entries]
    body = yaml.dump(
        {"entries": data},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    lines = [f"# {line}".rstrip() for line in header]
    return "\n".join([*lines, body]) if lines else body


def _yaml_value(name: str, value: Any) -> Any:
    if name == "checked" and isinstance(value, str):
        return dt.date.fromisoformat(value)  # a YAML date, as in the files
    if name == "answer" and isinstance(value, str) and not value.endswith("\n"):
        return value + "\n"  # a literal block keeps the final newline, the loader strips it
    return value


def edited_entries(service: FaqService, unit: str | None) -> list[FaqEntry]:
    """Entries that come from the database in a scope (those of every unit, then the unit's)."""
    return [e for e in service.entries_for(unit).values() if e.file == LAYER_FILE]


def export_dir(
    service: FaqService, faq_dir: Path, out: Path, unit: str | None = None
) -> list[Path]:
    """Write the content files with the staff edits applied; unchanged files are copied as-is.

    Entries that no file has go into `console.yaml`. With `unit`, that unit's overrides are
    applied as well. Returns the files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    effective = service.entries_for(unit)
    files = sorted([*faq_dir.glob("*.yaml"), *faq_dir.glob("*.yml")])
    placed: set[str] = set()
    written: list[Path] = []
    for path in files:
        target = out / path.name
        text = path.read_text(encoding="utf-8")
        in_file = _file_ids(text)
        placed.update(in_file)
        if not any(effective[i].file == LAYER_FILE for i in in_file if i in effective):
            if path.resolve() != target.resolve():
                shutil.copyfile(path, target)
            written.append(target)
            continue
        header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")][:12]
        chosen = [entry_data(effective[i]) for i in in_file if i in effective]
        target.write_text(to_yaml(chosen, header), encoding="utf-8")
        written.append(target)
    extra = [entry_data(e) for i, e in effective.items() if i not in placed]
    if extra:
        target = out / NEW_FILE
        header = ["FAQ entries written in the staff console (loaxa faq export)."]
        target.write_text(to_yaml(extra, header), encoding="utf-8")
        written.append(target)
    return written


def _file_ids(text: str) -> list[str]:
    data = yaml.safe_load(text) or {}
    raw = data.get("entries") if isinstance(data, dict) else None
    return [str(e["id"]) for e in raw or [] if isinstance(e, dict) and e.get("id")]
