"""Removing personal data from text that will be published (the public list of feedback answers).

What goes: phone numbers (Vietnamese mobiles and landlines, with +84/0084/84, spaces, dots, dashes, brackets),
e-mail addresses, identity numbers (9-digit ID cards, 12-digit citizen identity cards, also written in groups),
dossier codes (``H19.23.01-261126-0002``) and the names given (the sender's own name, the applicant's name),
matched whole-word, ignoring case, diacritics and spacing. Each is replaced by a bracketed label so the sentence
still reads. Over-redaction is the safe side: any run of 9–12 digits goes, whatever it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

PHONE_LABEL = "[số điện thoại]"
EMAIL_LABEL = "[email]"
ID_LABEL = "[số giấy tờ]"
CODE_LABEL = "[mã hồ sơ]"
NAME_LABEL = "[họ tên]"

_EMAIL = re.compile(r"[\w.+%-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.IGNORECASE)
_CODE = re.compile(r"\b[A-Za-z0-9]{1,6}(?:\.[A-Za-z0-9]{1,6}){0,5}\s*-\s*\d{6}\s*-\s*\d{4,6}\b")
# Phone: optional country prefix, then 8–10 more digits in groups separated by space . - or brackets; never the
# first part of a longer group of digits (a 12-digit identity number written 075.190.001.234).
_PHONE = re.compile(r"(?<![\w(+])\(?\s*(?:\+\s*84|0084|84|0)[\s.\-()]*\d(?:[\s.\-()]*\d){7,9}(?!\w|[\s.\-]\d)")
# Any run of 9–12 digits, possibly grouped (ID cards, citizen identity numbers, tax codes, bank accounts).
_ANY_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"(?<![\w])\d(?:[\s.\-]?\d){8,11}(?![\w])")


class _FoldTable(dict[int, str]):
    """str.translate table, filled on first sight of each character: lower case, no diacritics, one character
    for one (so positions in the folded text are positions in the original)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            kept = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            folded = (kept[:1] or ch).lower()[:1] or ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    """Lower case without diacritics, one character per input character (so positions map back)."""
    return text.translate(_FOLD)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = [w for w in re.split(r"\s+", _fold(unicodedata.normalize("NFC", name)).strip()) if w]
    if not words or sum(len(w) for w in words) < 2:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


def redact(text: str, *, names: Iterable[str | None] = ()) -> str:
    """``text`` with personal data replaced by labels. ``names``: people's names to remove (whole names, and the
    given name alone when it is two words or more, as people sign "Ánh" for "Nguyễn Thị Ngọc Ánh")."""
    text = unicodedata.normalize("NFC", text or "")
    patterns: list[re.Pattern[str]] = []
    for name in names:
        if not name or not name.strip():
            continue
        for candidate in _name_variants(name):
            pattern = _name_pattern(candidate)
            if pattern is not None:
                patterns.append(pattern)
    # Names first, on the folded text (case and diacritics ignored), longest first; positions map 1:1.
    for pattern in sorted(patterns, key=lambda p: -len(p.pattern)):
        folded = _fold(text)
        pieces, last = [], 0
        for m in pattern.finditer(folded):
            pieces += [text[last:m.start()], NAME_LABEL]
            last = m.end()
        text = "".join(pieces) + text[last:]
    # Each pattern only where its anchor occurs (an e-mail needs "@" or "at", a code a dash, the rest digits):
    # scanning every position for a pattern that cannot match is most of the cost on ordinary text.
    if "@" in text or "at" in text.lower():
        text = _EMAIL.sub(EMAIL_LABEL, text)
    if _ANY_DIGIT.search(text):
        if "-" in text:
            text = _CODE.sub(CODE_LABEL, text)
        text = _PHONE.sub(PHONE_LABEL, text)
        text = _DIGITS.sub(ID_LABEL, text)
    return text


def _name_variants(name: str) -> list[str]:
    words = name.split()
    variants = [name]
    if len(words) >= 3:
        variants.append(" ".join(words[-2:]))  # "Ngọc Ánh"
    return variants
