"""Fit faq/answer_model.py's coefficients on labelled data of our own and print them with a
table of what each probability threshold would answer.

Usage (from the repository root; about 5 minutes, most of it leave-one-out indexes)::

    .venv/bin/python bench/fit_answer_model.py

Data: tests/faq/heldout_own.yaml, regression.yaml, near_miss_own.yaml, intents_own.yaml and
leave-one-out paraphrases (each stored question asked of an index built without it, as typed
and without diacritics). tests/faq/heldout_blind.yaml is reported, never fitted. The
evaluation sets of ../shared are never read.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from faq import answer_model  # noqa: E402
from faq.matcher import MatcherIndex  # noqa: E402
from faq.normalize import fold  # noqa: E402
from faq.siblings import folded_query, lead_over_fitting_rivals  # noqa: E402
from faq.understand import DEFAULT_POLICY, understand  # noqa: E402

OWN = ("heldout_own.yaml", "regression.yaml", "near_miss_own.yaml", "intents_own.yaml")
BLIND = ("heldout_blind.yaml",)
THRESHOLDS = (0.85, 0.9, 0.93, 0.95, 0.97, 2.0)  # 2.0: the fixed rules alone
RULES_ONLY = replace(DEFAULT_POLICY, model_p=2.0)


def row(index: MatcherIndex, item: dict[str, Any], listed: Any) -> dict[str, Any] | None:
    """The evidence for one labelled message and the fixed rules' decision, or None when the
    policy does not decide it (a route, an exact phrase, nothing found)."""
    text = str(item["q"])
    u = understand(text, index, RULES_ONLY, listed)
    m = u.match
    if u.decision == "route" or m is None or not m.candidates or m.exact:
        return None
    lead, rival = lead_over_fitting_rivals(index, m, folded_query(index, text))
    ev = answer_model.evidence(index, m, rival, lead)
    top = m.candidates[0].topic
    expected = item.get("topic")
    # Outside the remit, the first candidate is "right" only when it is a redirect entry
    # (a topic outside the list: "ly hôn" -> the court), which is an honest answer.
    ok = top == expected or top in (item.get("also") or ()) or (not expected and top not in listed)
    return {"ev": ev, "right": bool(ok), "in_scope": bool(expected), "top": top,
            "decision": u.decision, "q": text}  # fmt: skip


def labelled(names: tuple[str, ...], index: MatcherIndex, listed: Any) -> list[dict[str, Any]]:
    out = []
    for name in names:
        for item in yaml.safe_load((ROOT / "tests/faq" / name).read_text("utf-8")):
            if "intent" in item and item["intent"] not in ("faq", "oos"):
                continue
            r = row(index, item, listed)
            if r is not None:
                out.append(dict(r, source=name))
    return out


def leave_one_out(faq: Any) -> list[dict[str, Any]]:
    docs = [e.to_doc() for e in faq.content.entries]
    out = []
    for k, doc in enumerate(docs):
        if len(doc.questions) < 2:
            continue
        for j, q in enumerate(doc.questions):
            rest = replace(doc, questions=doc.questions[:j] + doc.questions[j + 1 :])
            index = MatcherIndex.build([*docs[:k], rest, *docs[k + 1 :]], faq.lexicon)
            for text in (q, fold(q)):
                r = row(index, {"q": text, "topic": doc.topic}, faq.listed)
                if r is not None:
                    out.append(dict(r, source="loo"))
    return out


def fit(rows: list[dict[str, Any]], l2: float = 0.01) -> np.ndarray:
    """Logistic regression by Newton's method (small, dense, well conditioned)."""
    a = np.array([r["ev"].vector() for r in rows])
    y = np.array([1.0 if r["right"] else 0.0 for r in rows])
    w = np.zeros(a.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-a @ w))
        hess = (a.T * (p * (1 - p))) @ a + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, a.T @ (p - y) + l2 * w)
    return w


def report(name: str, rows: list[dict[str, Any]], coef: tuple[float, ...], listed: Any) -> None:
    for t in THRESHOLDS:
        right = wrong = 0
        for r in rows:
            rule = r["decision"] == "answer"
            p = answer_model.probability(r["ev"], coef)
            if rule or p >= t:
                right += r["in_scope"] and r["right"]
                wrong += (r["top"] in listed) and not r["right"]
        print(f"{name:20s} p>={t:.2f}: answered right {right:4d}, wrong listed {wrong:3d} "
              f"(of {len(rows)} decided by the policy)")  # fmt: skip


def main() -> None:
    content = load_content(ROOT / "content")
    faq = content.faq
    own = labelled(OWN, faq.index, faq.listed)
    blind = labelled(BLIND, faq.index, faq.listed)
    loo = leave_one_out(faq)
    train = own + loo  # out-of-scope messages too: a weak match far ahead is often one
    coef = tuple(round(float(c), 2) for c in fit(train))
    print(f"fitted on {len(train)} messages ({sum(r['right'] for r in train)} right first)")
    print("COEF =", coef)
    for name, rows in (("own", own), ("leave-one-out", loo), ("blind (not fitted)", blind)):
        report(name, rows, coef, faq.listed_topics)


if __name__ == "__main__":
    main()
