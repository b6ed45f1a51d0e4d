"""Amounts of Vietnamese đồng in figures and in words, as receipts and invoices print them.

``vnd_in_words(1_205_000)`` is "Một triệu hai trăm linh năm nghìn đồng"; ``vnd(1_205_000)`` is "1.205.000 đồng".

Reading rules (standard written Vietnamese, northern vocabulary as used on official documents):

- digits: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín;
- a three-digit group reads "<h> trăm <t> mươi <u>": 10-19 are "mười …", and a zero tens digit between
  hundreds and non-zero units is "linh" ("một trăm linh năm");
- units after a tens word: 1 is "mốt" after "mươi" ("hai mươi mốt") but "một" after "mười" ("mười một");
  5 is "lăm" after "mười"/"mươi" ("mười lăm", "hai mươi lăm") but "năm" after "linh" ("một trăm linh năm");
  4 after "mươi" is written both "tư" and "bốn" ("hai mươi tư" / "hai mươi bốn"): this module writes "tư"
  there, and "bốn" everywhere else ("mười bốn", "một trăm linh bốn", "bốn trăm");
- groups of three: nghìn (10^3), triệu (10^6), tỷ (10^9); above a billion the count of billions is itself
  read as a number, so 10^12 is "một nghìn tỷ" and 2 005 × 10^9 is "hai nghìn không trăm linh năm tỷ";
- a group that is all zeros is skipped; every non-zero group after the first is read with all three digits,
  as invoices do: 1 005 is "một nghìn không trăm linh năm", 1 000 000 001 is "một tỷ không trăm linh một".
"""

from __future__ import annotations

MAX_AMOUNT = 999_999_999_999_999
"""The largest amount :func:`vnd_in_words` reads (just under a million billion đồng)."""

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 1_000_000_000
# Group scales below a billion, from the lowest group up.
_SCALES = ("", "nghìn", "triệu")


def _check_amount(amount: object) -> int:
    """Return ``amount`` if it is a non-negative ``int`` (``bool`` excluded), else raise ``ValueError``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be an int number of đồng, not {type(amount).__name__}")
    if amount < 0:
        raise ValueError(f"amount must not be negative: {amount}")
    return amount


def _group_words(group: int, *, full: bool) -> list[str]:
    """Words of a three-digit group (1-999). ``full`` reads a zero hundreds digit too ("không trăm …")."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", _DIGITS[units]] if words else [_DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])  # "mười một", "mười bốn": no "mốt"/"tư" after "mười"
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append("tư")  # "bốn" is also correct here; see the module docstring
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _below_billion_words(amount: int, *, leading: bool) -> list[str]:
    """Words of 1 <= ``amount`` < 10^9. ``leading`` is False when a higher part was already read."""
    groups: list[int] = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _group_words(group, full=bool(words) or not leading)
        if _SCALES[index]:
            words.append(_SCALES[index])
    return words


def _words(amount: int, *, leading: bool = True) -> list[str]:
    """Words of 1 <= ``amount`` (billions read recursively, so the scale words never run out)."""
    billions, rest = divmod(amount, _BILLION)
    words: list[str] = []
    if billions:
        words += [*_words(billions, leading=leading), "tỷ"]
    if rest:
        words += _below_billion_words(rest, leading=leading and not billions)
    return words


def vnd_in_words(amount: int) -> str:
    """``amount`` đồng in Vietnamese words, capitalised and ending in " đồng" ("Một trăm nghìn đồng").

    Raises ``ValueError`` for a negative amount, one above :data:`MAX_AMOUNT`, or anything but an ``int``.
    """
    amount = _check_amount(amount)
    if amount > MAX_AMOUNT:
        raise ValueError(f"amount must not exceed {MAX_AMOUNT}: {amount}")
    words = _words(amount) if amount else [_DIGITS[0]]
    text = " ".join(words)
    return f"{text[0].upper()}{text[1:]} đồng"


def vnd(amount: int) -> str:
    """``amount`` in figures with dots between thousands, as Vietnamese documents write it: "1.205.000 đồng".

    Raises ``ValueError`` for a negative amount or anything but an ``int``.
    """
    return f"{_check_amount(amount):,} đồng".replace(",", ".")
