from __future__ import annotations

from typing import Any

import pytest

from faq.evaluate import compute_metrics, percentile
from faq.types import Candidate, Match

LISTED = {"khai_sinh", "ket_hon", "tam_tru"}


def m(decision: str, *topics: str) -> Match:
    cands = tuple(Candidate(f"e{i}-{t}", t, 0.9 - i * 0.1) for i, t in enumerate(topics))
    return Match(decision, cands[0].score if cands else 0.0, cands)  # type: ignore[arg-type]


ITEMS: list[dict[str, Any]] = [
    {"q": "a", "topic": "khai_sinh", "style": 1},  # answered right
    {"q": "b", "topic": "khai_sinh", "style": 2},  # answered wrong (listed)
    {"q": "c", "topic": "ket_hon", "style": 2},  # clarify, in top 3 (3rd)
    {"q": "d", "topic": "tam_tru", "style": 1},  # clarify, only 4th -> miss
    {"q": "e", "topic": None, "style": 0},  # fallback -> rejected
    {"q": "f", "topic": None, "style": 0},  # answered with a listed topic -> not rejected
    {"q": "g", "topic": None, "style": 0},  # answered with a redirect topic -> rejected
    {"q": "h", "topic": None},  # clarify -> rejected, no style
]
MATCHES = [
    m("answer", "khai_sinh", "ket_hon"),
    m("answer", "ket_hon", "khai_sinh"),
    m("clarify", "khai_sinh", "tam_tru", "ket_hon"),
    m("clarify", "khai_sinh", "ket_hon", "khai_sinh", "tam_tru"),
    m("fallback"),
    m("answer", "tam_tru"),
    m("answer", "ngoai_pham_vi_ly_hon", "khai_sinh"),
    m("clarify", "ket_hon"),
]


def test_metrics_on_hand_made_input() -> None:
    r = compute_metrics(ITEMS, MATCHES, [10, 20, 30, 40, 50, 60, 70, 1000], LISTED)
    assert (r["n"], r["n_in_scope"], r["n_out_of_scope"]) == (8, 4, 4)
    assert r["top1"] == 0.25  # only item a
    assert r["top3"] == 0.75  # a, b (2nd), c (3rd)
    assert r["answered_correct"] == 0.25
    assert r["clarify_hit"] == 0.25
    assert r["useful"] == 0.5
    assert r["confident_wrong"] == 0.25  # b and f, over all 8 items
    assert r["oos_rejected"] == 0.75  # e, g, h
    assert r["latency_p50_us"] == 40.0
    assert r["latency_p99_us"] == 1000.0
    assert set(r["by_style"]) == {"0", "1", "2"}
    s1 = r["by_style"]["1"]
    assert (s1["n"], s1["top1"], s1["useful"], s1["oos_rejected"]) == (2, 0.5, 0.5, None)
    s0 = r["by_style"]["0"]
    assert s0["top1"] is None and s0["oos_rejected"] == pytest.approx(2 / 3, abs=1e-4)
    assert s0["confident_wrong"] == pytest.approx(1 / 3, abs=1e-4)


def test_no_style_no_breakdown() -> None:
    r = compute_metrics([{"q": "x", "topic": "ket_hon"}], [m("answer", "ket_hon")], [5], LISTED)
    assert r["by_style"] == {}
    assert r["useful"] == 1.0 and r["oos_rejected"] is None


def test_length_mismatch() -> None:
    with pytest.raises(ValueError, match="matches"):
        compute_metrics(ITEMS, MATCHES[:2], [], LISTED)


def test_percentile_nearest_rank() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([3, 1, 2], 50) == 2
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile([7], 99) == 7
