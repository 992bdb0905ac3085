"""The terms of a text for the matcher: folded syllables and the pairs they form (pure)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from faq.lexicon import CompiledLexicon
from faq.normalize import Tok

__all__ = ["Terms", "query_terms"]


@dataclass
class Terms:
    uni: list[str]
    bi: list[str]
    text: str


def query_terms(
    expanded: Sequence[Tok], lex: CompiledLexicon, known: Collection[str] = ()
) -> Terms:
    """Unigrams (fillers dropped) and bigrams (formed before dropping) of expanded tokens.
    A filler typed without marks stays a word when it makes a pair in ``known`` with a
    neighbour: "ho chieu" is "hộ chiếu", not "hở", "giay to" is "giấy tờ", not "tớ"."""
    stop = [lex.is_stopword(t) for t in expanded]
    if known:
        folds = [t.fold for t in expanded]
        for i, t in enumerate(expanded):
            if (
                stop[i]
                and not t.marked
                and t.fold in known
                and (
                    (i > 0 and f"{folds[i - 1]}_{t.fold}" in known)
                    or (i + 1 < len(folds) and f"{t.fold}_{folds[i + 1]}" in known)
                )
            ):
                stop[i] = False
    uni = [t.fold for t, s in zip(expanded, stop, strict=True) if not s]
    bi = [f"{a.fold}_{b.fold}" for a, b in pairwise(expanded)]
    bi_stop = [s1 or s2 for s1, s2 in pairwise(stop)]
    # Bigrams with a filler are kept only if the FAQ knows them (decided by the caller); we
    # mark them with a leading "~".
    bi = [("~" + g) if s else g for g, s in zip(bi, bi_stop, strict=True)]
    return Terms(uni=uni, bi=bi, text=" ".join(uni))
