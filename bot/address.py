"""Old address → new address since the 2025 reorganisation (63 → 34 provinces, no districts).

The official mapping comes from the `vietnamadminunits` library (pinned in pyproject.toml). Its
import takes seconds and ~60 MB (its data and its geometry dependencies), so it runs in one
separate worker process, started on first use (or warmed at start-up): the server's event loop
and memory stay as they were. Only the offline parts of the library are used: a street is never
sent to its online geocoder, and where an old commune was split between several new ones every
one of them is listed instead of guessing.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.errors import ContentError

log = logging.getLogger(__name__)

TIMEOUT = 5.0  # seconds for one lookup once the worker is up
WARM_TIMEOUT = 120.0  # the first lookup also imports the library


@dataclass(frozen=True)
class AddressNote:
    """content/address.yaml: the sentence about old papers, with its sources."""

    note: str
    source: tuple[str, ...]
    checked: dt.date


def load_note(path: Path) -> AddressNote:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    errors = []
    note, source, checked = data.get("note"), data.get("source"), data.get("checked")
    if not isinstance(note, str) or not note.strip():
        errors.append(f"{path}: field 'note': a sentence is required")
    if not isinstance(source, list) or not source or not all(isinstance(s, str) for s in source):
        errors.append(f"{path}: field 'source': a list of official sources is required")
    if not isinstance(checked, dt.date):
        errors.append(f"{path}: field 'checked': a date (YYYY-MM-DD) is required")
    if errors:
        raise ContentError(errors)
    return AddressNote(str(note).strip(), tuple(source), checked)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Conversion:
    """kind: "ward" (one new commune/ward), "split" (several), "district" or "province" (the old
    address named no commune), "unknown" (nothing recognised)."""

    kind: str
    old: str = ""
    new: tuple[str, ...] = field(default_factory=tuple)
    province: str = ""


# ---- in the worker process -------------------------------------------------------------------


def _fold(text: str) -> str:
    from unidecode import unidecode

    return "".join(ch for ch in unidecode(text).lower() if ch.isalnum())


def _bare(name: str) -> str:
    """ "Phường Bến Nghé" → "bennghe": the name without its level word."""
    for level in ("Thị trấn", "Thị xã", "Thành phố", "Phường", "Xã", "Quận", "Huyện", "Tỉnh"):
        if name.startswith(level + " "):
            return _fold(name[len(level) + 1 :])
    return _fold(name)


def lookup(old: str) -> dict[str, Any]:
    """Runs in the worker: plain data in and out."""
    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.parser import parse_address_from_2025, parse_address_legacy

    if not old:
        return {"kind": "warm"}
    unit = parse_address_legacy(old, keep_street=False, level=3)
    if not unit.province_key:
        return {"kind": "unknown"}
    said = _fold(old)
    ward = unit.ward if unit.ward and _bare(unit.ward) in said else None
    district = unit.district if unit.district and _bare(unit.district) in said else None
    new_province_key = next(
        (k for k, olds in conv.DICT_PROVINCE.items() if unit.province_key in olds), None
    )
    if new_province_key is None:
        return {"kind": "unknown"}
    province = parse_address_from_2025(new_province_key, keep_street=False, level=1).province
    if ward and unit.ward_key:
        key = f"{unit.province_key}_{unit.district_key}_{unit.ward_key}"
        old_name = ", ".join(x for x in (unit.ward, unit.district, unit.province) if x)
        same = conv.DICT_PROVINCE_WARD_NO_DIVIDED.get(new_province_key, {})
        new_ward = next((k for k, olds in same.items() if key in olds), None)
        split = conv.DICT_PROVINCE_WARD_DIVIDED.get(new_province_key, {}).get(key, [])
        keys = [new_ward] if new_ward else [w["newWardKey"] for w in split]
        names = []
        for ward_key in keys:
            address = f"{ward_key},{new_province_key}"
            new = parse_address_from_2025(address, keep_street=False, level=2)
            if new.ward:
                names.append(f"{new.ward}, {new.province}")
        if names:
            kind = "ward" if len(names) == 1 else "split"
            return {"kind": kind, "old": old_name, "new": names, "province": province}
    if district:
        old_name = f"{unit.district}, {unit.province}"
        return {"kind": "district", "old": old_name, "province": province}
    if _bare(unit.province) in said:
        return {"kind": "province", "old": unit.province, "province": province}
    return {"kind": "unknown"}


# ---- in the server -----------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn: a clean interpreter, never a fork of a process with threads and an event loop.
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
    return _pool


def _reset() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
    _pool = None


async def run_in_worker(fn: Any, *args: Any, limit: float) -> Any:
    """Run a picklable function in the shared worker process (where the official list of units
    is loaded); TimeoutError after `limit` seconds. A broken worker is replaced next time."""
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(loop.run_in_executor(_executor(), fn, *args), limit)
    except (BrokenProcessPool, OSError):
        _reset()
        raise


class AddressBook:
    def __init__(self, note: AddressNote) -> None:
        self.note = note
        self._ready = False

    async def warm(self) -> None:
        """Start the worker and import the library, off the hot path (called at start-up)."""
        await self._call("", WARM_TIMEOUT)

    async def convert(self, old: str) -> Conversion | None:
        """The new address, or None when the worker could not answer in time."""
        result = await self._call(old[:200], TIMEOUT if self._ready else WARM_TIMEOUT)
        if result is None:
            return None
        return Conversion(
            kind=str(result.get("kind", "unknown")),
            old=str(result.get("old", "")),
            new=tuple(result.get("new", ())),
            province=str(result.get("province", "")),
        )

    async def _call(self, old: str, limit: float) -> dict[str, Any] | None:
        try:
            result = await run_in_worker(lookup, old, limit=limit)
        except (BrokenProcessPool, OSError):
            log.warning("address worker failed; it will be restarted")
            return None
        except TimeoutError:
            log.warning("address lookup timed out")
            return None
        except Exception as exc:  # a library bug on one odd input must not lose the reply
            # No traceback: the library's messages may quote the citizen's address.
            log.warning("address lookup failed: %s", type(exc).__name__)
            return None
        self._ready = True
        return result


def reply_for(
    conversion: Conversion | None, note: AddressNote
) -> tuple[str, dict[str, str]] | None:
    """The message key and its variables for a conversion; None when nothing was recognised
    (the question then goes the usual way, to the FAQ)."""
    if conversion is None:
        return "address.unavailable", {}
    context = {"old": conversion.old, "province": conversion.province, "note": note.note}
    if conversion.kind == "ward":
        return "address.converted", {**context, "new": conversion.new[0]}
    if conversion.kind == "split":
        options = "\n".join(f"- {name}" for name in conversion.new)
        return "address.split", {**context, "options": options}
    if conversion.kind == "district":
        return "address.district_only", context
    if conversion.kind == "province":
        return "address.province_only", context
    return None
