"""Importing communication plans (`loaxa plan import FILE [--json]`).

from bot.plans import import_plan, PlanImportError
plan = import_plan(Path("ke-hoach.docx"))
plan.to_dict()  # the JSON object of CONTRACTS.md, "Plan import"
"""

from __future__ import annotations

from .cli import cli_main
from .errors import PlanImportError
from .importer import import_plan
from .model import (
    Audience,
    AudienceItem,
    Contact,
    Deadline,
    Kpi,
    LegalRef,
    PlanImport,
    Task,
)
from .reader import MAX_BYTES

__all__ = [
    "MAX_BYTES",
    "Audience",
    "AudienceItem",
    "Contact",
    "Deadline",
    "Kpi",
    "LegalRef",
    "PlanImport",
    "PlanImportError",
    "Task",
    "cli_main",
    "import_plan",
]
