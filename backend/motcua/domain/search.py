"""Vietnamese-aware text search for the procedure catalog.

People type on phones, often without diacritics ("dang ky khai sinh"), with wrong ones ("khái sinh"),
without spaces ("kethon") or half a word at a time (search runs on every keystroke). So matching is done on
*folded* text (no diacritics, đ → d, lower case), ranked in tiers, with accents used only to break ties.
The index is built once; a query costs a few set operations per token.

Pure: no I/O, no knowledge of what a procedure is (callers hand in ``SearchDocument`` values).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

# Anything that is not a letter, digit or whitespace separates words ("khai-sinh", "1.001193", "(nếu có)").
_NON_WORD = re.compile(r"[\W_]+")
# Letters that NFD does not decompose but people expect to fold: Vietnamese đ, and the look-alike
# Icelandic eth that some old keyboards and encodings produce instead of Đ.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})

# Words people add around what they want ("làm thủ tục khai sinh cho con ở đâu"). They are ignored only
# when they match nothing, so "cho" still counts where it appears in a procedure's name.
_FILLER_WORDS = frozenset(
    re.split(
        r"\s+",
        "thu tuc lam cho cua toi minh em anh chi con can gi nhu the nao o dau xin muon ve va voi hoi giup "
        "cach nop ho so bao nhieu tien mat may ngay",
    )
)
# Typo tolerance starts at this token length: shorter words have too many one-letter neighbours.
_FUZZY_MIN_LENGTH = 5


def fold(text: str) -> str:
    """Fold Vietnamese text for matching: no diacritics, đ → d, lower case, no punctuation, single spaces.

    >>> fold("Đăng ký  khai-sinh!")
    'dang ky khai sinh'
    """
    decomposed = unicodedata.normalize("NFD", text).translate(_FOLD_EXTRA)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", bare.lower()).split())


def normalize_words(text: str) -> str:
    """Like ``fold`` but keeps the diacritics (NFC): the accent-exact form used to break ties."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


# Vietnamese alphabetical order: ă after a, â after ă, đ after d, and so on; then the tone marks as a
# secondary key, in dictionary order (ngang, huyền, hỏi, ngã, sắc, nặng).
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: 100 + i for i, letter in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=4096)
def _char_key(ch: str) -> tuple[int, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = 0
    letter = ""
    for part in decomposed:
        if part in _TONE_RANK:
            tone = _TONE_RANK[part]
        else:
            letter += part
    letter = unicodedata.normalize("NFC", letter)
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter], tone
    if letter.isspace():
        return 0, 0
    if letter.isdigit():
        return 10 + int(letter) if letter in "0123456789" else 20, 0
    return 1000 + ord(letter[0]) if letter else 1000, tone


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts Vietnamese text in dictionary order ("Đồng Xoài" after "Dĩ An", "Ă" after "A")."""
    keys = [_char_key(ch) for ch in unicodedata.normalize("NFC", text)]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys), text


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows about one item (a procedure).

    ``name`` ranks highest. ``keywords`` are the phrases people type ("giấy khai sinh", "làm sổ đỏ");
    ``secondary`` holds other text worth matching (official name, field of work, result). ``code`` is
    matched exactly or by prefix when the query looks like a code. ``group`` is the first ordering key for
    an empty query (the field of work's name).
    """

    key: str
    name: str
    code: str = ""
    keywords: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    group: str = ""


_Ids = frozenset[int]


@dataclass(frozen=True)
class _Entry:
    key: str
    code_digits: str
    name_padded: str  # " dang ky khai sinh ": padded so that phrase tests align on word boundaries
    name_tokens: frozenset[str]
    name_length: int
    other_padded: tuple[str, ...]  # keywords and secondary texts, padded
    contained_padded: tuple[str, ...]  # name and multi-word keywords: found *inside* a longer query
    tokens: frozenset[str]
    accented_tokens: frozenset[str]
    empty_query_order: tuple[object, ...]


# Ranking tiers, best first. A contiguous phrase beats scattered words, and the name beats other text.
# Within a tier: more of the optional (filler) words present, more accent-exact words, the query covering
# more of the name (shorter, more specific names first), then the empty-query order.
_TIER_CODE_EXACT = 0
_TIER_CODE_PREFIX = 1
_TIER_NAME_EXACT = 2
_TIER_NAME_PHRASE = 3
_TIER_NAME_PHRASE_PREFIX = 4  # "giay phep xay dun": the phrase, last word still being typed
_TIER_QUERY_CONTAINS = 5  # "lam giay khai sinh cho con o dau" holds the keyword "làm giấy khai sinh"
_TIER_OTHER_PHRASE = 6  # "cong chung" inside the keyword "công chứng bản sao"
_TIER_NAME_ALL = 7
_TIER_ANYWHERE = 8
_TIER_NAME_PARTIAL = 9  # with a prefix or a one-letter typo
_TIER_PARTIAL = 10


class SearchIndex:
    """An index over documents, built once; ``search`` is cheap enough to run on every keystroke."""

    def __init__(self, documents: Iterable[SearchDocument]) -> None:
        self._entries: list[_Entry] = []
        name_postings: dict[str, set[int]] = {}
        any_postings: dict[str, set[int]] = {}
        for position, doc in enumerate(documents):
            entry = _make_entry(doc)
            self._entries.append(entry)
            for token in entry.name_tokens:
                name_postings.setdefault(token, set()).add(position)
            for token in entry.tokens:
                any_postings.setdefault(token, set()).add(position)
        self._name_postings = {token: frozenset(ids) for token, ids in name_postings.items()}
        self._any_postings = {token: frozenset(ids) for token, ids in any_postings.items()}
        self._vocabulary = sorted(self._any_postings)
        # Single-deletion neighbourhoods (SymSpell): one-typo candidates without scanning the vocabulary.
        deletions: dict[str, set[str]] = {}
        for token in self._vocabulary:
            if len(token) >= _FUZZY_MIN_LENGTH - 1:
                for variant in _deletions(token) | {token}:
                    deletions.setdefault(variant, set()).add(token)
        self._deletions = {variant: frozenset(tokens) for variant, tokens in deletions.items()}
        entries = self._entries
        self._by_empty_query = sorted(range(len(entries)), key=lambda i: entries[i].empty_query_order)
        self._expand = lru_cache(maxsize=4096)(self._expand_uncached)

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, *, allowed: Collection[str] | None = None, limit: int = 50) -> list[str]:
        """Keys of matching documents, best first. Empty query: everything, by group then name.

        Every word of the query must match (exactly; by prefix for the word being typed; or with one typo
        for words of five letters or more), except filler words ("thủ tục", "cho", "ở đâu"…), which only
        help the ranking. ``allowed`` restricts the result to these keys (the caller's filters).
        """
        if limit <= 0:
            return []
        folded = fold(query)
        if not folded:
            keys = (self._entries[i].key for i in self._by_empty_query)
            return [key for key in keys if allowed is None or key in allowed][:limit]
        tokens = folded.split()
        required = [t for t in tokens if t not in _FILLER_WORDS] or tokens
        optional = [t for t in tokens if t not in required]
        accented = normalize_words(query).split()
        # Only a query typed with diacritics can prefer documents that share them.
        accented = [] if accented == tokens else accented
        ranked: list[tuple[tuple[object, ...], str]] = []
        for position, tier in self._candidates(query, folded, required).items():
            entry = self._entries[position]
            if allowed is not None and entry.key not in allowed:
                continue
            optional_hits = sum(1 for word in optional if word in entry.tokens)
            accent_hits = sum(1 for word in accented if word in entry.accented_tokens)
            coverage = len(required) / entry.name_length
            key = (tier, -optional_hits, -accent_hits, -coverage, entry.empty_query_order)
            ranked.append((key, entry.key))
        ranked.sort(key=lambda item: item[0])
        return [key for _, key in ranked[:limit]]

    def _candidates(self, query: str, folded: str, required: list[str]) -> dict[int, int]:
        """Matching document positions → tier (before tie-breaks)."""
        stripped = query.strip()
        if re.fullmatch(r"[\d.\s]+", stripped):
            found = self._code_matches(re.sub(r"\D", "", stripped))
            if found:
                return found
        last = folded.split()[-1]
        exact_sets: list[_Ids] = []
        loose_sets: list[_Ids] = []
        loose_name_sets: list[_Ids] = []
        for token in required:
            # Only the word being typed (the last one) may be the start of a longer word.
            exact, loose, loose_name = self._expand(token, token == last)
            if not loose:
                return {}
            exact_sets.append(exact)
            loose_sets.append(loose)
            loose_name_sets.append(loose_name)
        exact_all = frozenset.intersection(*exact_sets)
        name_all = frozenset.intersection(*loose_name_sets)
        phrase = f" {folded} "
        phrase_prefix = f" {folded}"
        result: dict[int, int] = {}
        for position in frozenset.intersection(*loose_sets):
            entry = self._entries[position]
            if entry.name_padded == phrase:
                tier = _TIER_NAME_EXACT
            elif phrase in entry.name_padded:
                tier = _TIER_NAME_PHRASE
            elif phrase_prefix in entry.name_padded:
                tier = _TIER_NAME_PHRASE_PREFIX
            elif any(text in phrase for text in entry.contained_padded):
                tier = _TIER_QUERY_CONTAINS
            elif any(phrase in text for text in entry.other_padded):
                tier = _TIER_OTHER_PHRASE
            elif position in exact_all and all(t in entry.name_tokens for t in required):
                tier = _TIER_NAME_ALL
            elif position in exact_all:
                tier = _TIER_ANYWHERE
            elif position in name_all:
                tier = _TIER_NAME_PARTIAL
            else:
                tier = _TIER_PARTIAL
            result[position] = tier
        return result

    def _code_matches(self, digits: str) -> dict[int, int]:
        found = {}
        for position, entry in enumerate(self._entries):
            if entry.code_digits == digits:
                found[position] = _TIER_CODE_EXACT
            elif entry.code_digits.startswith(digits):
                found[position] = _TIER_CODE_PREFIX
        return found

    def _expand_uncached(self, token: str, is_last: bool) -> tuple[_Ids, _Ids, _Ids]:
        """Documents matching a token: (exactly, loosely, loosely in the name).

        Loosely = exactly, or by prefix (only for the word being typed), or with one typo (words of five
        letters or more).
        """
        empty: _Ids = frozenset()
        exact = self._any_postings.get(token, empty)
        variants = {token}
        if is_last:
            variants.update(self._prefixed(token))
        if len(token) >= _FUZZY_MIN_LENGTH:
            variants.update(self._one_typo(token))
        loose: set[int] = set()
        loose_name: set[int] = set()
        for variant in variants:
            loose.update(self._any_postings.get(variant, empty))
            loose_name.update(self._name_postings.get(variant, empty))
        return exact, frozenset(loose), frozenset(loose_name)

    def _prefixed(self, prefix: str) -> list[str]:
        # The vocabulary is sorted, so all words starting with the prefix form one run.
        start = bisect_left(self._vocabulary, prefix)
        found = []
        for token in self._vocabulary[start:]:
            if not token.startswith(prefix):
                break
            found.append(token)
        return found

    def _one_typo(self, token: str) -> set[str]:
        candidates: set[str] = set()
        for variant in _deletions(token) | {token}:
            candidates.update(self._deletions.get(variant, ()))
        return {c for c in candidates if within_one_edit(token, c)}


def _make_entry(doc: SearchDocument) -> _Entry:
    name_folded = fold(doc.name)
    name_words = name_folded.split()
    # Adjacent words run together catch queries typed without spaces ("kethon", "khaisinh").
    joined = {a + b for a, b in zip(name_words, name_words[1:], strict=False)}
    name_tokens = frozenset(name_words) | joined
    keywords = [fold(text) for text in doc.keywords]
    others = keywords + [fold(text) for text in doc.secondary]
    tokens = set(name_tokens)
    for text in others:
        tokens.update(text.split())
    accented: set[str] = set()
    for text in (doc.name, *doc.keywords, *doc.secondary):
        accented.update(normalize_words(text).split())
    contained = [name_folded] + [k for k in keywords if " " in k]
    return _Entry(
        key=doc.key,
        code_digits=re.sub(r"\D", "", doc.code),
        name_padded=f" {name_folded} ",
        name_tokens=name_tokens,
        name_length=max(len(name_words), 1),
        other_padded=tuple(f" {text} " for text in others),
        contained_padded=tuple(f" {text} " for text in contained if text),
        tokens=frozenset(tokens),
        accented_tokens=frozenset(accented),
        empty_query_order=(vi_sort_key(doc.group), vi_sort_key(doc.name)),
    )


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def within_one_edit(a: str, b: str) -> bool:
    """True if a and b differ by at most one insertion, deletion, substitution or adjacent swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        if len(diffs) != 2 or diffs[1] != diffs[0] + 1:
            return False
        i, j = diffs
        return a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    # b is one longer: skipping one character of b must give a.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]

