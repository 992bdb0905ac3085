"""Vietnamese text normalisation for FAQ matching (pure, stdlib only).

Every message and every FAQ text goes through :func:`tokens`, which returns a list of
:class:`Tok`. Each token carries two forms:

- ``acc``: the *accented* form: NFKC, ``Ð``/``ð`` mapped to ``đ``, case-folded, and the tone
  mark moved to a position-independent spot (``hoà``/``hòa`` -> ``hoa`` + tone digit ``2``;
  ``thuỷ``/``thủy`` -> ``thuy3``; ``Uỷ``/``Ủy`` -> ``uy3``). This solves old/new tone placement
  and misplaced marks (``qúy``/``quý``) without a dictionary.
- ``fold``: the diacritic-free form (``đ`` -> ``d``): ``hoa``, ``thuy``, ``uy``. Matching mostly
  uses this form because phone users often type without diacritics.

``marked`` tells whether the user typed the token with Vietnamese marks; the lexicon uses it to
decide whether an accented key must match exactly (``cưới`` must not fire on ``cuối``) or a folded
key is enough (people type ``ho khau`` for ``hộ khẩu``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "MAX_INPUT_CHARS",
    "Tok",
    "canonical",
    "fold",
    "folded_text",
    "is_syllable",
    "make_tok",
    "question_clause",
    "tokens",
    "window",
]

# Long "story" messages: normalisation is linear, but a 5,000-character paste should not cost
# more than it needs to. Beyond this many characters the middle is dropped (the question is
# usually at the start or at the end of a story).
MAX_INPUT_CHARS = 1200
_HEAD_CHARS = 400

# Tone marks (combining) -> tone digit. U+0340/U+0341 are deprecated aliases of grave/acute.
_TONES = {
    "\u0300": "2",  # huyền
    "\u0340": "2",
    "\u0301": "1",  # sắc
    "\u0341": "1",
    "\u0309": "3",  # hỏi
    "\u0303": "4",  # ngã
    "\u0323": "5",  # nặng
}
_PRE = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
_NON_WORD = re.compile(r"[\W_]+")
# Elongated word endings: "khônggg" -> "không", "okkk" -> "ok" (not "cccd"; digits kept).
_REPEAT = re.compile(r"(\D)\1{2,}\b")


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    for src, dst in (("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D")):
        table[ord(src)] = dst
    # Lone combining tone/vowel marks left after NFKC (e.g. a mark on a non-Latin base).
    for cp in range(0x300, 0x370):
        table[cp] = ""
    return table


_FOLD = _build_fold_table()


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (``đ`` -> ``d``); no other change."""
    return text.translate(_FOLD)


def _tone_key(word: str) -> str:
    """Position-independent accented form: tone mark removed and appended as a digit."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    tone = ""
    kept = []
    for ch in decomposed:
        digit = _TONES.get(ch)
        if digit is None:
            kept.append(ch)
        else:
            tone = digit
    base = unicodedata.normalize("NFC", "".join(kept))
    return base + tone


def window(text: str) -> str:
    """Keep long messages bounded: the first and the last part, the middle dropped."""
    if len(text) <= MAX_INPUT_CHARS:
        return text
    tail = MAX_INPUT_CHARS - _HEAD_CHARS
    return text[:_HEAD_CHARS] + " " + text[-tail:]


def canonical(text: str) -> str:
    """NFKC, Ð->Đ, case-fold, punctuation -> space, collapsed repeats; keeps diacritics."""
    text = unicodedata.normalize("NFKC", window(text)).translate(_PRE).casefold()
    text = _NON_WORD.sub(" ", text)
    text = _REPEAT.sub(r"\1", text)
    return " ".join(text.split())


MAX_CACHED_WORDS = 16384  # distinct words whose token is kept (a few MB at most)


class Tok(NamedTuple):
    acc: str  # accented, tone-keyed ("hoa2")
    fold: str  # diacritic-free ("hoa")
    marked: bool  # typed with Vietnamese marks (incl. đ)


# i/y spelling variants after a consonant: "ký"/"kí", "lý"/"lí", "mỹ"/"mĩ", "tỷ"/"tỉ".
_FINAL_Y = re.compile(r"^([bcdđghklmnprstvx]+)y(\d?)$")


@lru_cache(maxsize=MAX_CACHED_WORDS)
def make_tok(word: str) -> Tok:
    """A token from one already-canonical word (memoised: most messages reuse a few thousand
    syllables, and every message is tokenised several times)."""
    acc = _FINAL_Y.sub(r"\1i\2", _tone_key(word))
    folded = fold(word)
    marked = folded != word
    if folded.endswith("y"):
        folded = _FINAL_Y.sub(r"\1i\2", folded)
    return Tok(acc, folded, marked)


def tokens(text: str) -> list[Tok]:
    """Canonicalise and split into tokens (see module doc)."""
    return [make_tok(w) for w in canonical(text).split()]


# Long "story" messages: the question usually sits in one clause, most often the last one
# ("... Cho tôi hỏi làm khai sinh ở đâu?"). A clause bears a question when it ends with "?" or
# contains a question phrase (folded, whole words).
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s*|\s*[\n]+\s*")
_QUESTION_CUES = re.compile(
    r"\b(lam sao|lam the nao|the nao|ra sao|o dau|cho nao|noi nao|bao nhieu|bao lau|"
    r"duoc khong|co duoc|co phai|co can|can gi|can nhung gi|giay gi|thu tuc gi|"
    r"cho hoi|xin hoi|muon hoi|hoi la|nhu nao|sao|khong|chua|gi|nao|ai|may)\b"
)
_MIN_CLAUSE_WORDS = 10


def question_clause(text: str) -> str | None:
    """The question-bearing part of a multi-sentence message: the last sentence that ends with
    "?" (else the last one containing a question phrase), with the sentence before it when it is
    short. None when the message has a single sentence or no question cue."""
    parts = [p.strip() for p in _SENTENCE_END.split(window(text)) if p and p.strip()]
    if len(parts) < 2:
        return None
    best = None
    for i in range(len(parts) - 1, -1, -1):
        if parts[i].endswith("?"):
            best = i
            break
    if best is None:
        for i in range(len(parts) - 1, -1, -1):
            if _QUESTION_CUES.search(fold(canonical(parts[i]))):
                best = i
                break
    if best is None:
        return None
    start = best
    while start > 0 and len(" ".join(parts[start : best + 1]).split()) < _MIN_CLAUSE_WORDS:
        start -= 1
    return " ".join(parts[start : best + 1])


def folded_text(text: str) -> str:
    """Canonical, diacritic-free text (what the learning loop stores as ``normalized``)."""
    return fold(canonical(text))


# A permissive check of Vietnamese syllable shape on the folded form (onset + vowel group +
# coda). Used only to decide whether an unknown word may be a typo worth snapping to the FAQ
# vocabulary: "thiong" is not a syllable (-> "thuong"), "vang" is (left alone).
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|uyu|uoi|uou|ieu|yeu|oai|oay|oao|oeo|uai|uay|"
    r"ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|ya|"
    r"a|e|i|o|u|y)"
    r"(ng|nh|ch|c|m|n|p|t)?$"
)


def is_syllable(folded_word: str) -> bool:
    """True when a folded word has the shape of a Vietnamese syllable."""
    return _SYLLABLE.match(folded_word) is not None
