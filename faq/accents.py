"""Words that only their marks tell apart ("hướng dẫn" / "mức hưởng", "giảm phí" / "giám hộ").

The matcher's terms are folded (diacritic-free), so that a message typed without marks finds
its entries. A message typed *with* marks says more: its "hướng" is not an entry's "hưởng".
``AccentIndex`` keeps, for each entry, its spellings of the folded words that the FAQ spells in
more than one way, so that the matcher can take back the credit an entry got only through a
word it spells differently (pure, no I/O).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from faq.normalize import Tok

__all__ = ["AccentIndex", "typed_spellings"]


def typed_spellings(toks: Iterable[Tok]) -> dict[str, frozenset[str]]:
    """Folded word -> its spellings among the tokens written with marks."""
    out: dict[str, frozenset[str]] = {}
    for t in toks:
        if t.marked:
            out[t.fold] = out.get(t.fold, frozenset()) | {t.acc}
    return out


class AccentIndex:
    def __init__(self, entries: Iterable[Iterable[Tok]]) -> None:
        spelled: list[set[str]] = []
        forms: dict[str, set[str]] = {}
        for toks in entries:
            marked = {t for t in toks if t.marked}
            spelled.append({t.acc for t in marked})
            for t in marked:
                forms.setdefault(t.fold, set()).add(t.acc)
        # Only folded words with two spellings or more can be mixed up.
        self._forms = {f: frozenset(a) for f, a in forms.items() if len(a) > 1}
        ambiguous = frozenset().union(*self._forms.values()) if self._forms else frozenset()
        self._spelled = [frozenset(s & ambiguous) for s in spelled]

    def clashes(self, query: Mapping[str, frozenset[str]], row: int) -> list[str]:
        """The folded words of ``query`` (folded -> its spellings as typed with marks) that
        entry ``row`` spells only in other ways. A spelling the FAQ never uses (a slip of the
        marks) clashes with nothing."""
        return [f for f, accs, others in self._open(query) if self._clash(accs, others, row)]

    def _open(
        self, query: Mapping[str, frozenset[str]]
    ) -> list[tuple[str, frozenset[str], frozenset[str]]]:
        """The query's words that the FAQ spells in several ways, one of them as typed: each
        with its typed spellings and the FAQ's other ones."""
        out = []
        for folded, accs in query.items():
            forms = self._forms.get(folded)
            if forms is not None and accs & forms:
                out.append((folded, accs, forms - accs))
        return out

    def _clash(self, typed: frozenset[str], others: frozenset[str], row: int) -> bool:
        own = self._spelled[row]
        return not typed & own and bool(others & own)

    def discount(
        self,
        scored: Iterable[tuple[float, int]],
        query: Mapping[str, frozenset[str]],
        weights: Mapping[str, float],
        scale: float,
    ) -> list[tuple[float, int]]:
        """Each (score, row) less ``scale`` times the weight of the words that clash."""
        words = [(weights.get(f, 0.0), a, o) for f, a, o in self._open(query)]
        words = [w for w in words if w[0] > 0.0]
        if not words:
            return list(scored)
        return [
            (max(0.0, score - scale * sum(w for w, a, o in words if self._clash(a, o, row))), row)
            for score, row in scored
        ]
