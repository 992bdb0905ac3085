"""An Understanding as plain JSON data and back.

On PostgreSQL the web process understands a typed question when its update arrives and
stores the result with the update; the worker process takes it instead of matching the text
again (bot/core/ahead.py). `load` raises ValueError on anything it does not recognise: the
caller then matches the text itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faq.types import Candidate, Match
from faq.understand import Understanding

FORMAT = 1


def dump(understood: Understanding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "v": FORMAT,
        "intent": understood.intent,
        "decision": understood.decision,
        "confidence": understood.confidence,
        "candidates": _candidates(understood.candidates),
        "code": understood.code,
        "category": understood.category,
        "cue": understood.cue,
        "floor": understood.floor,
        "match": None,
    }
    match = understood.match
    if match is not None:
        data["match"] = {
            "decision": match.decision,
            "confidence": match.confidence,
            "candidates": _candidates(match.candidates),
            "normalized": match.normalized,
            "exact": match.exact,
            "specificity": match.specificity,
            "terms": list(match.terms),
            "unknown_share": match.unknown_share,
        }
    return data


def load(data: Mapping[str, Any]) -> Understanding:
    try:
        if data["v"] != FORMAT:
            raise ValueError(f"format {data['v']!r}")
        raw = data["match"]
        match = None
        if raw is not None:
            match = Match(
                decision=str(raw["decision"]),  # type: ignore[arg-type]
                confidence=float(raw["confidence"]),
                candidates=_load_candidates(raw["candidates"]),
                normalized=str(raw["normalized"]),
                exact=bool(raw["exact"]),
                specificity=float(raw["specificity"]),
                terms=tuple(int(t) for t in raw["terms"]),
                unknown_share=float(raw["unknown_share"]),
            )
        return Understanding(
            intent=str(data["intent"]),
            decision=str(data["decision"]),
            confidence=float(data["confidence"]),
            candidates=_load_candidates(data["candidates"]),
            code=_optional(data["code"]),
            category=_optional(data["category"]),
            cue=str(data["cue"]),
            match=match,
            floor=float(data["floor"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not an understanding: {exc!r}") from exc


def _candidates(candidates: tuple[Candidate, ...]) -> list[list[Any]]:
    return [[c.entry, c.topic, c.score] for c in candidates]


def _load_candidates(rows: Any) -> tuple[Candidate, ...]:
    return tuple(Candidate(str(entry), str(topic), float(score)) for entry, topic, score in rows)


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)
