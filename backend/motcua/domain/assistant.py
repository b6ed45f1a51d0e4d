"""The 1022 assistant's understanding of a question: which procedure it is about and which aspect is asked.

Citizens ask the hotline (tổng đài 1022) the same four things about a procedure: the papers needed, the fee,
how long it takes and where to file. A question is understood in three steps, all on folded text (no
diacritics, đ → d, lower case: ``search.fold``), so "phi cap ban sao" and "phí cấp bản sao" are one question:

1. **Aspect.** Phrases such as "giấy tờ gì", "lệ phí", "bao lâu", "ở đâu" (and their English forms) decide the
   aspect and are then removed, so that "mất bao lâu" does not look like "mất" (a death) to the retrieval.
2. **Terms.** The remaining words are mapped to the catalog's vocabulary: colloquial forms ("bằng lái",
   "công chứng", "bố") to the catalog's words, "ki"/"ky" spellings, and one-typo corrections for longer words
   (``search.within_one_edit``). Filler words ("làm", "cho", "cần") are dropped.
3. **Retrieval.** BM25 over each procedure's texts with field weights (name and keywords count most, the
   official name, English name, field and result less, document names least), plus a bonus for each pair of
   adjacent query words found together in a name or keyword ("khai sinh" is not "khai tử"). The hand-written
   BM25 is a dozen lines over 25-odd short documents; a library would add a dependency and nothing else.

The answer is **unsure** when the best procedure covers too little of what was asked (a word that matches no
procedure strongly, as in "hộ chiếu"), or when the runner-up scores too close to it. Then the caller offers up
to three candidates and the hotline. Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from motcua.domain.procedures import Procedure
from motcua.domain.search import fold, within_one_edit

MAX_QUESTION_LENGTH = 500
_CODE = re.compile(r"(?<![\d.])\d\.\d{6}(?![\d.])")


class Aspect(StrEnum):
    DOCUMENTS = "documents"
    FEE = "fee"
    TIME = "time"
    WHERE = "where"
    OVERVIEW = "overview"


# Folded phrases that name an aspect. Longer phrases first (they are removed from the question in this order).
_ASPECT_PHRASES: tuple[tuple[Aspect, str], ...] = tuple(
    (aspect, phrase)
    for aspect, phrases in (
        (Aspect.TIME, "mat bao nhieu ngay|mat bao nhieu lau|bao nhieu ngay|mat may ngay|mat bao lau|bao lau thi|"
                      "bao lau|may ngay|thoi gian giai quyet|thoi gian|thoi han|khi nao co|khi nao thi co|"
                      "bao gio co|bao gio thi co|how long|how many days|processing time|take"),
        (Aspect.FEE, "mat bao nhieu tien|het bao nhieu tien|bao nhieu tien|mat tien|ton bao nhieu|le phi|chi phi|"
                     "mat phi|phi|tien|bao nhieu|how much|fee|fees|cost|costs|price|charge"),
        (Aspect.WHERE, "nop o dau|lam o dau|xin o dau|o dau|noi nop|cho nao|nop tai dau|co quan nao|where|"
                       "which office"),
        (Aspect.DOCUMENTS, "can nhung giay to gi|can giay to gi|can nhung gi|giay to gi|ho so gom|ho so gi|"
                           "thanh phan ho so|chuan bi nhung gi|chuan bi gi|mang theo gi|giay to|can gi|"
                           "what documents|documents|papers|what do i need|need"),
    )
    for phrase in phrases.split("|")
)
# Words that carry no meaning about which procedure is meant (Vietnamese and English), folded.
# They are dropped unless, with a neighbour, they form a pair of words the catalog uses ("an toàn", "bản sao",
# "thẻ bảo hiểm", "khai sinh cho con"). Family words say who, not which procedure.
_FILLER = frozenset(
    re.split(
        r"\s+",
        "thu tuc lam cho cua toi minh em anh chi can gi nhu the nao xin muon ve va voi hoi giup cach nop ho so "
        "thi la co khong duoc roi vay a nhe oi nhung mot cac nay do bi khi de nguoi nha ben phai toi da sao "
        "cha me bo ba ong vo chong con be chau "
        "what do does i my a an the for to of is are how can in at and or get apply please",
    )
)
# Colloquial words → the catalog's words (folded). Knowledge of how people talk, not of any one question.
_SYNONYMS: dict[str, str] = {
    "bang lai": "giay phep lai xe",
    "cong chung": "chung thuc",
    "doc than": "tinh trang hon nhan",
    "ho khau": "thuong tru",
    "so do": "giay chung nhan quyen su dung dat",
    "so hong": "giay chung nhan quyen su dung dat",
    "bao tu": "khai tu",
    "qua doi": "khai tu",
    "cuoi vo": "ket hon",
    "cuoi": "ket hon",
    "giay phep kinh doanh": "dang ky kinh doanh",
    "xay nha": "xay dung nha o",
    "bhyt": "bao hiem y te",
    "license": "licence",
    "driver": "driving",
}
# Longer colloquial forms first, so "giấy phép kinh doanh" is replaced before any shorter form inside it.
_SYNONYMS_LONGEST_FIRST = tuple(sorted(_SYNONYMS.items(), key=lambda kv: -len(kv[0])))
_PAIR_BONUS = 1.6
_K1 = 1.2
_B = 0.6
# Field weights: where a word is found says how much it tells about the procedure.
_WEIGHTS = {"name": 3.0, "keywords": 2.5, "official": 1.2, "english": 2.0, "field": 0.8, "result": 0.8,
            "documents": 0.25, "details": 0.25}
_STRONG = ("name", "keywords", "official", "english")
# Below this score the best procedure shares no more than a word or two of little weight with the question.
MIN_SCORE = 5.0
# Below this share of the question's weight matched by the best procedure's strong texts: unsure.
MIN_COVERAGE = 0.62
# Runner-up within this ratio of the best score: unsure (unless the best covers clearly more of the question).
MAX_RUNNER_UP_RATIO = 0.86
_FUZZY_MIN_LENGTH = 5
_PRECISION_FLOOR = 0.6
_FINE_PRINT = 0.25



@dataclass(frozen=True)
class Match:
    code: str
    score: float
    coverage: float


@dataclass(frozen=True)
class Understanding:
    aspect: Aspect
    terms: tuple[str, ...]  # what was searched for, after aspect phrases and fillers were removed
    matches: tuple[Match, ...]  # best first (at most 3)
    unsure: bool
    reason: str  # "ok" | "code" | "empty" | "no_match" | "low_coverage" | "ambiguous"

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches and not self.unsure else None


@dataclass
class _Doc:
    code: str
    fields: dict[str, list[str]]  # field → tokens
    pairs: frozenset[tuple[str, str]]  # adjacent words in the name, keywords, English name
    strong: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]  # name, keywords, English name: what the procedure is called
    length: float = 0.0


class QuestionIndex:
    """Built once from the catalog's procedures; ``understand`` costs a few dictionary look-ups per word."""

    def __init__(self, procedures: Iterable[Procedure], field_names: dict[str, str]) -> None:
        self._docs: list[_Doc] = []
        self._codes: set[str] = set()
        self._all_pairs: set[tuple[str, str]] = set()
        for p in procedures:
            self._codes.add(p.code)
            texts = {
                "name": [p.name],
                "keywords": list(p.keywords),
                "official": [p.official_name],
                "english": [p.name_en],
                "field": [field_names.get(p.field, "")],
                "result": [p.result],
                "documents": [d.name for d in p.documents],
                "details": [p.fee.label_vi, p.fee.note or "", *(d.note or "" for d in p.documents)],
            }
            fields = {key: [t for text in values for t in fold(text).split()] for key, values in texts.items()}
            pairs: set[tuple[str, str]] = set()
            for key in _STRONG:
                for text in texts[key]:
                    words = fold(text).split()
                    pairs.update(zip(words, words[1:], strict=False))
            for values in texts.values():
                for text in values:
                    words = fold(text).split()
                    self._all_pairs.update(zip(words, words[1:], strict=False))
            phrases = tuple(tuple(fold(t).split()) for key in ("name", "keywords", "english") for t in texts[key])
            strong = frozenset(t for key in _STRONG for t in fields[key])
            self._docs.append(_Doc(p.code, fields, frozenset(pairs), strong, phrases))
        for doc in self._docs:
            doc.length = sum(_WEIGHTS[key] * len(tokens) for key, tokens in doc.fields.items())
        self._avg_length = sum(d.length for d in self._docs) / max(len(self._docs), 1)
        # Words a procedure is named by weigh by how many procedures are named by them ("chứng thực": three);
        # other words (papers, fees, notes) by how many procedures mention them anywhere.
        named_df: Counter[str] = Counter()
        any_df: Counter[str] = Counter()
        for doc in self._docs:
            named_df.update(doc.strong)
            any_df.update({t for tokens in doc.fields.values() for t in tokens})
        n = len(self._docs)

        def idf(df: int) -> float:
            return math.log(1 + (n - df + 0.5) / (df + 0.5))

        self._named = frozenset(named_df)
        self._idf = {t: idf(named_df.get(t, df)) for t, df in any_df.items()}
        # A word no procedure uses weighs like a typical name word: enough to make "hộ chiếu" unsure, not so
        # much that one stray word drowns a clear question.
        ordered = sorted(idf(df) for df in named_df.values())
        self._unknown_idf = ordered[len(ordered) // 2] if ordered else 1.0
        self._vocabulary = sorted(self._idf)

    # --- the question ---------------------------------------------------------------------------------------

    def understand(self, question: str) -> Understanding:
        text = f" {fold(question)} "
        aspect, text = _aspect_of(text)
        # A national procedure code (read off a form or a receipt) names the procedure outright.
        codes = [c for c in dict.fromkeys(_CODE.findall(question)) if c in self._codes]
        if len(codes) == 1:
            return Understanding(aspect, (codes[0],), (Match(codes[0], math.inf, 1.0),), False, "code")
        for colloquial, standard in _SYNONYMS_LONGEST_FIRST:
            text = text.replace(f" {colloquial} ", f" {standard} ")
        words = [self._canonical(w) for w in text.split()]
        terms = tuple(self._without_fillers(words))
        if not terms:
            return Understanding(aspect, (), (), True, "empty")
        scored = sorted((self._score(doc, terms) for doc in self._docs), key=lambda m: -m.score)
        best = scored[0]
        if best.score <= 0:
            return Understanding(aspect, terms, (), True, "no_match")
        top = tuple(m for m in scored[:3] if m.score > 0)
        if best.score < MIN_SCORE or best.coverage < MIN_COVERAGE:
            return Understanding(aspect, terms, top, True, "low_coverage")
        if len(top) > 1 and top[1].score >= MAX_RUNNER_UP_RATIO * best.score and top[1].coverage >= best.coverage:
            return Understanding(aspect, terms, top, True, "ambiguous")
        return Understanding(aspect, terms, top, False, "ok")

    def _without_fillers(self, words: list[str]) -> list[str]:
        kept = []
        for i, word in enumerate(words):
            if word not in _FILLER:
                kept.append(word)
                continue
            before = (words[i - 1], word) if i > 0 and words[i - 1] not in _FILLER else None
            after = (word, words[i + 1]) if i + 1 < len(words) and words[i + 1] not in _FILLER else None
            if before in self._all_pairs or after in self._all_pairs:
                kept.append(word)
        return kept

    def _canonical(self, word: str) -> str:
        """The catalog's spelling of a word: itself, its i/y twin ("ki" → "ky"), or its one-typo neighbour."""
        if word in self._idf:
            return word
        for twin in (word[:-1] + "y", word[:-1] + "i"):
            if word[-1:] in "iy" and twin in self._idf:
                return twin
        if len(word) >= _FUZZY_MIN_LENGTH:
            near = [v for v in self._vocabulary if abs(len(v) - len(word)) <= 1 and within_one_edit(word, v)]
            if near:
                return max(near, key=lambda v: (-self._idf[v], v))  # the most common spelling
        return word

    def _score(self, doc: _Doc, terms: Sequence[str]) -> Match:
        score = 0.0
        total = 0.0
        covered = 0.0
        norm = 1 - _B + _B * doc.length / self._avg_length
        for term in dict.fromkeys(terms):
            idf = self._idf.get(term, self._unknown_idf)
            # A word no procedure is named by (a paper such as "căn cước") cannot tell procedures apart: it
            # weighs no more than a typical word in how much of the question a procedure covers.
            weight = idf if term in self._named else min(idf, self._unknown_idf)
            total += weight
            tf = sum(_WEIGHTS[key] * tokens.count(term) for key, tokens in doc.fields.items())
            if tf:
                score += idf * tf * (_K1 + 1) / (tf + _K1 * norm)
            if term in doc.strong:
                covered += weight
            elif tf:
                covered += weight * _FINE_PRINT  # found only in the fine print (fees, notes, documents)
        for pair in zip(terms, terms[1:], strict=False):
            if pair in doc.pairs:
                score += _PAIR_BONUS * (self._idf.get(pair[0], 0) + self._idf.get(pair[1], 0))
        # A name or keyword the question says in full is what the citizen means: "đăng ký khai sinh" is the
        # birth registration itself, not the combined procedure whose long name also contains those words.
        asked = set(terms)
        precision = max((sum(1 for w in phrase if w in asked) / len(phrase) for phrase in doc.phrases if phrase),
                        default=0.0)
        score *= _PRECISION_FLOOR + (1 - _PRECISION_FLOOR) * precision
        return Match(doc.code, score, covered / total if total else 0.0)


def _aspect_of(text: str) -> tuple[Aspect, str]:
    """The aspect asked, and the question without any aspect phrase."""
    found: list[tuple[int, Aspect]] = []
    for aspect, phrase in _ASPECT_PHRASES:
        pattern = f" {phrase} "
        position = text.find(pattern)
        while position >= 0:
            found.append((position, aspect))
            text = text[:position] + " " + text[position + len(pattern):]
            position = text.find(pattern)
    text = re.sub(r"\s+", " ", text)
    if not found:
        return Aspect.OVERVIEW, text
    # The more specific aspects win: in "bản sao giấy tờ bao nhiêu tiền" the papers are the object, the fee is asked.
    return min(found, key=lambda item: _PRIORITY[item[1]])[1], text


_PRIORITY = {Aspect.TIME: 0, Aspect.FEE: 1, Aspect.WHERE: 2, Aspect.DOCUMENTS: 3, Aspect.OVERVIEW: 4}
