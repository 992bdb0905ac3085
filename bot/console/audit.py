"""The console's name for the audit log, which lives with the storage (bot/db/audit.py) so that
conversations can write to it without importing the console."""

from bot.db.audit import (
    ACTION_LABELS,
    PAGE_SIZE,
    AuditFilter,
    AuditPage,
    actions,
    record,
    search,
)

__all__ = ["ACTION_LABELS", "PAGE_SIZE", "AuditFilter", "AuditPage", "actions", "record", "search"]
