"""FAQ retrieval and the answer / clarify / fallback decision (pure, no I/O).

Pipeline for one message (see ``MatcherIndex.match``):

1. Normalise (faq.normalize): NFKC, Ð->Đ, case-fold, tone placement, a folded (diacritic-free)
   form; expand abbreviations and map lay/old words to FAQ words (faq.lexicon); drop fillers.
   Unknown words that do not look like a Vietnamese syllable are snapped to the nearest FAQ word
   (edit distance with transpositions, OSA, <= 1; <= 2 for long words), run-together words
   are split ("lamgiay").
2. Terms (faq/terms.py): folded syllable unigrams + bigrams (bigrams are formed before fillers
   are dropped; typed without marks, a filler in a pair the FAQ knows stays a word).
3. Retrieval: BM25 over entries (title + paraphrases + keywords as one document), postings in
   numpy arrays; the best ``_POOL`` entries go on.
4. Scoring of each retrieved entry, three signals in [0, 1]:
   - ``qcov``: IDF-weighted share of the query's terms that the entry knows (unknown words
     count against it: this is what pushes "giá vàng hôm nay" down);
   - ``fcov``: best IDF-weighted share of one field (title, a paraphrase, a keyword) that the
     query contains (robust for long "story" messages);
   - ``tset``: rapidfuzz ``token_set_ratio`` between the folded query and the best field.
   ``score = W_Q*qcov + W_F*fcov + W_T*tset``. Typed with marks, a query word that the entry
   spells only otherwise ("hướng" / "hưởng") gives back its qcov share (faq/accents.py).
5. Confidence (calibration): the top score, raised when the next entries share its topic
   (``conf = s1 + TOPIC_BOOST * (1 - s1) * s_same``; several paraphrase entries of one topic
   agreeing is evidence for the topic). ``Thresholds`` give a first decision; the one the bot
   uses is faq/understand.py's (its Policy and faq/answer_model.py).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process

from faq.accents import AccentIndex, typed_spellings
from faq.lexicon import CompiledLexicon
from faq.normalize import Tok, fold, question_clause, tokens
from faq.postings import csr, holds
from faq.terms import Terms, query_terms
from faq.types import Candidate, Decision, FaqDoc, Lexicon, Match
from faq.typos import Speller

__all__ = ["MatcherIndex", "Thresholds", "query_terms"]

MAX_CANDIDATES = 5
MAX_QUERY_TOKENS = 120  # after windowing; head and tail kept (questions end long stories)
_HEAD_TOKENS = 40
_POOL = 20  # entries re-scored with token_set_ratio
_TSET_FIELDS = 3
LONG_QUERY_TOKENS = 30  # longer messages: the question clause is weighted (see _focus)
TAIL_TOKENS = 18
FOCUS_WEIGHT = 3.0  # weight of the question clause's terms in a long message
BIGRAM_WEIGHT = 0.6
W_Q, W_F, W_T = 0.4, 0.35, 0.25
TOPIC_BOOST = 0.3
DUP_TOPIC_FACTOR = 0.5
_CLASSIFIERS = frozenset({"cai1", "chiêc1"})  # "cái", "chiếc" as normalize.tokens keys them


@dataclass(frozen=True)
class Thresholds:
    t_hi: float = 0.8
    t_lo: float = 0.35
    margin: float = 0.12


class MatcherIndex:
    """Built once from the FAQ docs; ``match`` is pure and thread-safe (except a small cache)."""

    def __init__(
        self,
        docs: Sequence[FaqDoc],
        lexicon: Lexicon | CompiledLexicon | None,
        thresholds: Thresholds,
    ) -> None:
        self.docs = list(docs)
        self.thresholds = thresholds
        self.lex = lexicon if isinstance(lexicon, CompiledLexicon) else CompiledLexicon(lexicon)
        self._build()
        # Single-word abbreviation keys without marks (cccd, lltp...), for typo snapping.
        lexicon_keys = {*self.lex.lexicon.abbreviations, *self.lex.lexicon.synonyms}
        self.speller = Speller(
            self._unigrams,
            self._term_id,
            lambda w: self._df[self._term_id[w]],
            sorted(k.casefold() for k in lexicon_keys if " " not in k and k.isascii()),
        )

    def folded_title(self, entry_id: str) -> str:
        """The entry's title, lower case and without diacritics ("" for an unknown id)."""
        return self._folded_titles.get(entry_id, "")

    def same_topic(self, topic: str) -> list[FaqDoc]:
        return self._by_topic.get(topic, [])

    @classmethod
    def build(
        cls,
        docs: Iterable[FaqDoc],
        lexicon: Lexicon | CompiledLexicon | None = None,
        thresholds: Thresholds | None = None,
    ) -> MatcherIndex:
        return cls(list(docs), lexicon, thresholds or Thresholds())

    # ------------------------------------------------------------------ build

    def _doc_terms(self, text: str, spelled: list[Tok]) -> tuple[list[str], str]:
        toks = [t for t in tokens(text) if t.acc not in _CLASSIFIERS]
        expanded = self.lex.expand(toks, drop_stopwords=False)
        spelled.extend(expanded)
        t = query_terms(expanded, self.lex)
        bis = [g.lstrip("~") for g in t.bi]
        return list(dict.fromkeys(t.uni + bis)), t.text

    def _build(self) -> None:
        """Postings in CSR form (term id k: ``_ent_ids[_ent_ptr[k]:_ent_ptr[k + 1]]``, the same
        for fields): a few flat arrays, not objects per term, ~3x less memory for a large FAQ."""
        n = len(self.docs)
        same: dict[str, str] = {}  # one string object per distinct term
        docs: list[list[tuple[str, ...]]] = []
        self._texts: list[list[str]] = []
        df: Counter[str] = Counter()
        spellings: list[list[Tok]] = []
        for doc in self.docs:
            fields: list[tuple[str, ...]] = []
            texts: list[str] = []
            spellings.append([])
            for text in (doc.title, *doc.questions, *doc.keywords):
                found, folded = self._doc_terms(text, spellings[-1])
                if found:
                    fields.append(tuple(same.setdefault(t, t) for t in found))
                    texts.append(folded)
            if not fields:
                fields, texts = [()], [""]
            df.update({t for terms in fields for t in terms})
            docs.append(fields)
            self._texts.append(texts)
        self._accents = AccentIndex(spellings)
        # Normalised phrase -> the entry it belongs to (-1: several entries share it).
        self._exact: dict[str, int] = {}
        for i, texts in enumerate(self._texts):
            for text in texts:
                if text and self._exact.setdefault(text, i) != i:
                    self._exact[text] = -1
        self._folded_titles = {d.id: fold(d.title.lower()) for d in self.docs}
        self._row = {d.id: i for i, d in enumerate(self.docs)}
        self._by_topic: dict[str, list[FaqDoc]] = {}
        for d in self.docs:
            self._by_topic.setdefault(d.topic, []).append(d)
        vocab = sorted(df)
        self._term_id = {t: k for k, t in enumerate(vocab)}
        # array.array, not lists: 8 bytes a term instead of ~40, and as fast to index.
        self._df = array("q", (df[t] for t in vocab))
        self._idf = array("d", (math.log(1 + (n - d + 0.5) / (d + 0.5)) for d in self._df))
        self.max_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0
        self._unigrams = [t for t in vocab if "_" not in t]
        self._unigram_set = frozenset(self._unigrams)
        # Flat (term, row) pairs in typed arrays, then grouped by term: no list per term.
        ent_terms, ent_rows = array("q"), array("q")
        fld_terms, fld_rows, fld_ws = array("q"), array("q"), array("d")
        starts = array("q")
        fid = 0
        for i, fields in enumerate(docs):
            starts.append(fid)
            for t in dict.fromkeys(t for terms in fields for t in terms):
                ent_terms.append(self._term_id[t])
                ent_rows.append(i)
            for terms in fields:
                wsum = sum(self._w(t) for t in terms)
                for t in terms:
                    fld_terms.append(self._term_id[t])
                    fld_rows.append(fid)
                    fld_ws.append(self._w(t) / wsum)
                fid += 1
        self._n_fields = fid
        self._field_starts = np.frombuffer(starts, dtype=np.int64).astype(np.intp)
        ent_ptr, ent_order = csr(ent_terms, len(vocab))
        fld_ptr, fld_order = csr(fld_terms, len(vocab))
        self._ent_ids = np.frombuffer(ent_rows, dtype=np.int64)[ent_order].astype(np.intp)
        self._fld_ids = np.frombuffer(fld_rows, dtype=np.int64)[fld_order].astype(np.intp)
        self._fld_ws = np.frombuffer(fld_ws, dtype=np.float64)[fld_order]
        # Row pointers read one by one per query term: array.array indexes faster than numpy.
        self._ent_ptr = array("q", ent_ptr.tobytes())
        self._fld_ptr = array("q", fld_ptr.tobytes())

    def _w(self, term: str) -> float:
        k = self._term_id.get(term)
        w = self.max_idf if k is None else self._idf[k]
        return w * BIGRAM_WEIGHT if "_" in term else w

    # ------------------------------------------------------------------ query

    def _prepare(self, text: str) -> tuple[list[Tok], str, bool]:
        """Expanded, spell-snapped tokens; the folded text; whether any word has marks."""
        toks = tokens(text)
        if len(toks) > MAX_QUERY_TOKENS:
            toks = toks[:_HEAD_TOKENS] + toks[-(MAX_QUERY_TOKENS - _HEAD_TOKENS) :]
        # Classifiers ("cái", "chiếc") sit inside phrases the lexicon knows: "cất cái nhà"
        # is "cất nhà". Only as typed with marks: a bare "cai" may be "cải" (cải chính).
        toks = [self.speller.abbreviation(t) for t in toks if t.acc not in _CLASSIFIERS]
        fixed: list[Tok] = []
        for t in self.lex.expand(toks, drop_stopwords=False):
            if t.fold in self._unigram_set:
                fixed.append(t)
                continue
            for w in self.speller.snap(t.fold):
                fixed.append(t if w == t.fold else Tok(w, w, False))
        return fixed, " ".join(t.fold for t in toks), any(t.marked for t in toks)

    def match(self, text: str) -> Match:
        text = text if isinstance(text, str) else ""
        toks, normalized, marked = self._prepare(text)
        if not self.docs:
            return Match("fallback", 0.0, (), normalized)
        # Typed without any marks, a filler may be a word: "ho chieu" (hộ chiếu, not "hở").
        vocab: Collection[str] = () if marked else self._term_id
        focus = self._focus_terms(text, toks, vocab) if len(toks) > LONG_QUERY_TOKENS else None
        qt = query_terms(toks, self.lex, vocab)  # once: retrieval and the exact phrase read it
        scored = self._retrieve(qt, focus, typed_spellings(toks))
        if not scored:
            return Match("fallback", 0.0, (), normalized)
        exact = self._exact.get(qt.text, -1)
        if exact >= 0:
            scored = [(1.0, exact)] + [(s, i) for s, i in scored if i != exact]
        found = [self._term_id.get(t.lstrip("~")) for t in (*qt.uni, *qt.bi)]
        known = tuple(dict.fromkeys(k for k in found if k is not None))
        spec = max((self._idf[k] for k in known), default=0.0)
        unknown = sum(1 for t in qt.uni if t not in self._term_id) / max(len(qt.uni), 1)
        return replace(
            self._decide(scored, normalized, exact >= 0),
            specificity=round(spec, 3),
            terms=known,
            unknown_share=round(unknown, 3),
        )

    def exclusive_weight(
        self, terms: Sequence[int], entry: str, other: str, min_idf: float
    ) -> float:
        """The IDF weight of the query terms (at least ``min_idf`` rare) that ``entry`` knows and
        ``other`` does not: how much of what the message says only the first entry covers."""
        a, b = self._row.get(entry), self._row.get(other)
        if a is None:
            return 0.0
        total = 0.0
        for k in terms:
            w = self._idf[k]
            if w < min_idf:
                continue
            rows = self._ent_ids[self._ent_ptr[k] : self._ent_ptr[k + 1]]
            if holds(rows, a) and (b is None or not holds(rows, b)):
                total += w
        return total

    def _focus_terms(
        self, text: str, toks: Sequence[Tok], vocab: Collection[str] = ()
    ) -> Terms | None:
        """Long "story" messages: the terms of the question-bearing clause (the sentence with
        "?" or a question phrase, usually the last; else the last TAIL_TOKENS words)."""
        clause = question_clause(text)
        ctoks = self._prepare(clause)[0] if clause else list(toks[-TAIL_TOKENS:])
        if not ctoks or len(ctoks) >= len(toks):
            return None
        qc = query_terms(ctoks, self.lex, vocab)
        return qc if qc.uni else None

    def _retrieve(
        self,
        qt: Terms,
        focus: Terms | None = None,
        spelled: dict[str, frozenset[str]] | None = None,
    ) -> list[tuple[float, int]]:
        """Score entries for the query terms. With ``focus`` (the question clause of a long
        message) each entry is also scored with the clause's terms weighing FOCUS_WEIGHT times
        more than the story around them and token_set_ratio on the clause alone, and keeps the
        better of the two scores: a specific question lifts its entries, while a generic one
        ("làm thủ tục gì?") cannot push down the entry that the story itself names. Both
        variants share one pass over the postings (only the query weights differ)."""
        if not qt.uni:
            return []
        terms = list(dict.fromkeys(qt.uni))
        for g in qt.bi:
            if g.startswith("~"):
                g = g[1:]
                if g not in self._term_id:
                    continue
            terms.append(g)
        terms = list(dict.fromkeys(terms))
        qw = {t: self._w(t) for t in terms}
        counted = [t for t in terms if t in self._term_id or "_" not in t]
        qtotal = sum(qw[t] for t in counted)
        boost: frozenset[str] = frozenset()
        if focus is not None:
            boost = frozenset(focus.uni) | {g.lstrip("~") for g in focus.bi}
        n = len(self.docs)
        qcov = np.zeros(n, dtype=np.float64)
        qextra = np.zeros(n, dtype=np.float64) if boost else qcov
        fscore = np.zeros(self._n_fields, dtype=np.float64)
        for t in terms:
            k = self._term_id.get(t)
            if k is None:
                continue
            e = self._ent_ids[self._ent_ptr[k] : self._ent_ptr[k + 1]]
            qcov[e] += qw[t]
            if t in boost:
                qextra[e] += qw[t] * (FOCUS_WEIGHT - 1.0)
            lo, hi = self._fld_ptr[k], self._fld_ptr[k + 1]
            fscore[self._fld_ids[lo:hi]] += self._fld_ws[lo:hi]
        if not qcov.any():
            return []
        fcov = np.minimum(np.maximum.reduceat(fscore, self._field_starts), 1.0)
        partials = [W_Q * np.minimum(qcov / max(qtotal, 1e-9), 1.0) + W_F * fcov]
        qtexts = [qt.text]
        if boost and focus is not None:
            btotal = qtotal + (FOCUS_WEIGHT - 1.0) * sum(qw[t] for t in counted if t in boost)
            qb = np.minimum((qcov + qextra) / max(btotal, 1e-9), 1.0)
            partials.append(W_Q * qb + W_F * fcov)
            qtexts.append(focus.text)
        best = np.maximum.reduce(partials) if len(partials) > 1 else partials[0]
        nz = int(np.count_nonzero(best))
        k = min(_POOL, nz)
        pool = np.argpartition(-best, k - 1)[:k] if nz > k else np.flatnonzero(best)
        scored = self._score_pool(pool.tolist(), partials, fscore, qtexts)
        if spelled:  # typed with marks: no credit for a word the entry spells otherwise
            scored = self._accents.discount(scored, spelled, qw, W_Q / max(qtotal, 1e-9))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return scored

    def _score_pool(
        self, pool: list[int], partials: list[np.ndarray], fscore: np.ndarray, qtexts: list[str]
    ) -> list[tuple[float, int]]:
        """Add the token_set_ratio signal on each entry's best-covered fields (one rapidfuzz
        call for the whole pool; token_set_ratio costs ~2-4 us a pair, so not every field).
        ``partials[v]`` goes with ``qtexts[v]``; an entry keeps its best variant."""
        texts: list[str] = []
        bounds: list[int] = []
        starts = self._field_starts
        for i in pool:
            ftexts = self._texts[i]
            if len(ftexts) <= _TSET_FIELDS:
                texts.extend(ftexts)
            else:
                local = fscore[starts[i] : starts[i] + len(ftexts)]
                best = np.argpartition(-local, _TSET_FIELDS - 1)[:_TSET_FIELDS]
                texts.extend(ftexts[j] for j in best.tolist())
            bounds.append(len(texts))
        tsets = process.cdist(qtexts, texts, scorer=fuzz.token_set_ratio, dtype=np.uint8)
        # Each entry's best field, for every query variant at once (its texts are one run).
        firsts = np.fromiter((0, *bounds[:-1]), dtype=np.intp, count=len(bounds))
        best_tset = np.maximum.reduceat(tsets, firsts, axis=1)
        rows = np.asarray(pool, dtype=np.intp)
        scores = np.maximum.reduce(
            [partial[rows] + W_T * best_tset[v] / 100.0 for v, partial in enumerate(partials)]
        )
        return list(zip(np.minimum(scores, 1.0).tolist(), pool, strict=True))

    def _decide(
        self, scored: list[tuple[float, int]], normalized: str, exact: bool = False
    ) -> Match:
        th = self.thresholds
        s1, i1 = scored[0]
        topic1 = self.docs[i1].topic
        same = [s for s, i in scored[1:] if self.docs[i].topic == topic1]
        other = [s for s, i in scored[1:] if self.docs[i].topic != topic1]
        # Diversity: each further entry of a topic already listed is demoted, so that the
        # clarify buttons (first 3) cover more topics. Scores stay monotone (best first).
        seen: Counter[str] = Counter()
        diverse: list[tuple[float, int]] = []
        for s, i in scored:
            topic = self.docs[i].topic
            diverse.append((s * DUP_TOPIC_FACTOR ** seen[topic], i))
            seen[topic] += 1
        diverse.sort(key=lambda x: (-x[0], x[1]))
        if exact:  # the exact entry first even when another one also scores 1.0
            diverse.sort(key=lambda x: x[1] != i1)
        top = diverse[:MAX_CANDIDATES]
        s_same = same[0] if same else 0.0
        conf = min(1.0, s1 + TOPIC_BOOST * (1.0 - s1) * s_same)
        margin = conf - (other[0] if other else 0.0)
        cands = [
            Candidate(self.docs[i].id, self.docs[i].topic, round(conf if j == 0 else s, 4))
            for j, (s, i) in enumerate(top)
        ]
        decision: Decision
        if exact or (conf >= th.t_hi and margin >= th.margin):
            decision = "answer"
        elif conf >= th.t_lo:
            decision = "clarify"
        else:
            decision = "fallback"
        return Match(decision, round(conf, 4), tuple(cands), normalized, exact)
