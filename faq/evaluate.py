"""Evaluation metrics for the FAQ matcher, exactly as defined in CONTRACTS.md
("Metrics printed by loaxa eval"). Pure: the caller reads the evaluation files and runs the
matcher; this module only counts.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from faq.types import Match

__all__ = ["SHARE_KEYS", "compute_metrics", "percentile"]

SHARE_KEYS = (
    "top1",
    "top3",
    "answered_correct",
    "clarify_hit",
    "useful",
    "confident_wrong",
    "oos_rejected",
)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in [0, 100]) of ``values``; 0.0 for an empty sequence."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _shares(
    pairs: Iterable[tuple[Mapping[str, Any], Match]], listed: Collection[str]
) -> dict[str, Any]:
    n = n_in = n_out = 0
    top1 = top3 = answered = clarify = wrong = rejected = 0
    for item, m in pairs:
        n += 1
        expected = item.get("topic")
        topics = [c.topic for c in m.candidates]
        answered_topic = topics[0] if m.decision == "answer" and topics else None
        if answered_topic is not None and answered_topic in listed and answered_topic != expected:
            wrong += 1
        if expected is None:
            n_out += 1
            if answered_topic is None or answered_topic not in listed:
                rejected += 1
            continue
        n_in += 1
        if topics[:1] == [expected]:
            top1 += 1
        in_top3 = expected in topics[:3]
        top3 += in_top3
        if m.decision == "answer" and answered_topic == expected:
            answered += 1
        if m.decision == "clarify" and in_top3:
            clarify += 1
    return {
        "n": n,
        "n_in_scope": n_in,
        "n_out_of_scope": n_out,
        "top1": _share(top1, n_in),
        "top3": _share(top3, n_in),
        "answered_correct": _share(answered, n_in),
        "clarify_hit": _share(clarify, n_in),
        "useful": _share(answered + clarify, n_in),
        "confident_wrong": _share(wrong, n),
        "oos_rejected": _share(rejected, n_out),
    }


def compute_metrics(
    items: Sequence[Mapping[str, Any]],
    matches: Sequence[Match],
    latencies_us: Sequence[float],
    listed_topics: Collection[str],
) -> dict[str, Any]:
    """Metrics of CONTRACTS.md for evaluation ``items`` (dicts with ``q``, ``topic``, optional
    ``style``) and the matcher's ``matches`` (same order), with per-item matching latencies in
    microseconds. ``listed_topics`` are the keys of faq/topics.yaml.

    Shares are in [0, 1], rounded to 4 places; a share whose denominator is 0 is ``None``
    (e.g. ``top1`` of a style that has only out-of-scope items). ``by_style`` maps each
    ``style`` value (as a string) to the same counts and shares; it is empty when no item has a
    style. Latency percentiles are nearest-rank.
    """
    if len(items) != len(matches):
        raise ValueError(f"{len(items)} items but {len(matches)} matches")
    listed = frozenset(listed_topics)
    pairs = list(zip(items, matches, strict=True))
    out = _shares(pairs, listed)
    out["latency_p50_us"] = round(percentile(list(latencies_us), 50), 1)
    out["latency_p99_us"] = round(percentile(list(latencies_us), 99), 1)
    groups: dict[str, list[tuple[Mapping[str, Any], Match]]] = {}
    for item, m in pairs:
        style = item.get("style")
        if style is not None:
            groups.setdefault(str(style), []).append((item, m))
    out["by_style"] = {k: _shares(v, listed) for k, v in sorted(groups.items())}
    return out
