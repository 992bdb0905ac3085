"""The result of importing a plan: plain dataclasses with a JSON-ready `to_dict()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LegalRef:
    """A cited document, e.g. Nghị định số 118/2025/NĐ-CP ngày 09/6/2025."""

    type: str
    number: str | None
    date: str | None  # ISO 8601, when the plan gives the date
    text: str  # the citation as written (type, number, date)
    context: str = ""  # what follows the citation in its clause ("của Chính phủ về ...")

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "date": self.date,
            "text": self.text,
            "context": self.context,
        }


@dataclass
class AudienceItem:
    text: str
    legal_refs: list[LegalRef] = field(default_factory=list)
    label: str = ""  # "a", "a-1" ... as numbered in the plan

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "legal_refs": [r.to_dict() for r in self.legal_refs],
            "label": self.label,
        }


@dataclass
class Audience:
    name: str
    items: list[AudienceItem] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)  # "Hình thức tuyên truyền" for this group
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "items": [i.to_dict() for i in self.items],
            "forms": list(self.forms),
            "description": self.description,
        }


@dataclass
class Task:
    unit: str
    duties: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "duties": list(self.duties)}


@dataclass
class Kpi:
    indicator: str
    target_percent: float | None
    lead: str | None = None
    partner: str | None = None
    text: str = ""  # the sentence or table row the target comes from
    comparator: str = "exact"  # "min", "max", "exact", "range", "decrease", "increase"
    target_range: tuple[float, float] | None = None  # for "97-100%": (97, 100)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "target_percent": _number(self.target_percent),
            "lead": self.lead,
            "partner": self.partner,
            "text": self.text,
            "comparator": self.comparator,
            "target_range": (
                [_number(v) for v in self.target_range] if self.target_range else None
            ),
        }


@dataclass
class Deadline:
    text: str
    date: str | None  # ISO 8601 or None (e.g. "định kỳ 6 tháng")
    recurring: bool = False
    unit: str | None = None  # the unit whose duty states it, when known

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "date": self.date,
            "recurring": self.recurring,
            "unit": self.unit,
        }


@dataclass
class Contact:
    type: str  # "phone", "hotline", "email", "web"
    value: str
    context: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value, "context": self.context}


@dataclass
class PlanImport:
    title: str
    issuer: str | None
    year: int | None
    audiences: list[Audience] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    legal_refs: list[LegalRef] = field(default_factory=list)
    number: str | None = None  # the plan's own number ("777/KH-VP"), None when left blank
    issued_date: str | None = None
    place: str | None = None
    target_groups: list[str] = field(default_factory=list)
    sections: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of CONTRACTS.md ("Plan import"), plus a few extra keys.

        `contacts` is a list of strings (the values as written); `contact_details` gives
        the same contacts with their type and the sentence they appear in.
        """
        return {
            "title": self.title,
            "issuer": self.issuer,
            "year": self.year,
            "audiences": [a.to_dict() for a in self.audiences],
            "channels": list(self.channels),
            "tasks": [t.to_dict() for t in self.tasks],
            "kpis": [k.to_dict() for k in self.kpis],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "contacts": [c.value for c in self.contacts],
            "legal_refs": [r.to_dict() for r in self.legal_refs],
            "number": self.number,
            "issued_date": self.issued_date,
            "place": self.place,
            "target_groups": list(self.target_groups),
            "contact_details": [c.to_dict() for c in self.contacts],
            "sections": [dict(s) for s in self.sections],
            "warnings": list(self.warnings),
            "source": self.source,
        }


def _number(value: float | None) -> float | int | None:
    """98.0 -> 98 so that the JSON reads like the plan; 97.5 stays 97.5."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
