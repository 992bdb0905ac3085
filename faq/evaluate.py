"""Evaluation metrics for the FAQ matcher, exactly as defined in CONTRACTS.md
("Metrics printed by loaxa eval"). Pure: the caller reads the evaluation files and runs the
matcher; this module only counts.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from faq.types import Match
from faq.understand import Understanding

__all__ = ["SHARE_KEYS", "compute_metrics", "intent_metrics", "percentile"]

SHARE_KEYS = (
    "top1",
    "top3",
    "answered_correct",
    "clarify_hit",
    "useful",
    "confident_wrong",
    "oos_rejected",
    "oos_honest",
)
Result = Match | Understanding
# A route is the right answer where the feature is what the topic asks for (CONTRACTS.md).
ROUTE_TOPICS = {"pakn": {"pakn"}, "contact": {"hotline", "lien_he_trung_tam"}}


def _intent(m: Result) -> str:
    return getattr(m, "intent", "faq")


def _routed_right(m: Result, topics: Collection[str]) -> bool:
    return m.decision == "route" and bool(ROUTE_TOPICS.get(_intent(m), set()) & set(topics))


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in [0, 100]) of ``values``; 0.0 for an empty sequence."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _expected(item: Mapping[str, Any]) -> set[str]:
    """The expected topic and the equally right ones of ``also``."""
    out = {str(item["topic"])} if item.get("topic") else set()
    also = item.get("also") or ()
    out |= {str(t) for t in (also if isinstance(also, list | tuple) else [also])}
    return out


def _shares(
    pairs: Iterable[tuple[Mapping[str, Any], Result]], listed: Collection[str]
) -> dict[str, Any]:
    n = n_in = n_out = 0
    top1 = top3 = answered = clarify = wrong = rejected = honest = 0
    for item, m in pairs:
        n += 1
        expected = _expected(item)
        topics = [c.topic for c in m.candidates]
        answered_topic = topics[0] if m.decision == "answer" and topics else None
        if (
            answered_topic is not None
            and answered_topic in listed
            and answered_topic not in expected
        ):
            wrong += 1
        if not expected:
            n_out += 1
            if answered_topic is None or answered_topic not in listed:
                rejected += 1
            if m.decision in ("fallback", "route") or (
                answered_topic is not None and answered_topic not in listed
            ):
                honest += 1
            continue
        n_in += 1
        if topics[:1] and topics[0] in expected:
            top1 += 1
        in_top3 = bool(expected & set(topics[:3]))
        top3 += in_top3
        offered = [c.topic for c in getattr(m, "options", None) or m.candidates[:3]]
        if (m.decision == "answer" and answered_topic in expected) or _routed_right(m, expected):
            answered += 1
        if m.decision == "clarify" and expected & set(offered):
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
        "oos_honest": _share(honest, n_out),
    }


def compute_metrics(
    items: Sequence[Mapping[str, Any]],
    matches: Sequence[Result],
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
    groups: dict[str, list[tuple[Mapping[str, Any], Result]]] = {}
    for item, m in pairs:
        style = item.get("style")
        if style is not None:
            groups.setdefault(str(style), []).append((item, m))
    out["by_style"] = {k: _shares(v, listed) for k, v in sorted(groups.items())}
    return out


def intent_metrics(
    items: Sequence[Mapping[str, Any]], results: Sequence[Result], listed_topics: Collection[str]
) -> dict[str, Any]:
    """Intent-file metrics of CONTRACTS.md: ``accuracy``, ``recall`` per intent,
    ``code_extracted`` and ``answered_non_faq``; only items that carry an ``intent``."""
    listed = frozenset(listed_topics)
    ok = total = with_code = coded = non_faq = answered_non_faq = 0
    per: dict[str, list[int]] = {}
    for item, m in zip(items, results, strict=True):
        intent = item.get("intent")
        if intent is None:
            continue
        total += 1
        if intent == "faq":
            pairs = _shares([(item, m)], listed)
            right = bool(pairs["useful"])
        elif intent == "oos":
            right = m.decision == "fallback"
        else:
            right = _intent(m) == intent
            non_faq += 1
            answered_non_faq += m.decision == "answer"
        ok += right
        per.setdefault(str(intent), [0, 0])
        per[str(intent)][0] += right
        per[str(intent)][1] += 1
        if item.get("code"):
            with_code += 1
            coded += getattr(m, "code", None) is not None
    return {
        "n_intent": total,
        "accuracy": _share(ok, total),
        "recall": {k: _share(v[0], v[1]) for k, v in sorted(per.items())},
        "code_extracted": _share(coded, with_code),
        "answered_non_faq": _share(answered_non_faq, non_faq),
    }
