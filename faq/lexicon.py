"""The abbreviation/synonym lexicon: from plain data (``content/lexicon.yaml``) to a compiled
phrase rewriter. Pure: the caller reads the YAML (``yaml.safe_load``) and passes the mapping.

Data format (documented for editors in the header of ``content/lexicon.yaml``)::

    abbreviations:          # short forms and chat spelling -> the full phrase
      ko: không
      hk: không | hộ khẩu   # several readings: separated by "|"; all are kept
    synonyms:               # lay / old words -> the word used in the FAQ
      hộ khẩu: thường trú
    stopwords: [ạ, ơi, nhé]  # filler words dropped before matching
    only_with_marks:        # synonyms that fire only when typed with these very marks
      mướn: thuê            # an unmarked "muon" is "muốn" far more often

Rules applied by :class:`CompiledLexicon`:

- Keys and values are phrases of one or more words, any case, NFC or not.
- A key written *with* Vietnamese marks matches a word typed with marks only if the marks are
  the same (tone placement does not matter: ``hoà`` = ``hòa``), and matches a word typed without
  any marks by its folded form (``ho khau`` matches ``hộ khẩu``). So ``cưới`` never fires on
  ``cuối``, but ``cuoi`` does (the user gave no marks, so both readings are possible).
- A key written without marks (``ko``, ``dc``, ``cccd``) matches by the folded form, but not
  a word typed with a tone mark: ``hẻm`` (an alley) is not the chat spelling ``hem``.
- ``only_with_marks`` keys never match a word typed without marks: a regional word whose
  unmarked form is another, common word ("mô" / "mo" = "mở", "dìa" / "dia" = "địa").
- Longest key wins; abbreviations are expanded first, then synonyms (so ``cmnd`` ->
  ``chứng minh nhân dân`` -> ``căn cước``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from faq.normalize import Tok, tokens
from faq.types import Lexicon

__all__ = ["CompiledLexicon", "lexicon_from_mapping"]

_SECTIONS = ("abbreviations", "synonyms", "stopwords", "only_with_marks")


def _phrase_map(raw: Any, section: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"lexicon: {section}: expected a mapping of phrase -> phrase")
    out: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str | int) or not str(key).strip():
            raise ValueError(f"lexicon: {section}: empty or non-text key {key!r}")
        if isinstance(value, list | tuple):
            value = " | ".join(str(v) for v in value)
        if not isinstance(value, str | int) or not str(value).strip():
            raise ValueError(f"lexicon: {section}: {key}: empty or non-text value")
        out[str(key).strip()] = str(value).strip()
    return out


def lexicon_from_mapping(data: Mapping[str, Any] | None) -> Lexicon:
    """Build a :class:`Lexicon` from the parsed YAML mapping; raises ValueError on bad shape."""
    if data is None:
        return Lexicon()
    if not isinstance(data, Mapping):
        raise ValueError(
            "lexicon: the file must be a mapping with abbreviations/synonyms/stopwords"
        )
    unknown = sorted(str(k) for k in data if k not in _SECTIONS)
    if unknown:
        raise ValueError(f"lexicon: unknown section(s): {', '.join(unknown)}")
    stop_raw = data.get("stopwords") or []
    if not isinstance(stop_raw, list) or not all(isinstance(s, str | int) for s in stop_raw):
        raise ValueError("lexicon: stopwords: expected a list of words")
    return Lexicon(
        abbreviations=_phrase_map(data.get("abbreviations"), "abbreviations"),
        synonyms=_phrase_map(data.get("synonyms"), "synonyms"),
        stopwords=tuple(str(s).strip() for s in stop_raw if str(s).strip()),
        only_with_marks=_phrase_map(data.get("only_with_marks"), "only_with_marks"),
    )


# key tokens, replacement tokens, whether the key's marks are required
_Rule = tuple[tuple[Tok, ...], tuple[Tok, ...], bool]


def _tok_matches(key: Tok, tok: Tok, strict: bool) -> bool:
    if key.marked and tok.marked:
        return key.acc == tok.acc
    if strict and key.marked:
        return False
    if not key.marked and tok.marked and tok.acc[-1:].isdigit():
        return False  # a word typed with a tone is a word: "hẻm" (alley) is not chat "hem"
    return key.fold == tok.fold


class _Rewriter:
    def __init__(
        self, mapping: Mapping[str, str], strict: Mapping[str, str] | None = None
    ) -> None:
        self._rules: dict[str, list[_Rule]] = {}
        rules = [(k, v, False) for k, v in mapping.items()]
        rules += [(k, v, True) for k, v in (strict or {}).items()]
        for key, value, marks_required in rules:
            ktoks = tuple(tokens(key))
            if not ktoks:
                continue
            repl: list[Tok] = []
            for reading in value.split("|"):
                repl.extend(tokens(reading))
            rule = (ktoks, tuple(repl), marks_required)
            self._rules.setdefault(ktoks[0].fold, []).append(rule)
        for same_start in self._rules.values():
            same_start.sort(key=lambda r: -len(r[0]))

    def rewrite(self, toks: Sequence[Tok]) -> list[Tok]:
        out: list[Tok] = []
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            for key, repl, strict in self._rules.get(tok.fold, ()):
                k = len(key)
                if i + k <= n and all(_tok_matches(key[j], toks[i + j], strict) for j in range(k)):
                    out.extend(repl)
                    i += k
                    break
            else:
                out.append(tok)
                i += 1
        return out


class CompiledLexicon:
    """A :class:`Lexicon` compiled for fast token rewriting."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        lexicon = lexicon or Lexicon()
        self.lexicon = lexicon
        self._abbr = _Rewriter(lexicon.abbreviations)
        self._syn = _Rewriter(lexicon.synonyms, lexicon.only_with_marks)
        stops = [t for s in lexicon.stopwords for t in tokens(s)]
        self._stop_acc = {t.acc for t in stops}
        self._stop_fold = {t.fold for t in stops}

    def is_stopword(self, tok: Tok) -> bool:
        """Typed with marks: the marks must agree ("ánh" is not "anh"); else by folded form."""
        if tok.marked:
            return tok.acc in self._stop_acc
        return tok.fold in self._stop_fold

    def expand(self, toks: Iterable[Tok], *, drop_stopwords: bool = True) -> list[Tok]:
        """Expand abbreviations, map synonyms, drop stopwords (in that order)."""
        out = self._syn.rewrite(self._abbr.rewrite(list(toks)))
        if drop_stopwords:
            out = [t for t in out if not self.is_stopword(t)]
        return out

    def expand_text(self, text: str, *, drop_stopwords: bool = True) -> list[Tok]:
        return self.expand(tokens(text), drop_stopwords=drop_stopwords)
