"""PAKN tracking codes: format, uniqueness, error detection, normalisation."""

from __future__ import annotations

import random
import re

import pytest

from bot.pakn import codes
from bot.pakn.codes import (
    ALPHABET,
    code_from_payload,
    generate_code,
    normalize_code,
    spoken,
    validate,
)

SAMPLE = code_from_payload("7KMQ9XDA")  # PA-7KM-Q9X-DA3
CODE_RE = re.compile(rf"^PA-[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}$")


def test_alphabet_has_no_ambiguous_symbols_and_prime_size() -> None:
    for ch in "0O1IL5S2Z8BUV":
        assert ch not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 19
    assert all(19 % k for k in range(2, 19))


def test_sample_code() -> None:
    assert SAMPLE == "PA-7KM-Q9X-DA3"
    assert validate(SAMPLE)


def test_raw_draws_are_valid_and_repeat_only_as_chance_allows() -> None:
    # 19**8 = 1.7e10 codes: 10^5 independent draws repeat 0.29 times on average (Poisson), so
    # more than 5 repeats (probability < 1e-6) means the generator lacks entropy.
    drawn = [generate_code() for _ in range(100_000)]
    assert len(drawn) - len(set(drawn)) <= 5
    assert all(CODE_RE.match(code) and validate(code) for code in drawn)


def test_generate_code_avoids_codes_already_issued() -> None:
    issued: set[str] = set()
    for _ in range(100_000):
        code = generate_code(issued)
        assert code not in issued
        issued.add(code)
    assert len(issued) == 100_000


def test_generate_code_gives_up_when_everything_is_taken() -> None:
    class Everything:
        def __contains__(self, item: object) -> bool:
            return True

    with pytest.raises(RuntimeError, match="no free PAKN code"):
        generate_code(Everything(), attempts=3)


def _body(code: str) -> str:
    return code.replace("-", "")[2:]


def _with_body(body: str) -> str:
    return codes.format_code(body)


def test_every_single_substitution_and_adjacent_transposition_is_detected() -> None:
    rng = random.Random(20261123)
    sample = [SAMPLE] + [
        code_from_payload("".join(rng.choice(ALPHABET) for _ in range(8))) for _ in range(300)
    ]
    checked = 0
    for code in sample:
        body = _body(code)
        for i, original in enumerate(body):
            for ch in ALPHABET:
                if ch != original:
                    assert not validate(_with_body(body[:i] + ch + body[i + 1 :])), (code, i, ch)
                    checked += 1
        for i in range(len(body) - 1):
            if body[i] != body[i + 1]:
                swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
                assert not validate(_with_body(swapped)), (code, i)
                checked += 1
    assert checked > 300 * 9 * 18


@pytest.mark.parametrize(
    "text",
    [
        "PA-7KM-Q9X-DA3",
        "pa-7km-q9x-da3",
        "PA 7KM Q9X DA3",
        "PA7KMQ9XDA3",
        "7KM-Q9X-DA3",
        "7kmq9xda3",
        " 7km q9x da3 ",
        "PAKN-7KM-Q9X-DA3",
        "PA.7KM.Q9X.DA3",
        "PA_7KM_Q9X_DA3",
        "ＰＡ－７ＫＭ－Ｑ９Ｘ－ＤＡ３",  # full-width, as some phone keyboards type
        "PA-7KM-Q9X-ĐA3",  # Telex "dd" gives Đ
        "PA-7KM-Q9X-GA3",  # "giê" heard for "dê"
        "pa-7km-q9x-ja3",
        "PA-7KM-Q9X-DÂ3",
        "PA-7KM-Q9X-DA3\n",
    ],
)
def test_normalize_accepts_citizen_spellings(text: str) -> None:
    assert normalize_code(text) == SAMPLE
    assert validate(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PA",
        "PA-7KM-Q9X-DA",  # too short
        "PA-7KM-Q9X-DA33",  # too long
        "PA-7KM-Q9X-D03",  # 0 is never used: not guessed
        "PA-7KM-Q9X-DO3",  # O is never used either
        "PA-7KM-Q9X-D13",
        "PA-7KM-Q9X-DS3",
        "PA-7KM-Q9X-DB3",
        "PA-7KM-Q9X-DV3",
        "PA-7KM-Q9X-DW3",
        "PA-7KM-Q9X-DƠ3",
        "PAKN.20200812.0012",  # a national-portal code, not ours
        "mã của tôi",
    ],
)
def test_normalize_rejects_non_codes(text: str) -> None:
    assert normalize_code(text) is None
    assert not validate(text)


def test_wrong_check_symbol_has_the_shape_but_is_invalid() -> None:
    wrong = "PA-7KM-Q9X-DA4"
    assert normalize_code(wrong) == wrong
    assert not validate(wrong)


def test_code_from_payload_refuses_bad_payloads() -> None:
    with pytest.raises(ValueError):
        code_from_payload("7KMQ9XD")
    with pytest.raises(ValueError):
        code_from_payload("7KMQ9XD0")


def test_spoken() -> None:
    assert spoken("pa 7km q9x da3") == "bảy, ca, em-mờ – quy, chín, ích-xì – dê, a, ba"
    assert set(codes.SPOKEN) == set(ALPHABET)
    with pytest.raises(ValueError):
        spoken("PA-000-000-000")
