"""Amounts in words and figures as Vietnamese receipts print them.

Besides a table of known readings, every amount is read back to a number by an independent parser (written
from the reading rules, not from the module), and the spelling conventions (mốt, lăm, tư, linh) are checked
word by word.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.domain.money_words import MAX_AMOUNT, vnd, vnd_in_words

CASES = [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (104, "Một trăm linh bốn đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (171, "Một trăm bảy mươi mốt đồng"),
    (1000, "Một nghìn đồng"),
    (1005, "Một nghìn không trăm linh năm đồng"),
    (1010, "Một nghìn không trăm mười đồng"),
    (10000, "Mười nghìn đồng"),
    (15000, "Mười lăm nghìn đồng"),
    (21000, "Hai mươi mốt nghìn đồng"),
    (24000, "Hai mươi tư nghìn đồng"),
    (50000, "Năm mươi nghìn đồng"),
    (100000, "Một trăm nghìn đồng"),
    (1000000, "Một triệu đồng"),
    (1000010, "Một triệu không trăm mười đồng"),
    (1205000, "Một triệu hai trăm linh năm nghìn đồng"),
    (1000000000, "Một tỷ đồng"),
    (1000000001, "Một tỷ không trăm linh một đồng"),
    (1005000000, "Một tỷ không trăm linh năm triệu đồng"),
    (2500000000, "Hai tỷ năm trăm triệu đồng"),
    (10**12, "Một nghìn tỷ đồng"),
    (2005 * 10**9, "Hai nghìn không trăm linh năm tỷ đồng"),
    (
        999999999999999,
        "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
        "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
    ),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_known_readings(amount: int, words: str) -> None:
    assert vnd_in_words(amount) == words


@pytest.mark.parametrize(
    ("amount", "figures"),
    [
        (0, "0 đồng"),
        (5, "5 đồng"),
        (999, "999 đồng"),
        (1000, "1.000 đồng"),
        (100000, "100.000 đồng"),
        (1205000, "1.205.000 đồng"),
        (2500000000, "2.500.000.000 đồng"),
        (999999999999999, "999.999.999.999.999 đồng"),
    ],
)
def test_figures_use_dots_between_thousands(amount: int, figures: str) -> None:
    assert vnd(amount) == figures


@pytest.mark.parametrize("bad", [-1, -100000, 1.5, 100000.0, "100000", None, True, False])
def test_bad_amounts_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        vnd_in_words(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        vnd(bad)  # type: ignore[arg-type]


def test_amounts_beyond_the_maximum_are_refused() -> None:
    assert vnd_in_words(MAX_AMOUNT).endswith(" đồng")
    with pytest.raises(ValueError):
        vnd_in_words(MAX_AMOUNT + 1)


# --- an independent reader: words back to a number ----------------------------------------------------------

DIGIT = {"không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
UNIT_AFTER_TENS = {"mốt": 1, "tư": 4, "lăm": 5}


def _group(tokens: list[str]) -> int:
    value, pending = 0, None
    for token in tokens:
        if token in DIGIT:
            assert pending is None, tokens
            pending = DIGIT[token]
        elif token == "trăm":
            value, pending = value + pending * 100, None
        elif token == "mươi":
            value, pending = value + pending * 10, None
        elif token == "mười":
            value += 10
        elif token in UNIT_AFTER_TENS:
            value += UNIT_AFTER_TENS[token]
        else:
            assert token == "linh", tokens
    value += pending or 0
    assert value < 1000, tokens
    return value


def _below_billion(tokens: list[str]) -> int:
    total = 0
    for scale, factor in (("triệu", 10**6), ("nghìn", 10**3)):
        if scale in tokens:
            at = tokens.index(scale)
            total += _group(tokens[:at]) * factor
            tokens = tokens[at + 1 :]
    return total + _group(tokens)


def read_back(words: str) -> int:
    assert words.endswith(" đồng")
    tokens = words.removesuffix(" đồng").lower().split(" ")

    def parse(tokens: list[str]) -> int:
        if "tỷ" in tokens:
            at = len(tokens) - 1 - tokens[::-1].index("tỷ")  # the last "tỷ": what precedes it counts billions
            return parse(tokens[:at]) * 10**9 + (_below_billion(tokens[at + 1 :]) if tokens[at + 1 :] else 0)
        return _below_billion(tokens)

    return parse(tokens)


def _check_conventions(words: str) -> None:
    tokens = words.removesuffix(" đồng").lower().split(" ")
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in ("mốt", "tư"):
            assert before == "mươi", words
        if token == "lăm":
            assert before in ("mười", "mươi"), words
        if token == "linh":
            assert before == "trăm" and after in DIGIT and after != "không", words
        if token in ("một", "bốn", "năm") and after not in ("trăm", "mươi"):
            # As a units digit: "một"/"bốn" never right after "mươi", and "năm" never after "mười"/"mươi".
            assert before != "mươi", words
            assert not (token == "năm" and before == "mười"), words
    if len(tokens) > 1:
        assert "không" not in tokens[:1], words  # "không" leads only the reading of zero


@settings(max_examples=1500, deadline=None)
@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_every_amount_reads_well_and_back(amount: int) -> None:
    words = vnd_in_words(amount)
    assert words and words[0].isupper() and words[0].isalpha()
    assert words[1:] == words[1:].lower()
    assert words.endswith(" đồng")
    assert "  " not in words and words == words.strip()
    _check_conventions(words)
    assert read_back(words) == amount
    assert vnd(amount).replace(".", "").removesuffix(" đồng") == str(amount)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=0, max_value=999_999_999))
def test_billions_reading_is_the_count_of_billions_then_the_rest(billions: int, rest: int) -> None:
    words = vnd_in_words(billions * 10**9 + rest)
    assert read_back(words) == billions * 10**9 + rest
    head = vnd_in_words(billions).removesuffix(" đồng")
    assert words.startswith(f"{head} tỷ")


def test_every_amount_below_a_hundred_thousand_reads_back() -> None:
    for amount in range(100_000):
        words = vnd_in_words(amount)
        _check_conventions(words)
        assert read_back(words) == amount, words
