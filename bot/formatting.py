"""How people read times, dates and numbers on every page: one set of Jinja filters.

Times are shown in the unit's zone (Asia/Ho_Chi_Minh unless TIMEZONE says otherwise) as
dd/mm/yyyy HH:MM, dates as dd/mm/yyyy, numbers with Vietnamese separators (1.234,5) and shares
as "85,0 %". Machine-readable files (CSV, JSON) keep ISO dates and a dot decimal instead; see
docs/console.md ("Reports"). Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
EMPTY = "–"


def local_dt(value: dt.datetime | None, tz: str = DEFAULT_TZ) -> dt.datetime | None:
    """An aware datetime in `tz` (a naive one is taken as UTC, as the database stores it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(tz))


def localtime(value: dt.datetime | None, tz: str = DEFAULT_TZ) -> str:
    """03/12/2026 20:32 (local time)."""
    shown = local_dt(value, tz)
    return EMPTY if shown is None else shown.strftime("%d/%m/%Y %H:%M")


def date_vn(value: dt.date | dt.datetime | None, tz: str = DEFAULT_TZ) -> str:
    """03/12/2026; a datetime is first put into local time."""
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        value = local_dt(value, tz) or value
    return value.strftime("%d/%m/%Y")


def number(value: float | int | None, decimals: int | None = None) -> str:
    """1.234 and 4,50: dots group thousands, a comma marks decimals."""
    if value is None:
        return EMPTY
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(share: float | None, decimals: int = 1) -> str:
    """A proportion (0.85) as "85,0 %"."""
    return EMPTY if share is None else f"{number(share * 100, decimals)} %"


def pct(value: float | None) -> str:
    """A value already in percent (97, 97.5) as "97 %" / "97,5 %"."""
    if value is None:
        return EMPTY
    decimals = 0 if float(value).is_integer() else 1
    return f"{number(value, decimals)} %"


FILTERS: dict[str, Any] = {
    "localtime": localtime,
    "date_vn": date_vn,
    "number": number,
    "percent": percent,
    "pct": pct,
}


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Give a Jinja environment the shared filters (every template environment calls this)."""
    env.filters.update(FILTERS)
    return env
