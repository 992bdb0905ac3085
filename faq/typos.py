"""Typo repair against the FAQ's own vocabulary (pure; used by faq/matcher.py).

- ``snap``: an unknown word that is not a Vietnamese syllable -> the nearest FAQ word (OSA
  distance <= 1, <= 2 for long words), Telex typed without the keyboard converting it
  ("dduowc" -> "duoc", "bij" -> "bi"), or two FAQ words run together ("lamgiay").
Unknown words that *are* syllables are left alone: "fixing" them to a FAQ word when a
neighbour makes a known bigram was tried and turned weather and recipe questions into
procedures more often than it repaired a typo (bench/README.md).
- ``abbreviation``: a mistyped abbreviation ("llttp", "cccdd") -> the lexicon key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from faq.normalize import Tok, is_syllable

__all__ = ["Speller", "telex_fold"]

_CACHE_MAX = 4096
_TELEX_VOWELS = (("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"))
_TELEX_TONE = re.compile(r"(?<=[a-z])[sfrxj]$")


def telex_fold(word: str) -> str:
    """The folded word a Telex keyboard would have produced: "dduowc" -> "duoc"."""
    out = _TELEX_TONE.sub("", word)
    for seq, rep in _TELEX_VOWELS:
        out = out.replace(seq, rep)
    return out.replace("uw", "u").replace("w", "u")


class Speller:
    def __init__(
        self,
        unigrams: Sequence[str],
        known: Collection[str],
        df: Callable[[str], int],
        abbreviations: Sequence[str],
    ) -> None:
        self.unigrams = list(unigrams)
        self.unigram_set = frozenset(unigrams)
        self.known = known  # every term of the index (unigrams and "a_b" bigrams)
        self.df = df
        self.abbr_list = [k for k in abbreviations if len(k) >= 4]
        self.abbr_keys = frozenset(self.abbr_list)
        self._cache: dict[str, tuple[str, ...]] = {}

    def snap(self, word: str) -> tuple[str, ...]:
        """An unknown non-syllable word -> nearest FAQ word(s), or itself."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        out: tuple[str, ...] = (word,)
        if len(word) >= 3 and word.isalpha() and word.isascii() and not is_syllable(word):
            telex = telex_fold(word)
            if telex != word and telex in self.unigram_set:
                out = (telex,)
            else:
                out = self._nearest(word)
        if len(self._cache) < _CACHE_MAX:
            self._cache[word] = out
        return out

    def _nearest(self, word: str) -> tuple[str, ...]:
        maxd = 2 if len(word) >= 6 else 1
        hits = process.extract(
            word, self.unigrams, scorer=OSA.distance, score_cutoff=maxd, limit=8
        )
        if hits:
            # Closest first; on a tie prefer a same-length word (a wrong key, the commonest
            # phone typo: "thiong" -> "thuong", not "thong"), then the more common word.
            best = min(hits, key=lambda h: (h[1], len(h[0]) != len(word), -self.df(h[0])))
            return (best[0],)
        for k in range(2, len(word) - 1):
            a, b = word[:k], word[k:]
            if a in self.unigram_set and b in self.unigram_set:
                return (a, b)
        return (word,)

    def abbreviation(self, tok: Tok) -> Tok:
        """A mistyped abbreviation ("llttp", "cccdd") -> the lexicon key at distance 1."""
        w = tok.fold
        if (
            tok.marked
            or len(w) < 4
            or w in self.unigram_set
            or w in self.abbr_keys
            or not w.isalpha()
            or is_syllable(w)
        ):
            return tok
        hit = process.extractOne(w, self.abbr_list, scorer=OSA.distance, score_cutoff=1)
        return Tok(hit[0], hit[0], False) if hit is not None else tok
